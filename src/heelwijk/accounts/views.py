"""Staff pages to create and revoke the API tokens of their neighbourhood."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import actions, selectors

TOKENS_PER_PAGE = 25
MAX_ID = 2**63 - 1  # a larger id cannot exist (and would overflow SQLite)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses the token, e.g. 'energy dashboard'."),
    )


def _neighbourhood_for_tokens(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None or not request.user.has_perm(
        "accounts.manage_api_tokens", neighbourhood
    ):
        raise PermissionDenied(_("Only staff of the neighbourhood manage its API tokens."))
    return neighbourhood


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The tokens of the neighbourhood and a form for a new one; its secret is shown once."""
    neighbourhood = _neighbourhood_for_tokens(request)
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = actions.api_token_create(
                actor=request.user, neighbourhood=neighbourhood, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    page = Paginator(selectors.token_list(neighbourhood=neighbourhood), TOKENS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "page": page, "created": created, "secret": secret},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk: int):
    """Ask for confirmation, then revoke on POST."""
    neighbourhood = _neighbourhood_for_tokens(request)
    token = selectors.token_in(neighbourhood=neighbourhood, token_id=pk) if pk <= MAX_ID else None
    if token is None:
        raise Http404
    if request.method == "POST":
        if token.is_active:
            actions.api_token_revoke(actor=request.user, token=token)
            messages.success(
                request,
                _("The token “%(name)s” is revoked. Programs that use it no longer get in.")
                % {"name": token.name},
            )
        else:
            messages.info(request, _("This token was already revoked."))
        return redirect("token_list")
    return render(request, "accounts/token_revoke.html", {"token": token})
