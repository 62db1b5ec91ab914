"""status rank and activity search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The status rank lets the list sort by workflow order on an index. On SQLite, an FTS5 index over
title, internal ID and ACCME ID (kept by triggers) makes search-as-you-type fast; other
databases search with ILIKE (pars.queries). A later migration that makes Alembic's batch mode
recreate the activity table must create these triggers again.
"""

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RANKS = {"Draft": 0, "Active": 1, "Ready to Close": 2, "Closed": 3}

FTS_SQL = (
    "CREATE VIRTUAL TABLE activity_search USING fts5("
    "title, internal_id, accme_activity_id, content='activity', content_rowid='id', "
    "prefix='2 3')",
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
    "INSERT INTO activity_search(activity_search) VALUES ('rebuild')",
)


def upgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status_rank", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_index(
            "ix_activity_provider_status_rank", ["provider_id", "status_rank", "created_at"]
        )
    activity = sa.table("activity", sa.column("status", sa.String), sa.column("status_rank"))
    for status, rank in RANKS.items():
        op.execute(activity.update().where(activity.c.status == status).values(status_rank=rank))
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_SQL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("activity_search_insert", "activity_search_delete", "activity_search_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS activity_search")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_provider_status_rank")
        batch_op.drop_column("status_rank")
