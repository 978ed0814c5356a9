"""Paying: the pay page (by payment code, or found by name and area), the confirmation screen,
payment requests (the shop's side with a QR code, the payer's side with a confirm button) and
exchanging units for euros."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heelwijk.neighbourhood.selectors import area_list

from .. import actions, selectors
from ..actions.payments import check_payment
from ..amounts import show
from ..errors import RequestConflict
from ..forms import PayForm, RecipientSearchForm, RedeemForm, RequestForm, add_action_errors
from ..models import PaymentRequest, Wallet
from ..qr import qr_svg
from ..rules import holds_wallet
from ..templatetags.currency_tags import euros
from .common import (
    current_neighbourhood,
    find,
    login_required_page,
    new_form_key,
    require,
    wallet_or_404,
    wants_partial,
    web_key,
)


def _payee_for(request: HttpRequest, payer: Wallet, code: str) -> Wallet | None:
    """The wallet behind a payment code, if it takes the payer's currency."""
    try:
        payee = selectors.wallet_by_code(
            neighbourhood=current_neighbourhood(request), payment_code=code
        )
    except Wallet.DoesNotExist:
        return None
    return payee if payee.currency_id == payer.currency_id else None


def _recipients(request: HttpRequest, payer: Wallet) -> tuple[RecipientSearchForm, list | None]:
    form = RecipientSearchForm(
        request.GET or None,
        areas=area_list(neighbourhood=payer.neighbourhood).order_by("name"),
    )
    if not form.is_bound or not form.is_valid():
        return form, None
    area = form.cleaned_data.get("area")
    return form, selectors.recipient_search(
        currency=payer.currency,
        search=form.cleaned_data.get("q", ""),
        area_id=area.pk if area else None,
        exclude=payer,
    )


