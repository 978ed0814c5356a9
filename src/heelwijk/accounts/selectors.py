"""Reads for accounts: token lookup and lists."""

from django.db.models import QuerySet

from .models import ApiToken
from .tokens import TOKEN_PREFIX, digest_of


def active_token_for_secret(secret: str) -> ApiToken | None:
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "neighbourhood")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def token_list(*, neighbourhood) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(neighbourhood=neighbourhood).select_related("user", "created_by")


def token_in(*, neighbourhood, token_id: int) -> ApiToken | None:
    return token_list(neighbourhood=neighbourhood).filter(pk=token_id).first()
