"""fleet_events and fleet_state: the fleet link's durable queue and its small state (pinned update
key, applied update hashes); no personal data

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fleet_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_events")),
    )
    op.create_index(op.f("ix_fleet_events_at"), "fleet_events", ["at"])
    op.create_index(op.f("ix_fleet_events_sent_at"), "fleet_events", ["sent_at"])
    op.create_table(
        "fleet_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_fleet_state")),
    )


def downgrade() -> None:
    op.drop_table("fleet_state")
    op.drop_index(op.f("ix_fleet_events_sent_at"), table_name="fleet_events")
    op.drop_index(op.f("ix_fleet_events_at"), table_name="fleet_events")
    op.drop_table("fleet_events")
