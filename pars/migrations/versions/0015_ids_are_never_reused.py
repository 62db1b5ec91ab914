"""ids are never reused: SQLite AUTOINCREMENT on the tables whose ids people and files hold

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:10:00

Without AUTOINCREMENT, SQLite gives the id of a deleted newest row to the next one: its
History then showed the deleted draft's changes, and a file or bookmark holding the old id
pointed at another activity. AUTOINCREMENT needs the table rebuilt (batch mode, with foreign
keys off during migrations: pars/migrations/env.py). Rebuilding the activity table drops its
search triggers (0002), which are created again. PostgreSQL's sequences never go back: nothing
changes there.
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("activity", "learner_completion", "learner", "upload", "user")
SEARCH_TRIGGERS = (
    "CREATE TRIGGER activity_search_insert AFTER INSERT ON activity BEGIN "
    "INSERT INTO activity_search(rowid, title, internal_id, accme_activity_id) "
    "VALUES (new.id, new.title, new.internal_id, new.accme_activity_id); END",
    "CREATE TRIGGER activity_search_delete AFTER DELETE ON activity BEGIN "
    "INSERT INTO activity_search(activity_search, rowid, title, internal_id, accme_activity_id) "
    "VALUES ('delete', old.id, old.title, old.internal_id, old.accme_activity_id); END",
    "CREATE TRIGGER activity_search_update AFTER UPDATE OF title, internal_id, accme_activity_id "
    "ON activity BEGIN "
    "INSERT INTO activity_search(activity_search, rowid, title, internal_id, accme_activity_id) "
    "VALUES ('delete', old.id, old.title, old.internal_id, old.accme_activity_id); "
    "INSERT INTO activity_search(rowid, title, internal_id, accme_activity_id) "
    "VALUES (new.id, new.title, new.internal_id, new.accme_activity_id); END",
)


def rebuild(autoincrement: bool) -> None:
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    for statement in SEARCH_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild(autoincrement=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        rebuild(autoincrement=False)
