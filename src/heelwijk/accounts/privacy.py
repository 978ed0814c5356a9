"""The accounts app's part of a privacy request: the login and its API tokens."""

from __future__ import annotations

from django.utils import timezone

from heelwijk.neighbourhood.privacy import iso

from .models import ApiToken


def export_person(person) -> dict:
    user = person.user
    if user is None:
        return {"login": None}
    tokens = ApiToken.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "login": {
            "email": user.email,
            "name": user.full_name,
            "joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "active": user.is_active,
        },
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": iso(token.created_at),
                "last_used_at": iso(token.last_used_at),
                "revoked_at": iso(token.revoked_at),
            }
            for token in tokens
        ],
    }


def erase_person(person, *, pseudonym: str) -> dict[str, int]:
    """Close the login for good: no e-mail, no password, inactive, every token revoked."""
    user = person.user
    if user is None:
        return {}
    user.email = f"verwijderd-{user.pk}@heelwijk.invalid"
    user.full_name = pseudonym
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return {"logins": 1, "api_tokens_revoked": revoked}
