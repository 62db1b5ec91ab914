"""Providers and users: creating them, password rules, and checking a password at login."""

import secrets

from sqlmodel import Session, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from pars.models import Provider, User
from pars.vocab import Role

# A hash to check against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def get_or_create_provider(
    session: Session, *, name: str, accme_provider_id: str | None = None
) -> Provider:
    provider = session.exec(select(Provider).where(Provider.name == name)).first()
    if provider is None:
        provider = Provider(name=name, accme_provider_id=accme_provider_id)
        session.add(provider)
        session.flush()
    return provider


MIN_PASSWORD_LENGTH = 12


class PasswordRejected(ValueError):
    """A password that breaks the rules; the message says which."""


def password_error(password: str, email: str) -> str | None:
    """At least 12 characters, and not the email address or its name part."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    lowered, address = password.strip().lower(), normalize_email(email)
    if lowered in (address, address.split("@")[0]):
        return "Do not use your email address as your password."
    return None


def temporary_password() -> str:
    """A random password for a new or reset account, to be changed after signing in."""
    return secrets.token_urlsafe(12)  # 16 characters


def set_password(user: User, password: str) -> None:
    """Hash and store a password that passes the rules; ends the user's other sessions."""
    if error := password_error(password, user.email):
        raise PasswordRejected(error)
    user.password_hash = generate_password_hash(password, method="scrypt")
    user.session_version += 1


def create_user(
    session: Session, *, email: str, password: str, role: Role, provider: Provider
) -> User:
    """Add a user with a scrypt password hash; the caller commits."""
    user = User(
        email=normalize_email(email),
        password_hash="",
        role=Role(role).value,
        provider_id=provider.id,
        session_version=0,
    )
    set_password(user, password)
    session.add(user)
    session.flush()
    return user


def other_active_admins(session: Session, user: User) -> int:
    """How many active administrators the user's provider has besides ``user``."""
    return session.exec(
        select(func.count())
        .select_from(User)
        .where(
            User.provider_id == user.provider_id,
            User.role == Role.ADMIN.value,
            User.is_active.is_(True),
            User.id != user.id,
        )
    ).one()


def last_admin_refusal(session: Session, user: User, *, role: Role, active: bool) -> str | None:
    """Why ``user`` cannot get this role or state: a provider keeps one active admin."""
    stays_admin = role is Role.ADMIN and active
    if user.role == Role.ADMIN.value and not stays_admin and not other_active_admins(session, user):
        return "This is the provider's last active administrator; make another user an admin first."
    return None


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this email and password, or None: callers cannot tell which
    of the two was wrong, and neither can an attacker timing the answer."""
    user = find_user(session, email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user
