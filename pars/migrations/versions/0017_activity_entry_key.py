"""activity entry key: a double submit of the Add Activity page makes one activity

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 21:40:00

Each Add Activity page carries a one-time key; the activity it creates keeps it, unique within
the provider, so a second submit of the same page (a double click, two requests at once) finds
that activity instead of making another. A unique index, not a constraint: SQLite adds it
without rebuilding the table.
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "activity",
        sa.Column("entry_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.create_index(
        "uq_activity_entry_key", "activity", ["provider_id", "entry_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_activity_entry_key", table_name="activity")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("entry_key")
