"""The SHA-256 every secret link, token and sign-in key is stored as: the raw value is shown or
sent once and never kept, so a copy of the database opens nothing."""

import hashlib


def digest(secret: str) -> str:
    """The hex SHA-256 of ``secret`` (at most its first 200 characters: no real token is longer,
    and a megabyte pasted into a URL is not hashed)."""
    return hashlib.sha256(secret[:200].encode()).hexdigest()
