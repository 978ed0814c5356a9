"""Writes for accounts: users and API tokens."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.neighbourhood.actions import audit

from .models import ApiToken, User
from .tokens import digest_of, new_secret


def user_create(*, email: str, password: str | None, full_name: str = "", **extra) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(email=email, full_name=full_name, **extra)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def api_token_create(*, actor: User, neighbourhood, name: str, user: User | None = None):
    """Create a token for `user` (default: the actor). Returns (token, secret) — show it once."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the program that uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("A name has at most 100 characters.")})
    if not name.isprintable():
        raise ValidationError({"name": _("Remove the control character from this text.")})
    secret = new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user or actor,
            neighbourhood=neighbourhood,
            name=name,
            prefix=secret[:10],
            digest=digest_of(secret),
            created_by=actor,
        )
        audit(neighbourhood=neighbourhood, actor=actor, action="api_token_create", obj=token)
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        return token
    if token.neighbourhood_id is None:
        raise PermissionDenied
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(neighbourhood=token.neighbourhood, actor=actor, action="api_token_revoke", obj=token)
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record use, at most once a minute, so reads don't all become writes."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
