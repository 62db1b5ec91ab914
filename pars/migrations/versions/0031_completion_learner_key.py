"""Each completion stores who it belongs to (learner_key): the database counts an activity's
distinct learners, and finds a learner's completion of a day, from one index

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03 18:00:00

Before, each completion added (a learner's claim, the learner form, the API) read the names of
every completion of its activity and compared them in Python: its time grew with the activity's
learners. Every existing row gets its key here, worked out by the same rule as new rows
(pars.learners.rules.stored_learner_key: Python's case folding, which SQL's lower() does not
match beyond ASCII). SQLite rebuilds the table to make the column NOT NULL, keeping
AUTOINCREMENT (0015) and how far its counter went.
"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from pars.learners.rules import stored_learner_key

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

INDEX = "ix_learner_completion_learner"
BATCH = 5000


def upgrade() -> None:
    op.add_column("learner_completion", sa.Column("learner_key", sa.String(220), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, first_name, last_name, birth_month_day FROM learner_completion")
    ).all()
    for start in range(0, len(rows), BATCH):
        connection.execute(
            sa.text("UPDATE learner_completion SET learner_key = :key WHERE id = :id"),
            [
                {"key": stored_learner_key(first, last, birth), "id": row_id}
                for row_id, first, last, birth in rows[start : start + BATCH]
            ],
        )
    with rebuilt_keeping_ids(connection) as batch_op:
        batch_op.alter_column("learner_key", existing_type=sa.String(220), nullable=False)
    op.create_index(
        INDEX, "learner_completion", ["activity_id", "learner_key", "completion_date"]
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="learner_completion")
    with rebuilt_keeping_ids(op.get_bind()) as batch_op:
        batch_op.drop_column("learner_key")


@contextmanager
def rebuilt_keeping_ids(connection):
    """Batch mode on the table. SQLite copies the rows into a new table, whose AUTOINCREMENT
    counter starts from the highest id copied: the ids of deleted newest completions would be
    given again. The counter is put back."""
    sequence = sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'learner_completion'")
    sqlite = connection.dialect.name == "sqlite"
    reached = connection.execute(sequence).scalar() if sqlite else None
    with op.batch_alter_table(
        "learner_completion", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        yield batch_op
    if reached is not None:
        connection.execute(
            sa.text(
                "UPDATE sqlite_sequence SET seq = max(seq, :reached) "
                "WHERE name = 'learner_completion'"
            ),
            {"reached": reached},
        )
