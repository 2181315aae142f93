"""initial schema: kiosks, events, days, help, anchors, alerts, updates, keys, access tokens

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fleet_access_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("office", sa.String(length=120), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_access_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_fleet_access_tokens_token_hash")),
    )
    op.create_table(
        "fleet_kiosks",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("office", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("devices", sa.Text(), nullable=False),
        sa.Column("outbox_unsent", sa.Integer(), nullable=False),
        sa.Column("outbox_oldest_s", sa.Integer(), nullable=False),
        sa.Column("outbox_soft_limit", sa.Integer(), nullable=True),
        sa.Column("data_key", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id", name=op.f("pk_fleet_kiosks")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_fleet_kiosks_token_hash")),
    )
    op.create_table(
        "fleet_server_keys",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("private_raw", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_fleet_server_keys")),
    )
    op.create_table(
        "fleet_updates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature_b64", sa.String(length=100), nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_updates")),
        sa.UniqueConstraint("kind", "sha256", name=op.f("uq_fleet_updates_kind")),
    )
    op.create_table(
        "fleet_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["fleet_kiosks.kiosk_id"],
            name=op.f("fk_fleet_alerts_kiosk_id_fleet_kiosks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_alerts")),
    )
    with op.batch_alter_table("fleet_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fleet_alerts_kiosk_id"), ["kiosk_id"], unique=False)

    op.create_table(
        "fleet_anchors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("kiosk_key", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["fleet_kiosks.kiosk_id"],
            name=op.f("fk_fleet_anchors_kiosk_id_fleet_kiosks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_anchors")),
    )
    with op.batch_alter_table("fleet_anchors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fleet_anchors_kiosk_id"), ["kiosk_id"], unique=False)

    op.create_table(
        "fleet_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["fleet_kiosks.kiosk_id"],
            name=op.f("fk_fleet_events_kiosk_id_fleet_kiosks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_events")),
        sa.UniqueConstraint("kiosk_id", "event_id", name=op.f("uq_fleet_events_kiosk_id")),
    )
    op.create_table(
        "fleet_help_requests",
        sa.Column("help_id", sa.String(length=64), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("office", sa.String(length=120), nullable=False),
        sa.Column("step", sa.String(length=60), nullable=False),
        sa.Column("step_number", sa.Integer(), nullable=True),
        sa.Column("step_title", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=80), nullable=False),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ack_pending", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["fleet_kiosks.kiosk_id"],
            name=op.f("fk_fleet_help_requests_kiosk_id_fleet_kiosks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("help_id", name=op.f("pk_fleet_help_requests")),
    )
    with op.batch_alter_table("fleet_help_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fleet_help_requests_kiosk_id"), ["kiosk_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fleet_help_requests_office"), ["office"], unique=False)

    op.create_table(
        "fleet_kiosk_days",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("office", sa.String(length=120), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
        sa.Column("median_step_s", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["fleet_kiosks.kiosk_id"],
            name=op.f("fk_fleet_kiosk_days_kiosk_id_fleet_kiosks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("kiosk_id", "day", name=op.f("pk_fleet_kiosk_days")),
    )
    with op.batch_alter_table("fleet_kiosk_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fleet_kiosk_days_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fleet_kiosk_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fleet_kiosk_days_day"))

    op.drop_table("fleet_kiosk_days")
    with op.batch_alter_table("fleet_help_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fleet_help_requests_office"))
        batch_op.drop_index(batch_op.f("ix_fleet_help_requests_kiosk_id"))

    op.drop_table("fleet_help_requests")
    op.drop_table("fleet_events")
    with op.batch_alter_table("fleet_anchors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fleet_anchors_kiosk_id"))

    op.drop_table("fleet_anchors")
    with op.batch_alter_table("fleet_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fleet_alerts_kiosk_id"))

    op.drop_table("fleet_alerts")
    op.drop_table("fleet_updates")
    op.drop_table("fleet_server_keys")
    op.drop_table("fleet_kiosks")
    op.drop_table("fleet_access_tokens")
