"""PARS fidelity: a record key for every activity, and the statuses the new rules give

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 04:00:00

- record_key: a UUID per activity, written in this system's files (the private element of the
  MEMS XML, a column of the activity workbook), so a record with neither an ACCME Activity ID
  nor the provider's own ID is matched when it comes back instead of being added again. Unique
  within a provider; every existing row gets one here.
- learner_completion.board_points_total: the learner template's Total Board Credits, which was
  read and dropped; kept now (with an Additional Credit Type, the difference is its points).
- learner_completion.report_permission (the learner's permission to report it, which ACCME
  requires) and pars_result / pars_reason (PARS's answer once reported).
- The ZIP/postal code is no longer needed for an in-person activity to be Active (PARS asks for
  city, state and country). Drafts that lacked only the ZIP are Active now; drafts that lacked it
  among other things lose it from their stored blockers (set to NULL: worked out from the child
  rows when read, pars.activities.queries, until the next save).
- A course split into its occurrences kept "repeats: yes" with no occurrences left, which the
  entry form and every import then refused ("at least two"). Each split activity is one
  occurrence: repeats becomes no where no occurrence is waiting.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("activity", sa.Column("record_key", sa.String(length=36), nullable=True))
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM activity"))]
    for start in range(0, len(ids), 1000):
        connection.execute(
            sa.text("UPDATE activity SET record_key = :key WHERE id = :id"),
            [{"key": str(uuid.uuid4()), "id": i} for i in ids[start : start + 1000]],
        )
    op.add_column("learner_completion", sa.Column("board_points_total", sa.Float(), nullable=True))
    op.add_column("learner_completion", sa.Column("report_permission", sa.Boolean(), nullable=True))
    op.add_column("learner_completion", sa.Column("pars_result", sa.String(10), nullable=True))
    op.add_column("learner_completion", sa.Column("pars_reason", sa.String(500), nullable=True))
    op.create_index(
        "uq_activity_record_key", "activity", ["provider_id", "record_key"], unique=True
    )
    op.execute(
        "UPDATE activity SET status = 'Active', status_rank = 1, next_blockers = NULL "
        "WHERE status = 'Draft' AND next_blockers = 'postal_code'"
    )
    op.execute(
        "UPDATE activity SET next_blockers = NULL "
        "WHERE status <> 'Closed' AND next_blockers LIKE '%postal_code%'"
    )
    op.execute(
        "UPDATE activity SET repeats = false WHERE repeats = true AND NOT EXISTS "
        "(SELECT 1 FROM activity_repeat_instance r WHERE r.activity_id = activity.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("learner_completion") as batch_op:
        for name in ("board_points_total", "report_permission", "pars_result", "pars_reason"):
            batch_op.drop_column(name)
    op.drop_index("uq_activity_record_key", table_name="activity")
    with op.batch_alter_table("activity") as batch_op:
        batch_op.drop_column("record_key")
