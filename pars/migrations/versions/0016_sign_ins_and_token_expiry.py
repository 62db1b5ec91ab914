"""sign ins and token expiry: each signed-in browser kept on the server, so that signing out
ends it; API tokens expire (tokens made before get 90 days from this migration) and note the
address of their last use

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 21:10:50.370128
"""

from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("sign_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_user_id"), ["user_id"], unique=False)
    # add_column outside a batch: SQLite adds the columns in place, no table rebuild
    op.add_column(
        "api_token",
        sa.Column("last_used_from", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column(
        "api_token", sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )
    token = sa.table("api_token", sa.column("expires_at", sa.DateTime()), sa.column("revoked_at"))
    grace = datetime.now(UTC) + timedelta(days=90)  # tokens made before expire in 90 days
    op.execute(token.update().where(token.c.revoked_at.is_(None)).values(expires_at=grace))


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
        batch_op.drop_column("last_used_from")
    with op.batch_alter_table("sign_in", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_user_id"))

    op.drop_table("sign_in")
