"""Permission matrix: every currency page and API endpoint for every role. A denial (login,
401, 403 or 404) changes nothing: no payment, wallet, limit, credit, audit entry or ledger
transaction appears."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from heelwijk.accounts.actions import api_token_create
from heelwijk.currency.actions import (
    authorisation_grant,
    payment_create,
    payment_request_create,
    trust_rule_add,
)
from heelwijk.currency.models import (
    CreditAuthorisation,
    LimitChange,
    Payment,
    PaymentRequest,
    ReserveMovement,
    TrustRule,
    VolunteerCredit,
    Wallet,
)
from heelwijk.ledger.models import Transaction
from heelwijk.neighbourhood.models import AuditEntry

from .conftest import ROLES, make_currency, open_wallets

A, RA, RB, S, REP, SHOP = (
    ROLES  # anonymous, resident_a, resident_b, staff_a, representative_a, shop_a
)
LOGIN = "login"


@dataclass
class Ctx:
    town: Any
    w: Any  # the mutual credit's wallets
    euro: Any  # a euro-backed currency's wallets
    payment: Payment
    request: PaymentRequest
    rule: TrustRule
    grant: CreditAuthorisation


@pytest.fixture
def ctx(town) -> Ctx:
    world = town.world
    mutual = make_currency(world, "mutual_credit", limit_household=5000, limit_shop=5000)
    w = open_wallets(town, mutual)
    euro_currency = make_currency(
        world, "euro_backed", code="EURO", name="Euro-Linde", redemption_enabled=True
    )
    from heelwijk.currency.actions import wallet_open

    euro = type("E", (), {})()
    euro.currency = euro_currency
    euro.shop = wallet_open(currency=euro_currency, holder=town.shop, actor=town.shop_a)
    payment = payment_create(payer=w.anna, payee=w.shop, amount=500, actor=world.resident_a)
    request = payment_request_create(payee=w.shop, amount=300, actor=town.shop_a)
    rule = trust_rule_add(
        currency=mutual,
        actor=world.staff_a,
        wallet_kind="household",
        min_trades=10,
        credit_limit=10000,
    )
    grant = authorisation_grant(
        currency=mutual, organisation=world.organisation_a, actor=world.staff_a
    )
    return Ctx(town, w, euro, payment, request, rule, grant)


COUNTED = (
    Payment,
    PaymentRequest,
    Wallet,
    LimitChange,
    VolunteerCredit,
    ReserveMovement,
    TrustRule,
    CreditAuthorisation,
    AuditEntry,
    Transaction,
)


def snapshot() -> tuple[int, ...]:
    counts = [model.objects.count() for model in COUNTED]
    counts.append(PaymentRequest.objects.filter(status="open").count())
    counts.append(CreditAuthorisation.objects.filter(is_active=True).count())
    return tuple(counts)


@dataclass
class Case:
    name: str
    method: str
    url: Callable[[Ctx], str]
    expected: dict[str, Any]
    data: Callable[[Ctx], dict] = field(default=lambda c: {})


def page_cases() -> list[Case]:
    def wallet(c):
        return c.w.anna.pk

    return [
        Case(
            "home",
            "get",
            lambda c: reverse("currency:home"),
            {A: LOGIN, RA: 200, RB: 200, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "open own wallet",
            "post",
            lambda c: reverse("currency:open_own", args=["LINDE"]),
            {A: LOGIN, RB: 404, S: 403, REP: 403, SHOP: 403},
            lambda c: {"holder": "me"},
        ),
        Case(
            "open a wallet of an organisation I do not represent",
            "post",
            lambda c: reverse("currency:open_own", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 404, S: 403, REP: 403},
            lambda c: {"holder": f"org:{c.town.wijkbedrijf.pk}"},
        ),
        Case(
            "wallet",
            "get",
            lambda c: reverse("currency:wallet", args=[wallet(c)]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "wallet latest",
            "get",
            lambda c: reverse("currency:wallet_latest", args=[wallet(c)]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "wallet settings",
            "get",
            lambda c: reverse("currency:wallet_settings", args=[wallet(c)]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "wallet settings save",
            "post",
            lambda c: reverse("currency:wallet_settings", args=[wallet(c)]),
            {A: LOGIN, RB: 404, REP: 403, SHOP: 403, RA: 302},
            lambda c: {"name": "Fam. De Vries", "is_listed": "on"},
        ),
        Case(
            "credit limit",
            "post",
            lambda c: reverse("currency:wallet_limit", args=[wallet(c)]),
            {A: LOGIN, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 302},
            lambda c: {"credit_limit": "80", "reason": "Vaste klant"},
        ),
        Case(
            "pay page",
            "get",
            lambda c: reverse("currency:pay", args=[wallet(c)]),
            {A: LOGIN, RA: 200, RB: 404, S: 403, REP: 403, SHOP: 403},
        ),
        Case(
            "pay",
            "post",
            lambda c: reverse("currency:pay", args=[wallet(c)]),
            {A: LOGIN, RB: 404, S: 403, REP: 403, SHOP: 403, RA: 302},
            lambda c: {
                "step": "confirm",
                "key": "abc",
                "to": c.w.shop.payment_code,
                "amount": "1,00",
            },
        ),
        Case(
            "request form",
            "get",
            lambda c: reverse("currency:request_create", args=[c.w.shop.pk]),
            {A: LOGIN, RA: 403, RB: 404, S: 403, REP: 403, SHOP: 200},
        ),
        Case(
            "make a request",
            "post",
            lambda c: reverse("currency:request_create", args=[c.w.shop.pk]),
            {A: LOGIN, RA: 403, RB: 404, S: 403, REP: 403, SHOP: 302},
            lambda c: {"amount": "2,00"},
        ),
        Case(
            "redeem (a currency without exchange)",
            "get",
            lambda c: reverse("currency:redeem", args=[c.w.shop.pk]),
            {A: LOGIN, RA: 403, RB: 404, S: 403, REP: 403, SHOP: 403},
        ),
        Case(
            "redeem",
            "get",
            lambda c: reverse("currency:redeem", args=[c.euro.shop.pk]),
            {A: LOGIN, RA: 403, RB: 404, S: 200, REP: 403, SHOP: 200},
        ),
        Case(
            "receipt",
            "get",
            lambda c: reverse("currency:receipt", args=[c.payment.pk]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 200},
        ),
        Case(
            "request page",
            "get",
            lambda c: reverse("currency:request", args=[c.request.token]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "request status",
            "get",
            lambda c: reverse("currency:request_status", args=[c.request.token]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "pay a request without a wallet",
            "post",
            lambda c: reverse("currency:request", args=[c.request.token]),
            {A: LOGIN, RB: 404, REP: 200, S: 200},
            lambda c: {"key": "abc"},
        ),
        Case(
            "cancel a request",
            "post",
            lambda c: reverse("currency:request_cancel", args=[c.request.token]),
            {A: LOGIN, RA: 403, RB: 404, REP: 403, SHOP: 302},
        ),
        Case(
            "payment code",
            "get",
            lambda c: reverse("currency:code", args=[c.w.shop.payment_code]),
            {A: LOGIN, RA: 302, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "shop",
            "get",
            lambda c: reverse("currency:shop", args=[c.w.shop.pk]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "shops",
            "get",
            lambda c: reverse("currency:shops", args=["LINDE"]),
            {A: LOGIN, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "credit hours page",
            "get",
            lambda c: reverse("currency:credit_hours", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 404, S: 200, REP: 200, SHOP: 403},
        ),
        Case(
            "credit hours",
            "post",
            lambda c: reverse("currency:credit_hours", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 404, SHOP: 403, S: 302},
            lambda c: {
                "wallet": c.w.anna.pk,
                "hours": "1",
                "activity": "Koffie",
                "reason": "Schenken",
                "activity_date": "2026-01-05",
                "key": "abc",
            },
        ),
        Case(
            "deposit page",
            "get",
            lambda c: reverse("currency:deposit", args=["EURO"]),
            {A: LOGIN, RA: 403, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "deposit",
            "post",
            lambda c: reverse("currency:deposit", args=["EURO"]),
            {A: LOGIN, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 302},
            lambda c: {"wallet": c.euro.shop.pk, "amount": "10", "key": "abc"},
        ),
        Case(
            "public circulation",
            "get",
            lambda c: reverse("currency:circulation", args=["lindenhof", "LINDE"]),
            {A: 200, RA: 200, RB: 200, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "manage",
            "get",
            lambda c: reverse("currency:manage"),
            {A: LOGIN, RA: 403, RB: 403, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "new currency page",
            "get",
            lambda c: reverse("currency:currency_new"),
            {A: LOGIN, RA: 403, RB: 403, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "new currency",
            "post",
            lambda c: reverse("currency:currency_new"),
            {A: LOGIN, RA: 403, RB: 403, REP: 403, SHOP: 403, S: 302},
            lambda c: {
                "code": "UUR",
                "name": "Uur",
                "symbol": "u",
                "model": "time_credit",
                "resident_wallets": "person",
                "limit_household": "0",
                "limit_person": "10",
                "limit_shop": "0",
                "limit_organisation": "0",
                "units_per_hour": "1",
                "demurrage_rate": "0",
                "demurrage_period": "month",
                "demurrage_after_days": "90",
                "redemption_fee_percent": "0",
                "is_active": "on",
            },
        ),
        Case(
            "settings",
            "get",
            lambda c: reverse("currency:currency_settings", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 403, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "add a trust rule",
            "post",
            lambda c: reverse("currency:trust_rule_add", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 403, REP: 403, SHOP: 403, S: 302},
            lambda c: {"wallet_kind": "shop", "min_trades": "5", "credit_limit": "100"},
        ),
        Case(
            "remove a trust rule",
            "post",
            lambda c: reverse("currency:trust_rule_delete", args=["LINDE", c.rule.pk]),
            {A: LOGIN, RA: 403, RB: 403, REP: 403, SHOP: 403, S: 302},
        ),
        Case(
            "authorise",
            "post",
            lambda c: reverse("currency:authorisation_grant", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 403, REP: 403, SHOP: 403, S: 302},
            lambda c: {"organisation": c.town.shop.pk},
        ),
        Case(
            "withdraw",
            "post",
            lambda c: reverse("currency:authorisation_revoke", args=["LINDE", c.grant.pk]),
            {A: LOGIN, RA: 403, RB: 403, SHOP: 403, S: 302},
        ),
        Case(
            "all wallets",
            "get",
            lambda c: reverse("currency:wallet_list", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 403, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "open a wallet for somebody",
            "get",
            lambda c: reverse("currency:wallet_create", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 403, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "open a wallet for somebody (post)",
            "post",
            lambda c: reverse("currency:wallet_create", args=["LINDE"]),
            {A: LOGIN, RA: 403, RB: 403, REP: 403, SHOP: 403, S: 302},
            lambda c: {"kind": "person", "holder": c.town.world.person_a.pk},
        ),
    ]


def _is_denial(expected) -> bool:
    return expected in (LOGIN, 401, 403, 404)


def _check(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:600]
        if expected == 302:
            assert not response["Location"].startswith(reverse("login"))


def _ordered(expected: dict) -> list[tuple[str, Any]]:
    """Denials first, so an allowed write cannot hide a denial that changed something."""
    return sorted(expected.items(), key=lambda item: not _is_denial(item[1]))


@pytest.mark.parametrize("case", page_cases(), ids=lambda c: c.name)
def test_page_permissions(case, ctx, client_for):
    for role, expected in _ordered(case.expected):
        client = client_for(ctx.town.user(role))
        before = snapshot()
        response = getattr(client, case.method)(case.url(ctx), case.data(ctx))
        _check(response, expected)
        if _is_denial(expected):
            assert snapshot() == before, f"{role} changed something"


# --- the API ---------------------------------------------------------------------------------

API = "/api/v1/currency"


def api_cases() -> list[Case]:
    def pay(c):
        return {
            "currency": "LINDE",
            "to_wallet_id": c.w.shop.pk,
            "amount": "1.00",
            "from_wallet_id": c.w.anna.pk,
        }

    return [
        Case(
            "currencies",
            "get",
            lambda c: f"{API}/currencies",
            {A: 401, RA: 200, RB: 200, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "create currency",
            "post",
            lambda c: f"{API}/currencies",
            {A: 401, RA: 403, RB: 403, REP: 403, SHOP: 403, S: 201},
            lambda c: {"code": "UUR", "name": "Uur", "symbol": "u", "model": "time_credit"},
        ),
        Case(
            "currency",
            "get",
            lambda c: f"{API}/currencies/LINDE",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "change currency",
            "patch",
            lambda c: f"{API}/currencies/LINDE",
            {A: 401, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 200},
            lambda c: {"name": "Lindeboom"},
        ),
        Case(
            "circulation",
            "get",
            lambda c: f"{API}/currencies/LINDE/circulation",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "public circulation",
            "get",
            lambda c: f"{API}/public/lindenhof/LINDE/circulation",
            {A: 200, RA: 200, RB: 200, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "report",
            "get",
            lambda c: f"{API}/currencies/LINDE/report",
            {A: 401, RA: 403, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "demurrage runs",
            "get",
            lambda c: f"{API}/currencies/LINDE/demurrage-runs",
            {A: 401, RA: 403, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "trust rules",
            "get",
            lambda c: f"{API}/currencies/LINDE/trust-rules",
            {A: 401, RA: 403, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "add trust rule",
            "post",
            lambda c: f"{API}/currencies/LINDE/trust-rules",
            {A: 401, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 201},
            lambda c: {"wallet_kind": "shop", "min_trades": 3, "credit_limit": "100.00"},
        ),
        Case(
            "remove trust rule",
            "delete",
            lambda c: f"{API}/currencies/LINDE/trust-rules/{c.rule.pk}",
            {A: 401, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 204},
        ),
        Case(
            "authorisations",
            "get",
            lambda c: f"{API}/currencies/LINDE/authorisations",
            {A: 401, RA: 403, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "authorise",
            "post",
            lambda c: f"{API}/currencies/LINDE/authorisations",
            {A: 401, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 201},
            lambda c: {"organisation_id": c.town.shop.pk},
        ),
        Case(
            "withdraw",
            "delete",
            lambda c: f"{API}/currencies/LINDE/authorisations/{c.grant.pk}",
            {A: 401, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 200},
        ),
        Case(
            "all wallets",
            "get",
            lambda c: f"{API}/currencies/LINDE/wallets",
            {A: 401, RA: 403, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "recipients",
            "get",
            lambda c: f"{API}/currencies/LINDE/recipients",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "my wallets",
            "get",
            lambda c: f"{API}/wallets",
            {A: 401, RA: 200, RB: 200, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "open wallet for a person",
            "post",
            lambda c: f"{API}/wallets",
            {A: 401, RA: 403, RB: 400, REP: 403, SHOP: 403, S: 201},
            lambda c: {"currency": "LINDE", "person_id": c.town.world.person_a.pk},
        ),
        Case(
            "wallet",
            "get",
            lambda c: f"{API}/wallets/{c.w.anna.pk}",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "change wallet",
            "patch",
            lambda c: f"{API}/wallets/{c.w.anna.pk}",
            {A: 401, RB: 404, REP: 403, SHOP: 403, RA: 200},
            lambda c: {"is_listed": False},
        ),
        Case(
            "statement",
            "get",
            lambda c: f"{API}/wallets/{c.w.anna.pk}/statement",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "credit limit",
            "put",
            lambda c: f"{API}/wallets/{c.w.anna.pk}/credit-limit",
            {A: 401, RA: 403, RB: 404, REP: 403, SHOP: 403, S: 200},
            lambda c: {"credit_limit": "60.00", "reason": "Vaste klant"},
        ),
        Case(
            "limit changes",
            "get",
            lambda c: f"{API}/wallets/{c.w.anna.pk}/limit-changes",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 403},
        ),
        Case(
            "pay from Anna's wallet",
            "post",
            lambda c: f"{API}/payments",
            {A: 401, RB: 400, S: 403, REP: 403, SHOP: 403, RA: 201},
            pay,
        ),
        Case(
            "payment",
            "get",
            lambda c: f"{API}/payments/{c.payment.pk}",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 403, SHOP: 200},
        ),
        Case(
            "make a request",
            "post",
            lambda c: f"{API}/payment-requests",
            {A: 401, RA: 403, RB: 400, S: 403, REP: 403, SHOP: 201},
            lambda c: {"wallet_id": c.w.shop.pk, "amount": "2.00"},
        ),
        Case(
            "request",
            "get",
            lambda c: f"{API}/payment-requests/{c.request.token}",
            {A: 401, RA: 200, RB: 404, S: 200, REP: 200, SHOP: 200},
        ),
        Case(
            "pay a request",
            "post",
            lambda c: f"{API}/payment-requests/{c.request.token}/pay",
            {A: 401, RB: 404, S: 400, REP: 400, SHOP: 400, RA: 201},
        ),
        Case(
            "cancel a request",
            "post",
            lambda c: f"{API}/payment-requests/{c.request.token}/cancel",
            {A: 401, RA: 403, RB: 404, REP: 403, SHOP: 200},
        ),
        Case(
            "credit hours",
            "post",
            lambda c: f"{API}/volunteer-credits",
            {A: 401, RA: 403, RB: 400, SHOP: 403, REP: 400, S: 201},
            lambda c: {
                "currency": "LINDE",
                "wallet_id": c.w.anna.pk,
                "hours": "1",
                "activity": "Koffie",
                "reason": "Schenken",
            },
        ),
        Case(
            "deposit",
            "post",
            lambda c: f"{API}/deposits",
            {A: 401, RA: 403, RB: 400, REP: 403, SHOP: 403, S: 201},
            lambda c: {"currency": "EURO", "wallet_id": c.euro.shop.pk, "amount": "5.00"},
        ),
        Case(
            "redeem",
            "post",
            lambda c: f"{API}/redemptions",
            {A: 401, RA: 403, RB: 400, REP: 403, S: 400, SHOP: 400},
            lambda c: {"wallet_id": c.euro.shop.pk, "amount": "1.00"},
        ),
    ]


@pytest.fixture
def tokens(ctx):
    world = ctx.town.world
    made = {}
    for role in ROLES[1:]:
        user = ctx.town.user(role)
        neighbourhood = world.nbh_b if role == RB else world.nbh_a
        made[role] = api_token_create(actor=user, neighbourhood=neighbourhood, name="t")[1]
    return made


@pytest.mark.parametrize("case", api_cases(), ids=lambda c: c.name)
def test_api_permissions(case, ctx, tokens, client):
    for role, expected in _ordered(case.expected):
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        if role != A:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[role]}"
        before = snapshot()
        call = getattr(client, case.method)
        if case.method == "get":
            response = call(case.url(ctx), **headers)
        else:
            response = call(
                case.url(ctx),
                json.dumps(case.data(ctx)),
                content_type="application/json",
                **headers,
            )
        assert response.status_code == expected, (role, response.content[:600])
        if expected in (400, 401, 403, 404):
            assert snapshot() == before, f"{role} changed something"
