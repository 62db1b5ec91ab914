"""The (provider, rank, format) index carries the end date: the dashboard counts Active
activities that have not ended, by format, from the index alone

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03 16:30:00
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

NAME = "ix_activity_provider_rank_format"


def upgrade() -> None:
    op.drop_index(NAME, table_name="activity")
    op.create_index(NAME, "activity", ["provider_id", "status_rank", "format", "end_date"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="activity")
    op.create_index(NAME, "activity", ["provider_id", "status_rank", "format"])
