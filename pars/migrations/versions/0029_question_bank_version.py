"""The version of a provider's question bank: every change of the bank moves it on, so a
process may keep the bank it read while the version stands

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "provider",
        sa.Column("questions_version", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("provider") as batch_op:
        batch_op.drop_column("questions_version")
