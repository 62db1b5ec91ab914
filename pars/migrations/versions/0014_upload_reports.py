"""upload reports: the checked preview and the last refusal, kept with the upload

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 22:10:00
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column outside a batch: SQLite adds the columns in place, no table rebuild
    op.add_column("upload", sa.Column("report", sa.Text(), nullable=True))
    op.add_column("upload", sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("report")
