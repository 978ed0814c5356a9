"""The JSON API: one NinjaAPI under /api/v1 that mounts each app's router."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from heelwijk.accounts.api_auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="Heelwijk API",
    version="1",
    description=(
        "The JSON API of Heelwijk. Authenticate with `Authorization: Bearer <token>`; staff "
        "create tokens on the page 'API tokens'. Every list and object is limited to the "
        "neighbourhood of the token."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, message: str, details=None):
    body = {"detail": message}
    if details is not None:
        body["errors"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, str(exc) or _("You do not have permission to do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, _("Log in or send a valid API token."))


@api.exception_handler(ValidationError)
def on_django_validation(request, exc):
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 400, _("The data is not valid."), details)


@api.exception_handler(NinjaValidationError)
def on_schema_validation(request, exc):
    return _error(request, 422, _("The request does not match the schema."), exc.errors)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return _error(request, exc.status_code, str(exc))


def _mount_routers() -> None:
    from heelwijk.accounts.api import router as accounts_router
    from heelwijk.neighbourhood.api import router as neighbourhood_router

    api.add_router("/", neighbourhood_router)
    api.add_router("/tokens", accounts_router)
    for module in ("ledger", "currency", "purchasing", "businesscase"):
        try:
            mod = __import__(f"heelwijk.{module}.api", fromlist=["router"])
        except ModuleNotFoundError as exc:
            if exc.name != f"heelwijk.{module}.api":
                raise
            continue
        api.add_router(f"/{module}", mod.router)


_mount_routers()
