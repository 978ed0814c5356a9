"""My wallets, a wallet's balance and statement, receipts, shops and their payment codes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heelwijk.ledger.money import from_minor
from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.models import Organisation

from .. import actions, selectors
from ..forms import WalletLimitForm, WalletSettingsForm, add_action_errors
from ..qr import qr_svg
from ..rules import holds_wallet
from .common import (
    currency_or_404,
    current_neighbourhood,
    find,
    login_required_page,
    neighbourhood_allowing,
    page_of,
    require,
    wallet_or_404,
)


@login_required_page
def home(request: HttpRequest) -> HttpResponse:
    neighbourhood = neighbourhood_allowing(request, "currency.use_wallets")
    user = request.user
    wallets = selectors.wallets_for_user(user=user, neighbourhood=neighbourhood)
    currencies = list(selectors.currency_list(neighbourhood=neighbourhood))
    return render(
        request,
        "currency/home.html",
        {
            "wallets": [
                {
                    "wallet": w,
                    "can_redeem": user.has_perm("currency.redeem_wallet", w),
                    "requests": selectors.open_requests(wallet=w, limit=3),
                }
                for w in wallets
            ],
            "openable": selectors.openable_wallets(user=user, neighbourhood=neighbourhood),
            "currencies": currencies,
            "can_manage": user.has_perm("currency.manage_currency", neighbourhood),
            "credit_currencies": [
                c for c in currencies if user.has_perm("currency.credit_hours", c)
            ],
        },
    )


@login_required_page
@require_POST
def open_own(request: HttpRequest, code: str) -> HttpResponse:
    """Open the user's own (or household's) wallet, or one of an organisation they represent."""
    neighbourhood = neighbourhood_allowing(request, "currency.use_wallets")
    currency = currency_or_404(request, code)
    access = access_for(request.user)
    holder_key = request.POST.get("holder", "me")
    if holder_key == "me":
        if access.person is None or access.person.neighbourhood_id != neighbourhood.pk:
            raise PermissionDenied
        holder = actions.resident_holder(currency=currency, person=access.person)
    elif holder_key.startswith("org:") and holder_key[4:].isdigit():
        org_id = int(holder_key[4:])
        if org_id not in access.organisation_ids(neighbourhood.pk):
            raise PermissionDenied
        holder = find(Organisation.objects.get, pk=org_id, neighbourhood=neighbourhood)
    else:
        raise Http404
    try:
        wallet = actions.wallet_open(currency=currency, holder=holder, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("currency:home")
    messages.success(
        request,
        _("Your %(currency)s wallet is open. Its payment code is %(code)s.")
        % {"currency": currency.name, "code": wallet.payment_code},
    )
    return redirect("currency:wallet", pk=wallet.pk)


def _wallet_context(request: HttpRequest, wallet) -> dict:
    user = request.user
    neighbourhood = wallet.neighbourhood
    is_staff = user.has_perm("currency.manage_currency", neighbourhood)
    is_holder = holds_wallet(user, wallet)
    return {
        "wallet": wallet,
        "currency": wallet.currency,
        "is_holder": is_holder,
        "is_staff": is_staff,
        "can_pay": user.has_perm("currency.pay_from_wallet", wallet),
        "can_request": user.has_perm("currency.request_payment", wallet),
        "can_redeem": user.has_perm("currency.redeem_wallet", wallet),
        "can_change": user.has_perm("currency.change_wallet", wallet),
        "latest": selectors.latest_payments(wallet=wallet),
    }


@login_required_page
def wallet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wallet = wallet_or_404(request, pk)
    require(request, "currency.view_wallet", wallet)
    page_number = request.GET.get("page", "1")
    sheet = selectors.wallet_statement(
        wallet=wallet, page=int(page_number) if page_number.isdigit() else 1
    )
    context = _wallet_context(request, wallet)
    context.update(
        {
            "sheet": sheet,
            "limit_changes": list(selectors.limit_changes(wallet=wallet)[:10]),
            "open_requests": selectors.open_requests(wallet=wallet) if context["is_holder"] else [],
        }
    )
    if context["is_staff"]:
        context["limit_form"] = WalletLimitForm(
            wallet=wallet,
            initial={
                "credit_limit": None
                if wallet.credit_limit is None
                else from_minor(wallet.credit_limit, wallet.currency.unit)
            },
        )
    return render(request, "currency/wallet_detail.html", context)


@login_required_page
def wallet_latest(request: HttpRequest, pk: int) -> HttpResponse:
    """The live panel of recent payments (polled by htmx every few seconds)."""
    wallet = wallet_or_404(request, pk)
    require(request, "currency.view_wallet", wallet)
    wallet.account.refresh_from_db(fields=["balance"])
    return render(request, "currency/_latest.html", _wallet_context(request, wallet))


@login_required_page
def wallet_settings(request: HttpRequest, pk: int) -> HttpResponse:
    wallet = wallet_or_404(request, pk)
    require(request, "currency.change_wallet", wallet)
    form = WalletSettingsForm(request.POST or None, wallet=wallet)
    if request.method == "POST" and form.is_valid():
        try:
            actions.wallet_update(
                wallet=wallet,
                actor=request.user,
                name=form.cleaned_data["name"],
                category=form.cleaned_data.get("category"),
                is_listed=form.cleaned_data["is_listed"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The settings of the wallet have been saved."))
            return redirect("currency:wallet", pk=wallet.pk)
    return render(request, "currency/wallet_settings.html", {"wallet": wallet, "form": form})


@login_required_page
@require_POST
def wallet_limit(request: HttpRequest, pk: int) -> HttpResponse:
    wallet = wallet_or_404(request, pk)
    require(request, "currency.manage_currency", wallet.neighbourhood)
    form = WalletLimitForm(request.POST, wallet=wallet)
    if form.is_valid():
        try:
            actions.wallet_set_limit(
                wallet=wallet,
                credit_limit=form.credit_limit_minor(),
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The credit limit has been changed."))
            return redirect("currency:wallet", pk=wallet.pk)
    context = _wallet_context(request, wallet)
    context.update(
        {
            "sheet": selectors.wallet_statement(wallet=wallet),
            "limit_changes": list(selectors.limit_changes(wallet=wallet)[:10]),
            "limit_form": form,
            "open_requests": [],
        }
    )
    return render(request, "currency/wallet_detail.html", context, status=400)


@login_required_page
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = find(
        selectors.payment_get, neighbourhood=current_neighbourhood(request), payment_id=pk
    )
    require(request, "currency.view_payment", payment)
    user = request.user
    paid, received = holds_wallet(user, payment.payer), holds_wallet(user, payment.payee)
    return render(
        request,
        "currency/receipt.html",
        {
            "payment": payment,
            "currency": payment.currency,
            "paid": paid,
            "received": received and not paid,
            "my_wallet": payment.payer if paid else payment.payee if received else None,
            "my_balance": payment.payer_balance_after
            if paid
            else payment.payee_balance_after
            if received
            else None,
        },
    )


@login_required_page
def shop(request: HttpRequest, pk: int) -> HttpResponse:
    """A shop's page with its payment code as a QR code."""
    wallet = wallet_or_404(request, pk)
    require(request, "currency.view_shop", wallet)
    url = request.build_absolute_uri(reverse("currency:code", args=[wallet.payment_code]))
    my_wallet = selectors.wallet_for_user(user=request.user, currency=wallet.currency)
    return render(
        request,
        "currency/shop.html",
        {
            "wallet": wallet,
            "currency": wallet.currency,
            "organisation": wallet.organisation,
            "qr": qr_svg(url, label=_("QR code to pay %(name)s") % {"name": wallet.name}),
            "pay_url": url,
            "my_wallet": my_wallet if my_wallet and my_wallet.pk != wallet.pk else None,
            "is_holder": holds_wallet(request.user, wallet),
        },
    )


