"""Providers and users: creating them, and checking a password at login."""

from sqlmodel import Session, select
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


def create_user(
    session: Session, *, email: str, password: str, role: Role, provider: Provider
) -> User:
    """Add a user with a scrypt password hash; the caller commits."""
    user = User(
        email=normalize_email(email),
        password_hash=generate_password_hash(password, method="scrypt"),
        role=Role(role).value,
        provider_id=provider.id,
    )
    session.add(user)
    session.flush()
    return user


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
