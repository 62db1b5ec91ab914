"""The database engine, the request-scoped session, and migrations (flaskr's db.py, on SQLModel)."""

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from pars.core.config import ConfigError

MIGRATIONS = Path(__file__).parent.parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys, busy timeout) or any other SQLAlchemy URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory:
        Path(parsed.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if in_memory else None,
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # A provider's whole history fits in memory: a 64 MB page cache and memory-mapped reads
    # keep list counts and deep pages off the read() path.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def check_connection(engine: Engine) -> None:
    """Open one connection now, so a wrong DATABASE_URL fails with one clear line."""
    try:
        with engine.connect():
            pass
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        url = engine.url.render_as_string(hide_password=True)
        raise ConfigError(f"Cannot open the database at {url}: {reason}") from None


def get_engine() -> Engine:
    return current_app.extensions["pars_engine"]


def get_session() -> Session:
    """The session of this request, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the SQLite search index (created by hand in migration 0002) out of autogenerate."""
    return not (type_ == "table" and name and name.startswith("activity_search"))


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the latest migration (idempotent)."""
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    # New or changed indexes have no statistics yet, and SQLite's planner may then prefer a
    # worse one (the list page ran twice as slow until ANALYZE): refresh them all.
    optimize(engine, full=current_revision(engine) != before)


def optimize(engine: Engine, *, full: bool = False) -> None:
    """Refresh the query planner's statistics, so filtered list pages pick the right index."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("ANALYZE" if full else "PRAGMA optimize=0x10002")
        elif engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or migrate the database at DATABASE_URL to the latest schema."""
    upgrade(get_engine())
    click.echo("Database is at the latest migration.")


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    try:
        engine = make_engine(url)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        raise ConfigError(f"Cannot open the database at {url}: {exc}") from None
    check_connection(engine)
    app.extensions["pars_engine"] = engine
    app.teardown_appcontext(close_session)
    app.cli.add_command(init_db_command)
