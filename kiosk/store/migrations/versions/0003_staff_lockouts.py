"""staff_lockouts: the PIN pad's wrong-PIN count and lockout, persisted across restarts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_lockouts",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_staff_lockouts")),
    )


def downgrade() -> None:
    op.drop_table("staff_lockouts")
