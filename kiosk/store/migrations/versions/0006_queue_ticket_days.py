"""queue_ticket_days: the last queue number given for the counter on each day

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_ticket_days",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_queue_ticket_days")),
    )


def downgrade() -> None:
    op.drop_table("queue_ticket_days")
