"""Sign-ins kept on the server: each signed-in browser holds a random key in its session
cookie, and only its hash is stored (pars.models.SignIn). Every request's user is loaded
through a live sign-in (pars.accounts.auth.load_user), so signing out ends that browser's
session at once, even for a copy of the cookie saved before; a password change, reset or
disable ends every session of the user (User.session_version).
"""

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import Session

from pars.models import SignIn, User

KEY = "sign_in"  # the session cookie's entry holding this browser's key


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: Session, user: User) -> str:
    """A new sign-in of ``user``; the key goes into the session cookie, the caller commits."""
    key = secrets.token_urlsafe(32)
    session.add(SignIn(user_id=user.id, key_hash=digest(key)))
    return key


def end(session: Session, key: str | None) -> None:
    """End the sign-in holding ``key`` (signing out); the caller commits."""
    if key:
        session.execute(
            update(SignIn)
            .where(SignIn.key_hash == digest(key), SignIn.ended_at.is_(None))
            .values(ended_at=datetime.now(UTC))
        )
