"""Sign-ins kept on the server: each signed-in browser holds a random key in its session
cookie, and only its hash is stored (pars.models.SignIn). Every request's user is loaded
through a live sign-in (pars.accounts.auth.load_user), so signing out ends that browser's
session at once, even for a copy of the cookie saved before; a password change, reset or
disable ends every session of the user (User.session_version). Each sign-in notes its
address, so a correct password from a known address gets through a paused account
(pars.accounts.login_limits); rows are kept KEPT after they start, then removed.
"""

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, select

from pars.core.digests import digest
from pars.models import SignIn, User

KEY = "sign_in"  # the session cookie's entry holding this browser's key
KEPT = timedelta(days=180)  # far beyond any session's life: only the address is still used


def start(session: Session, user: User, *, address: str) -> str:
    """A new sign-in of ``user`` from ``address``; the key goes into the session cookie, the
    caller commits. Sign-ins older than KEPT are removed as new ones start."""
    now = datetime.now(UTC)
    session.execute(delete(SignIn).where(SignIn.started_at < now - KEPT))
    key = secrets.token_urlsafe(32)
    session.add(SignIn(user_id=user.id, key_hash=digest(key), address=address[:64], started_at=now))
    return key


def known_address(session: Session, *, email: str, address: str) -> bool:
    """Whether the account with this email has signed in from this address before."""
    query = (
        select(SignIn.id)
        .join(User, User.id == SignIn.user_id)
        .where(User.email == email, SignIn.address == address[:64])
    )
    return session.exec(query.limit(1)).first() is not None


def end(session: Session, key: str | None) -> None:
    """End the sign-in holding ``key`` (signing out); the caller commits."""
    if key:
        session.execute(
            update(SignIn)
            .where(SignIn.key_hash == digest(key), SignIn.ended_at.is_(None))
            .values(ended_at=datetime.now(UTC))
        )
