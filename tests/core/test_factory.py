"""create_app's settings: safe defaults, and clear refusals for unsafe or broken ones."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pars import create_app
from pars.core.config import ConfigError, ensure_secret_key_file
from tests.factories import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]


def test_weak_secret_key_is_refused_outside_tests(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "short", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_strong_secret_key_starts(tmp_path):
    app = create_app({"SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_HTTPONLY"]


def test_secret_key_file_is_made_once_and_kept(tmp_path):
    path = ensure_secret_key_file(str(tmp_path))
    first = path.read_text()
    assert len(first) >= 32
    assert ensure_secret_key_file(str(tmp_path)).read_text() == first
    assert oct(path.stat().st_mode)[-3:] == "600"


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite settings")
def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    with app.extensions["pars_engine"].connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def run_flask(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PARS_INSTANCE_PATH": env.pop("instance", "/nonexistent"), **env}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unopenable_database_url_is_one_clear_line(tmp_path):
    result = run_flask("init-db", SECRET_KEY="k" * 40, DATABASE_URL="sqlite:////etc/passwd/x.db")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: Cannot open the database at")


def test_unreachable_postgres_is_one_clear_line():
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    result = run_flask("init-db", SECRET_KEY="k" * 40, DATABASE_URL=url)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: Cannot open the database at")
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_secret_key_is_refused_with_advice(tmp_path):
    result = run_flask(
        "init-db", SECRET_KEY="", instance=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/x.db"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_every_response_carries_the_security_headers(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
