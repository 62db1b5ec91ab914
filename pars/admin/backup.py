"""Backups: a consistent copy of the whole database while the app runs, and putting one back.

SQLite uses its online backup API (a consistent snapshot even while others write); PostgreSQL
uses pg_dump's custom format and pg_restore, which must be installed on the machine.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(parsed.database)


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore read it (no +driver)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))[::-1]), None
    )
    if not found:
        raise BackupError(f"{name} is not installed: apt-get install postgresql-client.")
    return found


def run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(done.stderr.strip() or f"{command[0]} failed ({done.returncode}).")


def backup(url: str, target: Path) -> None:
    """Write a backup of the database at ``url`` to ``target`` (a new file)."""
    if (path := sqlite_path(url)) is not None:
        if not path.exists():
            raise BackupError(f"There is no database at {path}.")
        with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return
    run([tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", libpq_url(url)])


def check_sqlite_backup(source: Path) -> None:
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as copy:
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (integrity check failed).")
            copy.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a backup of this system: {error}.") from error


def restore(url: str, source: Path) -> None:
    """Replace every row of the database at ``url`` with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    if (path := sqlite_path(url)) is not None:
        check_sqlite_backup(source)
        with sqlite3.connect(source) as copy, sqlite3.connect(path) as live:
            copy.backup(live)
        return
    run(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={libpq_url(url)}",
            str(source),
        ]
    )
