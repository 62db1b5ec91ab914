"""Settings read from the environment, with safe defaults for one provider on one machine."""

import os
import secrets
from datetime import date
from pathlib import Path

MIN_SECRET_KEY_LENGTH = 32
SECRET_KEY_FILE = "secret_key"


class ConfigError(RuntimeError):
    """A setting that makes it unsafe or impossible to start; the message says how to fix it."""


def from_environment(instance_path: str) -> dict:
    """Configuration from environment variables (SECRET_KEY, DATABASE_URL, upload limits)."""
    default_db = "sqlite:///" + str(Path(instance_path) / "pars.db")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or read_secret_key_file(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_db,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_BYTES", 50 * 1024 * 1024)),
        "MAX_UPLOAD_ROWS": int(os.environ.get("MAX_UPLOAD_ROWS", 200_000)),
        # From this size an upload is checked and stored in the background (pars.uploads.jobs):
        # about 5,000 learner rows or 6,000 activities, a few seconds of work.
        "UPLOAD_BACKGROUND_BYTES": int(os.environ.get("UPLOAD_BACKGROUND_BYTES", 400_000)),
        "UPLOAD_PROGRESS_DIR": str(Path(instance_path) / "jobs"),  # one small file per job
        # The background queue: "" is a SQLite file in the instance folder; redis://... at scale.
        "TASK_QUEUE_URL": os.environ.get("TASK_QUEUE_URL", ""),
        # Uploads read at once (each large one in a reader process); the others wait their turn.
        "UPLOAD_WORKERS": int(os.environ.get("UPLOAD_WORKERS", 2)),
        # Days a stored upload's file is kept (its preview and result stay); cancelled: none.
        "UPLOAD_RETENTION_DAYS": int(os.environ.get("UPLOAD_RETENTION_DAYS", 30)),
        # Email (pars.core.mail): smtp://user:password@host:587 or smtps://...; none: links shown.
        "SMTP_URL": os.environ.get("SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "cme-office@localhost"),
        # The address people reach this server at, for links in emails sent by the worker.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Requests a minute one address may make to the public pages (pars.core.public_limits).
        "PUBLIC_REQUESTS_PER_MINUTE": int(os.environ.get("PUBLIC_REQUESTS_PER_MINUTE", 120)),
        # A claim link's own limits (pars.views.claims), sized for a room behind one address:
        # claims sent per address in 5 minutes, pages asked per address in 5 minutes, and tries
        # of one learner (name and MM/DD) in 10 minutes from any address.
        "CLAIMS_PER_ADDRESS": int(os.environ.get("CLAIMS_PER_ADDRESS", 300)),
        "CLAIM_PAGES_PER_ADDRESS": int(os.environ.get("CLAIM_PAGES_PER_ADDRESS", 3000)),
        "CLAIM_TRIES_PER_LEARNER": int(os.environ.get("CLAIM_TRIES_PER_LEARNER", 10)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE") == "1",
        # How many reverse proxies stand in front (their X-Forwarded-* headers are believed).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Tokens live as long as the session, so a page left open over lunch still saves.
        "WTF_CSRF_TIME_LIMIT": None,
        # Idle limit (the cookie's signed age, renewed on each request) and absolute limit.
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_LIFETIME_SECONDS", 4 * 3600)),
        "SESSION_MAX_SECONDS": int(os.environ.get("SESSION_MAX_SECONDS", 12 * 3600)),
        # A fixed "today" (YYYY-MM-DD) for tests of a server in its own process; unset in use.
        "TODAY": os.environ.get("PARS_TODAY") or None,
    }


def read_secret_key_file(instance_path: str) -> str | None:
    path = Path(instance_path) / SECRET_KEY_FILE
    return path.read_text().strip() if path.exists() else None


def ensure_secret_key_file(instance_path: str) -> Path:
    """Create a random key under instance/ once, so a fresh checkout starts safely."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path


def check_today(config: dict) -> None:
    """A fixed date must be a real one: a typo would otherwise fail on the first page."""
    fixed = config.get("TODAY")
    if isinstance(fixed, str):
        try:
            date.fromisoformat(fixed)
        except ValueError:
            raise ConfigError(f"PARS_TODAY must be a date as YYYY-MM-DD, not {fixed!r}.") from None


def check_secret_key(config: dict) -> None:
    """Refuse to run with a missing or guessable key outside tests."""
    if config.get("TESTING"):
        return
    key = config.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SECRET_KEY is missing or shorter than {MIN_SECRET_KEY_LENGTH} characters. "
            "Set a long random SECRET_KEY in the environment, or run `make secret-key` "
            "to create one under instance/."
        )
