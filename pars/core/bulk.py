"""Inserting many rows at once and learning their new ids, in the order they were given."""

from sqlalchemy import Table, func, insert, select
from sqlmodel import Session


def insert_rows(session: Session, table: Table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` into ``table`` (in the session's transaction); their ids, in order."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.execute(statement, rows).scalars())
    # SQLite cannot tie RETURNING rows to their parameters in a multi-row insert, so
    # SQLAlchemy would fall back to one statement per row. A plain executemany is one C loop
    # instead, and holding the write lock from its first row, this transaction is the only
    # writer: each row takes the next rowid (max + 1), so the new ids are the top len(rows).
    connection = session.connection()
    connection.execute(insert(table), rows)
    last = connection.execute(select(func.max(table.c.id))).scalar_one()
    return list(range(last - len(rows) + 1, last + 1))
