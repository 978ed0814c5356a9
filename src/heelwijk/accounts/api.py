"""JSON API for API tokens: staff list, create and revoke the tokens of their neighbourhood."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from heelwijk.neighbourhood.schemas import ErrorOut, InputSchema, ObjectId, PageParams, text

from . import actions, selectors

router = Router(tags=["tokens"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class TokenUserOut(Schema):
    id: int
    email: str
    full_name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it.")
    user: TokenUserOut
    neighbourhood_id: int
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    status: Literal["active", "revoked"]

    @staticmethod
    def resolve_status(obj) -> str:
        return "active" if obj.is_active else "revoked"


class TokenCreatedOut(TokenOut):
    secret: str = Field(
        description="Send as 'Authorization: Bearer <secret>'. Shown only in this answer."
    )


class TokenPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TokenOut]


class TokenIn(InputSchema):
    name: text(100) = Field(description="What uses the token, e.g. 'energy dashboard'.")


def _neighbourhood_for_tokens(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None or not request.user.has_perm(
        "accounts.manage_api_tokens", neighbourhood
    ):
        raise PermissionDenied(_("Only staff of the neighbourhood manage its API tokens."))
    return neighbourhood


@router.get("", response={200: TokenPage, **ERRORS})
def token_list(request, params: Query[PageParams]):
    """Every token of the neighbourhood, newest first; secrets are never shown again."""
    neighbourhood = _neighbourhood_for_tokens(request)
    queryset = selectors.token_list(neighbourhood=neighbourhood)
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": list(queryset[params.offset : params.offset + params.limit]),
    }


@router.post("", response={201: TokenCreatedOut, 400: ErrorOut, **ERRORS})
def token_create(request, payload: TokenIn):
    """Make a token for yourself in this neighbourhood. Store the secret now: it is shown once."""
    neighbourhood = _neighbourhood_for_tokens(request)
    token, secret = actions.api_token_create(
        actor=request.user, neighbourhood=neighbourhood, name=payload.name
    )
    token.secret = secret
    return Status(201, token)


@router.post("/{token_id}/revoke", response={200: TokenOut, 404: ErrorOut, **ERRORS})
def token_revoke(request, token_id: Path[ObjectId]):
    """Revoke a token: programs that use it get 401 from now on. Revoking twice changes nothing."""
    neighbourhood = _neighbourhood_for_tokens(request)
    token = selectors.token_in(neighbourhood=neighbourhood, token_id=token_id)
    if token is None:
        raise Http404
    return actions.api_token_revoke(actor=request.user, token=token)
