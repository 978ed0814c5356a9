"""Actions beyond the worked examples: trust rules, limits, requests, settings, closing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from heelwijk.currency.actions import (
    currency_update,
    payment_create,
    payment_request_cancel,
    payment_request_create,
    payment_request_pay,
    trust_rule_add,
    volunteer_credit_create,
    wallet_close,
    wallet_open,
    wallet_set_limit,
)
from heelwijk.currency.models import LimitChange, Payment, PaymentRequest, Wallet

from .conftest import make_currency


def limit_of(wallet) -> int | None:
    return Wallet.objects.get(pk=wallet.pk).credit_limit


def test_a_trust_rule_raises_the_limit_after_enough_trades(town, mutual):
    """Households start at 50,00 credit; after 3 completed trades they get 150,00."""
    trust_rule_add(
        currency=mutual.currency,
        actor=town.world.staff_a,
        wallet_kind="household",
        min_trades=3,
        credit_limit=15000,
    )
    for _n in range(2):
        payment_create(payer=mutual.anna, payee=mutual.shop, amount=100, actor=None)
    assert limit_of(mutual.anna) == 5000
    payment_create(payer=mutual.anna, payee=mutual.shop, amount=100, actor=None)

    assert limit_of(mutual.anna) == 15000
    change = LimitChange.objects.filter(wallet=mutual.anna).first()
    assert (change.old_limit, change.new_limit, change.source) == (5000, 15000, "trust")
    assert "3 afgeronde betalingen" in change.reason  # stored in the language of the moment
    assert limit_of(mutual.shop) == 20000  # no rule for shops: unchanged
    # The raised limit counts: Anna can now go to -150,00.
    payment_create(payer=mutual.anna, payee=mutual.shop, amount=14000, actor=None)


def test_staff_set_a_limit_with_a_reason_and_it_is_logged(town, mutual):
    with pytest.raises(ValidationError) as no_reason:
        wallet_set_limit(
            wallet=mutual.anna, credit_limit=8000, actor=town.world.staff_a, reason=" "
        )
    assert "reason" in no_reason.value.message_dict
    wallet_set_limit(
        wallet=mutual.anna, credit_limit=8000, actor=town.world.staff_a, reason="Vaste klant"
    )
    payment_create(payer=mutual.anna, payee=mutual.shop, amount=7000, actor=None)
    with pytest.raises(ValidationError) as below, translation.override("en"):
        wallet_set_limit(
            wallet=mutual.anna, credit_limit=5000, actor=town.world.staff_a, reason="Te hoog"
        )
    with translation.override("en"):
        assert below.value.message_dict["credit_limit"] == [
            "The balance is L -70.00 now, below the new limit: give a credit limit of at least "
            "L 70.00."
        ]
    assert [(c.old_limit, c.new_limit, c.source) for c in mutual.anna.limit_changes.all()] == [
        (5000, 8000, "manual"),
        (None, 5000, "default"),
    ]


def test_an_issued_currency_never_lends(town, euro):
    with pytest.raises(ValidationError) as refused:
        wallet_set_limit(
            wallet=euro.anna, credit_limit=100, actor=town.world.staff_a, reason="Waarom niet"
        )
    assert "credit_limit" in refused.value.message_dict
    with pytest.raises(ValidationError) as settings:
        currency_update(currency=euro.currency, actor=town.world.staff_a, limit_shop=500)
    assert "limit_shop" in settings.value.message_dict
    with pytest.raises(ValidationError):
        trust_rule_add(
            currency=euro.currency,
            actor=town.world.staff_a,
            wallet_kind="shop",
            min_trades=1,
            credit_limit=100,
        )
    with pytest.raises(ValidationError):
        currency_update(currency=euro.currency, actor=town.world.staff_a, model="time_credit")


def test_a_request_is_paid_once_and_a_cancelled_or_expired_one_not_at_all(town, mutual):
    paid = payment_request_create(payee=mutual.shop, amount=450, actor=town.shop_a)
    payment = payment_request_pay(request=paid, payer=mutual.anna, actor=town.world.resident_a)
    assert (payment.amount, payment.request_id) == (450, paid.pk)
    with pytest.raises(ValidationError):
        payment_request_pay(request=paid, payer=mutual.beuk, actor=None)

    cancelled = payment_request_create(payee=mutual.shop, amount=300, actor=town.shop_a)
    payment_request_cancel(request=cancelled, actor=town.shop_a)
    expired = payment_request_create(payee=mutual.shop, amount=300, actor=town.shop_a)
    PaymentRequest.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired.refresh_from_db()
    for request in (cancelled, expired):
        with pytest.raises(ValidationError):
            payment_request_pay(request=request, payer=mutual.anna, actor=None)
    assert Payment.objects.count() == 1


def test_only_an_empty_wallet_closes_and_then_takes_nothing(town, mutual):
    payment_create(payer=mutual.anna, payee=mutual.beuk, amount=100, actor=None)
    with pytest.raises(ValidationError):
        wallet_close(wallet=mutual.beuk, actor=town.world.staff_a)
    payment_create(payer=mutual.beuk, payee=mutual.anna, amount=100, actor=None)
    wallet_close(wallet=mutual.beuk, actor=town.world.staff_a)
    with pytest.raises(ValidationError) as refused:
        payment_create(payer=mutual.anna, payee=mutual.beuk, amount=100, actor=None)
    assert "to" in refused.value.message_dict


def test_one_wallet_per_holder_and_none_for_the_wijkbedrijf(town, mutual):
    with pytest.raises(ValidationError):
        wallet_open(currency=mutual.currency, holder=town.world.household_a, actor=None)
    with pytest.raises(ValidationError):
        wallet_open(currency=mutual.currency, holder=town.wijkbedrijf, actor=None)
    with pytest.raises(ValidationError):
        wallet_open(currency=mutual.currency, holder=town.world.household_b, actor=None)


def test_volunteering_needs_hours_activity_and_reason(town, mutual):
    for bad in (
        {"hours": "0"},
        {"hours": "1.255"},
        {"hours": "abc"},
        {"activity": ""},
        {"reason": " "},
        {"activity_date": timezone.localdate() + timedelta(days=1)},
    ):
        values = {"hours": Decimal("1"), "activity": "Koffie", "reason": "Schenken", **bad}
        with pytest.raises(ValidationError):
            volunteer_credit_create(
                currency=mutual.currency, wallet=mutual.anna, actor=town.world.staff_a, **values
            )
    assert Wallet.objects.get(pk=mutual.anna.pk).account.balance == 0


def test_a_currency_code_is_unique_in_its_neighbourhood(town):
    make_currency(town.world, "time_credit")
    with pytest.raises(ValidationError) as taken:
        make_currency(town.world, "mutual_credit")
    assert "code" in taken.value.message_dict
    with pytest.raises(ValidationError):
        make_currency(town.world, "mutual_credit", code="EUR")
    make_currency(town.world, "mutual_credit", neighbourhood=town.world.nbh_b)  # elsewhere: fine
