"""status follows the calendar: only the date-independent stage is stored

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 23:30:00

Until now Ready to Close was stored and reached only when `refresh-statuses` ran. The column
keeps Draft, Active or Closed; an Active activity whose end date has passed is shown as Ready to
Close when read (pars.activities.status.shown_status). The blockers stored for Active rows
described the old split, so they are cleared: rows without them are worked out from their child
rows until their next save.
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE activity SET status = 'Active', status_rank = 1, next_blockers = NULL "
        "WHERE status IN ('Active', 'Ready to Close')"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE activity SET status = 'Ready to Close', status_rank = 2, next_blockers = NULL "
        "WHERE status = 'Active' AND end_date < CURRENT_DATE"
    )
