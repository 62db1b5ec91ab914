"""API bearer tokens: made once and shown once, stored as a hash, revocable, acting as their
user (so the user's provider and role bound everything a token can do)."""

import hashlib
import secrets
from datetime import UTC, datetime

from sqlmodel import Session, select

from pars.models import ApiToken, User

PREFIX = "pars_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, user: User, name: str) -> str:
    """A new token for ``user``; the caller shows it once and commits."""
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name.strip()[:100] or "API token",
            token_hash=digest(token),
            hint=token[:12],
        )
    )
    return token


def user_of(session: Session, token: str) -> User | None:
    """The active user a live token acts for (and the token's last use is noted)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    found = session.exec(
        select(ApiToken, User)
        .join(User)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    if found is None or not found[1].is_active:
        return None
    found[0].last_used_at = datetime.now(UTC)
    return found[1]


def revoke(token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or datetime.now(UTC)
