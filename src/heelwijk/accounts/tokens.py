"""API token secrets: generation and hashing. Only the digest is ever stored."""

import hashlib
import secrets

TOKEN_PREFIX = "hw_"  # noqa: S105 - a public marker, not a secret


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest_of(secret: str) -> str:
    # The secret has 256 bits of entropy, so a plain SHA-256 is a safe lookup key (no salt needed).
    return hashlib.sha256(secret.encode()).hexdigest()
