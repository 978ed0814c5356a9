"""Staff pages: set up currencies, their trust rules and authorisations; all wallets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heelwijk.neighbourhood.models import Household, Organisation, Person

from .. import actions, selectors
from ..forms import (
    AuthorisationForm,
    CurrencyForm,
    HolderSearchForm,
    TrustRuleForm,
    WalletFilterForm,
    add_action_errors,
)
from ..models import CreditAuthorisation, TrustRule
from .common import (
    currency_or_404,
    find,
    login_required_page,
    neighbourhood_allowing,
    page_of,
)

MANAGE = "currency.manage_currency"


@login_required_page
def manage(request: HttpRequest) -> HttpResponse:
    neighbourhood = neighbourhood_allowing(request, MANAGE)
    currencies = list(selectors.currency_list(neighbourhood=neighbourhood))
    return render(
        request,
        "currency/manage.html",
        {
            "currencies": [
                {
                    "currency": c,
                    "wallets": c.wallets.count(),
                    "in_circulation": selectors.circulation_at(c, None),
                    "community": selectors.community_wallet(currency=c),
                }
                for c in currencies
            ]
        },
    )


@login_required_page
def currency_new(request: HttpRequest) -> HttpResponse:
    neighbourhood = neighbourhood_allowing(request, MANAGE)
    form = CurrencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            currency = actions.currency_create(
                neighbourhood=neighbourhood, actor=request.user, **form.action_fields()
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("%(name)s has been set up.") % {"name": currency.name})
            return redirect("currency:currency_settings", code=currency.code)
    return render(
        request,
        "currency/currency_form.html",
        {"form": form, "currency": None},
        status=400 if request.method == "POST" else 200,
    )


def _settings_context(request: HttpRequest, currency, **forms) -> dict:
    return {
        "currency": currency,
        "form": forms.get("form") or CurrencyForm(currency=currency),
        "trust_form": forms.get("trust_form") or TrustRuleForm(),
        "grant_form": forms.get("grant_form")
        or AuthorisationForm(
            organisations=selectors.organisations_for_grant(neighbourhood=currency.neighbourhood)
        ),
        "trust_rules": list(selectors.trust_rules(currency=currency)),
        "authorisations": list(selectors.authorisations(currency=currency)),
        "community": selectors.community_wallet(currency=currency),
        "demurrage_runs": list(currency.demurrage_runs.order_by("-period_start")[:12]),
    }


@login_required_page
def currency_settings(request: HttpRequest, code: str) -> HttpResponse:
    neighbourhood_allowing(request, MANAGE)
    currency = currency_or_404(request, code)
    form = CurrencyForm(request.POST or None, currency=currency)
    if request.method == "POST" and form.is_valid():
        try:
            actions.currency_update(currency=currency, actor=request.user, **form.action_fields())
        except ValidationError as exc:
            add_action_errors(form, exc)
            currency.refresh_from_db()
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("currency:currency_settings", code=currency.code)
    return render(
        request,
        "currency/currency_settings.html",
        _settings_context(request, currency, form=form),
        status=400 if request.method == "POST" else 200,
    )


@login_required_page
@require_POST
def trust_rule_add(request: HttpRequest, code: str) -> HttpResponse:
    neighbourhood_allowing(request, MANAGE)
    currency = currency_or_404(request, code)
    form = TrustRuleForm(request.POST)
    if form.is_valid():
        try:
            actions.trust_rule_add(
                currency=currency,
                actor=request.user,
                wallet_kind=form.cleaned_data["wallet_kind"],
                min_trades=form.cleaned_data["min_trades"],
                credit_limit=form.credit_limit_minor(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The trust rule has been added."))
            return redirect("currency:currency_settings", code=currency.code)
    return render(
        request,
        "currency/currency_settings.html",
        _settings_context(request, currency, trust_form=form),
        status=400,
    )


@login_required_page
@require_POST
def trust_rule_delete(request: HttpRequest, code: str, rule_id: int) -> HttpResponse:
    neighbourhood_allowing(request, MANAGE)
    currency = currency_or_404(request, code)
    rule = find(TrustRule.objects.get, currency=currency, pk=rule_id)
    actions.trust_rule_delete(rule=rule, actor=request.user)
    messages.success(request, _("The trust rule has been removed."))
    return redirect("currency:currency_settings", code=currency.code)


@login_required_page
@require_POST
def authorisation_grant(request: HttpRequest, code: str) -> HttpResponse:
    neighbourhood_allowing(request, MANAGE)
    currency = currency_or_404(request, code)
    form = AuthorisationForm(
        request.POST,
        organisations=selectors.organisations_for_grant(neighbourhood=currency.neighbourhood),
    )
    if form.is_valid():
        try:
            grant = actions.authorisation_grant(
                currency=currency,
                organisation=form.cleaned_data["organisation"],
                monthly_hours_cap=form.cleaned_data["monthly_hours_cap"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s may now credit volunteering hours.")
                % {"name": grant.organisation.name},
            )
            return redirect("currency:currency_settings", code=currency.code)
    return render(
        request,
        "currency/currency_settings.html",
        _settings_context(request, currency, grant_form=form),
        status=400,
    )


@login_required_page
@require_POST
def authorisation_revoke(request: HttpRequest, code: str, grant_id: int) -> HttpResponse:
    neighbourhood_allowing(request, MANAGE)
    currency = currency_or_404(request, code)
    grant = find(
        CreditAuthorisation.objects.select_related("organisation").get,
        currency=currency,
        pk=grant_id,
    )
    actions.authorisation_revoke(grant=grant, actor=request.user)
    messages.success(
        request,
        _("%(name)s may no longer credit volunteering hours.") % {"name": grant.organisation.name},
    )
    return redirect("currency:currency_settings", code=currency.code)


@login_required_page
def wallet_list(request: HttpRequest, code: str) -> HttpResponse:
    neighbourhood_allowing(request, MANAGE)
    currency = currency_or_404(request, code)
    form = WalletFilterForm(request.GET)
    form.is_valid()
    wallets = selectors.wallet_list(
        currency=currency,
        search=form.cleaned_data.get("q", ""),
        kind=form.cleaned_data.get("kind", ""),
    )
    page, page_range = page_of(request, wallets)
    return render(
        request,
        "currency/wallet_list.html",
        {"currency": currency, "form": form, "page": page, "page_range": page_range},
    )


HOLDER_MODELS = {"household": Household, "person": Person, "organisation": Organisation}


@login_required_page
def wallet_create(request: HttpRequest, code: str) -> HttpResponse:
    """Open a wallet for a household, person or organisation that has none yet."""
    neighbourhood = neighbourhood_allowing(request, MANAGE)
    currency = currency_or_404(request, code)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        holder_id = request.POST.get("holder", "")
        model = HOLDER_MODELS.get(kind)
        if model is None or not holder_id.isdigit():
            raise Http404
        holder = find(model.objects.get, pk=int(holder_id), neighbourhood=neighbourhood)
        try:
            wallet = actions.wallet_open(currency=currency, holder=holder, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("A wallet for %(name)s has been opened.") % {"name": wallet.name},
            )
            return redirect("currency:wallet", pk=wallet.pk)
    form = HolderSearchForm(request.GET or None)
    kind, search = "household", ""
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data.get("kind") or "household"
        search = form.cleaned_data.get("q", "")
    return render(
        request,
        "currency/wallet_create.html",
        {
            "currency": currency,
            "form": form,
            "kind": kind,
            "holders": selectors.holders_without_wallet(
                currency=currency, kind=kind, search=search
            ),
        },
    )
