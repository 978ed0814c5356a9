"""Helpers the currency pages share: login, permissions, lookups, pagination."""

from __future__ import annotations

import secrets
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from .. import selectors
from ..models import Currency, Wallet


def login_required_page(view):
    """Like login_required, but an htmx request is sent to the login page as a whole page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        if not request.user.is_authenticated:
            path = request.get_full_path()
            if request.htmx:
                login_url = resolve_url(settings.LOGIN_URL)
                return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': path})}")
            return redirect_to_login(path)
        return view(request, *args, **kwargs)

    return wrapper


def neighbourhood_allowing(request: HttpRequest, permission: str):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None or not request.user.has_perm(permission, neighbourhood):
        raise PermissionDenied
    return neighbourhood


def require(request: HttpRequest, permission: str, obj: Any) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def find(selector, **lookup):
    """An object of the current neighbourhood, or 404."""
    try:
        return selector(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def current_neighbourhood(request: HttpRequest):
    if getattr(request, "neighbourhood", None) is None:
        raise Http404
    return request.neighbourhood


def currency_or_404(request: HttpRequest, code: str) -> Currency:
    return find(selectors.currency_get, neighbourhood=current_neighbourhood(request), code=code)


def wallet_or_404(request: HttpRequest, pk: int) -> Wallet:
    return find(selectors.wallet_get, neighbourhood=current_neighbourhood(request), wallet_id=pk)


def page_of(request: HttpRequest, items: Any, per_page: int | None = None):
    page = Paginator(items, per_page or settings.HEELWIJK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return page, page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


def wants_partial(request: HttpRequest) -> bool:
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def new_form_key() -> str:
    """A one-time key for a confirmation form: submitting twice pays once."""
    return secrets.token_hex(16)


def web_key(request: HttpRequest, key: str) -> str | None:
    """The idempotency key of a page's confirmation, in the user's own namespace."""
    key = (key or "").strip()
    if not key or len(key) > 64 or not key.isalnum():
        return None
    return f"web:{request.user.pk}:{key}"
