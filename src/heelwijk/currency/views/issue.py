"""Earning and issuing: credit volunteering hours; record a euro deposit (euro-backed only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import actions, selectors
from ..amounts import show
from ..forms import CreditHoursForm, DepositForm, add_action_errors
from ..templatetags.currency_tags import euros
from .common import (
    currency_or_404,
    login_required_page,
    new_form_key,
    page_of,
    require,
    web_key,
)


@login_required_page
def credit_hours(request: HttpRequest, code: str) -> HttpResponse:
    currency = currency_or_404(request, code)
    require(request, "currency.credit_hours", currency)
    user = request.user
    is_staff = user.has_perm("currency.manage_currency", currency.neighbourhood)
    organisations = selectors.authorised_organisations(user=user, currency=currency)
    form = CreditHoursForm(
        request.POST or None,
        initial={"activity_date": timezone.localdate()},
        currency=currency,
        organisations=organisations,
        staff=is_staff,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            credit = actions.volunteer_credit_create(
                currency=currency,
                wallet=data["wallet"],
                hours=data["hours"],
                activity=data["activity"],
                reason=data["reason"],
                activity_date=data["activity_date"],
                organisation=data.get("organisation"),
                actor=user,
                idempotency_key=web_key(request, request.POST.get("key", "")),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has been credited %(amount)s for %(activity)s.")
                % {
                    "name": credit.wallet.name,
                    "amount": show(credit.amount, currency),
                    "activity": credit.activity,
                },
            )
            return redirect("currency:credit_hours", code=currency.code)
    credits = selectors.credit_list(currency=currency)
    if not is_staff:
        credits = credits.filter(organisation__in=organisations)
    page, page_range = page_of(request, credits)
    return render(
        request,
        "currency/credit_hours.html",
        {
            "currency": currency,
            "form": form,
            "key": new_form_key(),
            "page": page,
            "page_range": page_range,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required_page
def deposit(request: HttpRequest, code: str) -> HttpResponse:
    currency = currency_or_404(request, code)
    require(request, "currency.manage_currency", currency.neighbourhood)
    if not currency.is_euro_backed:
        raise Http404
    form = DepositForm(request.POST or None, currency=currency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move = actions.euro_deposit(
                currency=currency,
                wallet=data["wallet"],
                amount=data["amount"],
                note=data["note"],
                actor=request.user,
                idempotency_key=web_key(request, request.POST.get("key", "")),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(euros)s received: %(units)s issued to %(name)s.")
                % {
                    "euros": euros(move.amount),
                    "units": show(move.amount, currency),
                    "name": move.wallet.name,
                },
            )
            return redirect("currency:deposit", code=currency.code)
    page, page_range = page_of(request, selectors.reserve_movements(currency=currency))
    return render(
        request,
        "currency/deposit.html",
        {
            "currency": currency,
            "form": form,
            "key": new_form_key(),
            "reserve": selectors.reserve_status(currency=currency),
            "page": page,
            "page_range": page_range,
        },
        status=400 if request.method == "POST" else 200,
    )
