"""dossier drafts (sealed, resumable), and outbox.reason (portal refusal / staff reason)

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_drafts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id_lookup", sa.String(length=64), nullable=False),
        sa.Column("procedure_code", sa.String(length=40), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_drafts")),
        sa.UniqueConstraint(
            "id_lookup", "procedure_code", name=op.f("uq_dossier_drafts_id_lookup")
        ),
    )
    with op.batch_alter_table("dossier_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dossier_drafts_expires_at"), ["expires_at"], unique=False
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("dossier_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_drafts_expires_at"))
    op.drop_table("dossier_drafts")
