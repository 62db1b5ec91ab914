"""ACCME Activity ID unique within a provider, not across the installation

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 23:55:00

A unique ACCME Activity ID across every provider let one provider learn, from a refusal, that
another already holds an ID. The constraint becomes a unique index on (provider, ACCME ID).
SQLite drops the old unnamed constraint by rebuilding the table (batch mode, keeping the
AUTOINCREMENT of migration 0015), which also drops the search triggers, so they are recreated.
"""

from alembic import op
from alembic.script import ScriptDirectory

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# SQLite's unique constraint from migration 0001 has no name: a naming convention gives the
# reflected one a name batch mode can drop. PostgreSQL named it itself.
CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
SQLITE_OLD = "uq_activity_accme_activity_id"
POSTGRES_OLD = "activity_accme_activity_id_key"


def search_triggers() -> list[str]:
    """The FTS triggers as migration 0015 wrote them (one text for both migrations)."""
    scripts = ScriptDirectory.from_config(op.get_context().config)
    return scripts.get_revision("0015").module.SEARCH_TRIGGERS


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "activity",
            recreate="always",
            naming_convention=CONVENTION,
            table_kwargs={"sqlite_autoincrement": True},
        ) as batch_op:
            batch_op.drop_constraint(SQLITE_OLD, type_="unique")
        for statement in search_triggers():
            op.execute(statement)
    else:
        op.drop_constraint(POSTGRES_OLD, "activity", type_="unique")
    op.create_index(
        "uq_activity_accme_id", "activity", ["provider_id", "accme_activity_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_activity_accme_id", table_name="activity")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "activity", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.create_unique_constraint(SQLITE_OLD, ["accme_activity_id"])
        for statement in search_triggers():
            op.execute(statement)
    else:
        op.create_unique_constraint(POSTGRES_OLD, "activity", ["accme_activity_id"])
