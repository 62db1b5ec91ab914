"""API bearer tokens: made once and shown once, stored as a hash, acting as their user (so the
user's provider and role bound everything a token can do). Each expires (LIFETIMES, chosen when
it is made), is revoked by its user or an administrator of the provider, and by a password reset
or a disable of its user."""

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from pars.core.digests import digest
from pars.models import ApiToken, User

PREFIX = "pars_"
LIFETIMES = (30, 90, 180, 365)  # days a new token may live
DEFAULT_LIFETIME = 90


def create(session: Session, user: User, name: str, *, days: int = DEFAULT_LIFETIME) -> str:
    """A new token for ``user``, living ``days``; the caller shows it once and commits."""
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name.strip()[:100] or "API token",
            token_hash=digest(token),
            hint=token[:12],
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    return token


def user_of(session: Session, token: str, *, address: str | None = None) -> User | None:
    """The active user a live (unrevoked, unexpired) token acts for; the token's last use and
    its address are noted."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    found = session.exec(
        select(ApiToken, User)
        .join(User)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    now = datetime.now(UTC)
    if found is None or not found[1].is_active or not alive(found[0], now):
        return None
    found[0].last_used_at, found[0].last_used_from = now, (address or "")[:64] or None
    return found[1]


def alive(token: ApiToken, now: datetime) -> bool:
    expires = token.expires_at
    if expires is not None and expires.tzinfo is None:  # SQLite hands back naive UTC
        expires = expires.replace(tzinfo=UTC)
    return expires is None or expires > now


def revoke_all(session: Session, user_id: int) -> None:
    """Revoke every live token of a user (a password reset or a disable); the caller commits."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def of_provider(session: Session, provider_id: int) -> list[tuple[ApiToken, str]]:
    """Every token of the provider's users, newest first, with its user's email."""
    query = (
        select(ApiToken, User.email)
        .join(User)
        .where(User.provider_id == provider_id)
        .order_by(ApiToken.created_at.desc())
    )
    return list(session.exec(query).all())


def revoke(token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or datetime.now(UTC)
