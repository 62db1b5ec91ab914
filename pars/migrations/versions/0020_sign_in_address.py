"""sign in address: where each sign-in came from, and sign-ins removed after 180 days

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 00:10:00

A correct password from an address the account has signed in from before gets through the
account's failed-sign-in pause (pars.accounts.login_limits). The index on started_at serves the
removal of old sign-ins. Both are added in place (no table rebuild on SQLite).
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sign_in", sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )
    op.create_index("ix_sign_in_started_at", "sign_in", ["started_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sign_in_started_at", table_name="sign_in")
    with op.batch_alter_table("sign_in") as batch_op:
        batch_op.drop_column("address")