@login_required_page
def shops(request: HttpRequest, code: str) -> HttpResponse:
    neighbourhood_allowing(request, "currency.use_wallets")
    currency = currency_or_404(request, code)
    page, page_range = page_of(request, selectors.shops_accepting(currency=currency))
    return render(
        request,
        "currency/shops.html",
        {"currency": currency, "page": page, "page_range": page_range},
    )


@login_required_page
def code_landing(request: HttpRequest, payment_code: str) -> HttpResponse:
    """Where a scanned QR code leads: the payer's pay page with the receiver filled in."""
    neighbourhood = neighbourhood_allowing(request, "currency.use_wallets")
    payee = find(
        selectors.wallet_by_code,
        neighbourhood=neighbourhood,
        payment_code=actions.clean_payment_code(payment_code),
    )
    mine = selectors.wallet_for_user(user=request.user, currency=payee.currency)
    if mine is not None and mine.pk != payee.pk:
        query = urlencode({"to": payee.payment_code})
        return redirect(f"{reverse('currency:pay', args=[mine.pk])}?{query}")
    openable = [
        o
        for o in selectors.openable_wallets(user=request.user, neighbourhood=neighbourhood)
        if o.currency.pk == payee.currency_id
    ]
    return render(
        request,
        "currency/code_no_wallet.html",
        {"payee": payee, "currency": payee.currency, "openable": openable, "own": mine},
        status=200,
    )