@login_required_page
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    payer = wallet_or_404(request, pk)
    require(request, "currency.pay_from_wallet", payer)
    currency = payer.currency
    search_form, found = _recipients(request, payer)
    if request.method == "GET" and wants_partial(request):
        response = render(request, "currency/_recipients.html", {"found": found, "payer": payer})
        patch_vary_headers(response, ("HX-Request",))
        return response
    payee = None
    if request.method == "POST":
        form = PayForm(request.POST, currency=currency)
        if form.is_valid():
            payee = _payee_for(request, payer, form.cleaned_data["to"])
            if payee is None:
                form.add_error(
                    "to",
                    _("No wallet with payment code %(code)s takes %(currency)s.")
                    % {"code": form.cleaned_data["to"], "currency": currency.name},
                )
        if form.is_valid() and payee is not None:
            amount = form.cleaned_data["amount"]
            try:
                check_payment(payer=payer, payee=payee, amount=amount, currency=currency)
                if request.POST.get("step") == "confirm":
                    payment = actions.payment_create(
                        payer=payer,
                        payee=payee,
                        amount=amount,
                        actor=request.user,
                        description=form.cleaned_data["description"],
                        category=form.cleaned_data["category"] or None,
                        idempotency_key=web_key(request, request.POST.get("key", "")),
                    )
                    return redirect("currency:receipt", pk=payment.pk)
            except RequestConflict:
                form.add_error(None, _("This payment was changed after it was confirmed."))
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                return render(
                    request,
                    "currency/pay_confirm.html",
                    {
                        "payer": payer,
                        "payee": payee,
                        "currency": currency,
                        "amount": amount,
                        "values": form.as_hidden_values(),
                        "description": form.cleaned_data["description"],
                        "key": new_form_key(),
                    },
                )
    else:
        code = actions.clean_payment_code(request.GET.get("to", ""))
        form = PayForm(initial={"to": code}, currency=currency)
        payee = _payee_for(request, payer, code) if code else None
    return render(
        request,
        "currency/pay.html",
        {
            "payer": payer,
            "currency": currency,
            "form": form,
            "payee": payee if payee is not None and payee.pk != payer.pk else None,
            "search_form": search_form,
            "found": found,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required_page
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    wallet = wallet_or_404(request, pk)
    require(request, "currency.request_payment", wallet)
    form = RequestForm(request.POST or None, currency=wallet.currency)
    if request.method == "POST" and form.is_valid():
        try:
            payment_request = actions.payment_request_create(
                payee=wallet,
                amount=form.cleaned_data["amount"],
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("currency:request", token=payment_request.token)
    return render(
        request,
        "currency/request_form.html",
        {"wallet": wallet, "currency": wallet.currency, "form": form},
    )


def _request_or_404(request: HttpRequest, token: str) -> PaymentRequest:
    payment_request = find(
        selectors.request_get, neighbourhood=current_neighbourhood(request), token=token
    )
    require(request, "currency.view_payment_request", payment_request)
    return payment_request


def _request_context(request: HttpRequest, payment_request: PaymentRequest) -> dict:
    payment = (
        getattr(payment_request, "payment", None) if payment_request.status == "paid" else None
    )
    return {
        "payment_request": payment_request,
        "currency": payment_request.currency,
        "payment": payment,
        "can_cancel": request.user.has_perm("currency.cancel_payment_request", payment_request),
    }


@login_required_page
def request_page(request: HttpRequest, token: str) -> HttpResponse:
    """The requesting side sees a QR code and the status; anyone else may confirm and pay."""
    payment_request = _request_or_404(request, token)
    context = _request_context(request, payment_request)
    if holds_wallet(request.user, payment_request.payee):
        url = request.build_absolute_uri(reverse("currency:request", args=[token]))
        context["qr"] = qr_svg(url, label=_("QR code of this payment request"))
        context["url"] = url
        return render(request, "currency/request_detail.html", context)
    payer = selectors.wallet_for_user(user=request.user, currency=payment_request.currency)
    context["payer"] = payer
    context["key"] = new_form_key()
    status = 200
    if request.method == "POST" and payer is not None:
        require(request, "currency.pay_from_wallet", payer)
        try:
            payment = actions.payment_request_pay(
                request=payment_request,
                payer=payer,
                actor=request.user,
                idempotency_key=web_key(request, request.POST.get("key", "")),
            )
        except ValidationError as exc:
            context["errors"] = exc.messages
            status = 400
        else:
            return redirect("currency:receipt", pk=payment.pk)
    context["openable"] = [
        o
        for o in selectors.openable_wallets(
            user=request.user, neighbourhood=payment_request.neighbourhood
        )
        if o.currency.pk == payment_request.currency_id
    ]
    return render(request, "currency/request_pay.html", context, status=status)


@login_required_page
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    """The live status of a request (polled by htmx on the requesting side)."""
    payment_request = _request_or_404(request, token)
    return render(
        request, "currency/_request_status.html", _request_context(request, payment_request)
    )


@login_required_page
@require_POST
def request_cancel(request: HttpRequest, token: str) -> HttpResponse:
    payment_request = _request_or_404(request, token)
    require(request, "currency.cancel_payment_request", payment_request)
    try:
        actions.payment_request_cancel(request=payment_request, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The payment request has been cancelled."))
    return redirect("currency:request", token=token)


@login_required_page
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    """A shop exchanges units for euros: a form, a confirmation with the fee, the result."""
    wallet = wallet_or_404(request, pk)
    require(request, "currency.redeem_wallet", wallet)
    currency = wallet.currency
    form = RedeemForm(request.POST or None, currency=currency)
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["amount"]
        if request.POST.get("step") == "confirm":
            try:
                move = actions.redemption_create(
                    wallet=wallet,
                    amount=amount,
                    actor=request.user,
                    idempotency_key=web_key(request, request.POST.get("key", "")),
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(units)s exchanged: the wijkbedrijf pays you € %(net)s (fee € %(fee)s).")
                    % {
                        "units": show(move.amount, currency),
                        "net": _cents(move.net),
                        "fee": _cents(move.fee),
                    },
                )
                return redirect("currency:wallet", pk=wallet.pk)
        elif amount > wallet.account.balance:
            form.add_error(
                "amount",
                _("%(name)s holds %(balance)s; exchange at most that.")
                % {"name": wallet.name, "balance": show(wallet.account.balance, currency)},
            )
        else:
            fee = actions.redemption_fee(currency, amount)
            return render(
                request,
                "currency/redeem_confirm.html",
                {
                    "wallet": wallet,
                    "currency": currency,
                    "amount": amount,
                    "fee": fee,
                    "net": amount - fee,
                    "value": request.POST.get("amount", ""),
                    "key": new_form_key(),
                },
            )
    return render(
        request,
        "currency/redeem.html",
        {"wallet": wallet, "currency": currency, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _cents(cents: int) -> str:
    return euros(cents).removeprefix("€ ")
