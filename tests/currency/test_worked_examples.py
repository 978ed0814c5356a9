"""Worked examples, one per model of currency, with exact amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from heelwijk.currency.actions import (
    demurrage_apply,
    euro_deposit,
    payment_create,
    redemption_create,
    volunteer_credit_create,
)
from heelwijk.currency.models import Payment, Wallet
from heelwijk.currency.selectors import report
from heelwijk.ledger.selectors import balance

from .conftest import make_currency, open_wallets


def balances(wallets):
    return {
        name: Wallet.objects.get(pk=getattr(wallets, name).pk).account.balance
        for name in ("anna", "beuk", "shop", "community")
    }


def wallet_sum(currency) -> int:
    return sum(
        w.account.balance
        for w in Wallet.objects.filter(currency=currency).select_related("account")
    )


def test_time_credit_stays_zero_sum(town):
    """Given a time bank where households may owe 10 hours, when Anna helps for 2,5 hours,
    gets paid 1,5 hours by a neighbour and pays 4 hours for help, then every hour one wallet
    gained another lost: the wallets add up to zero."""
    world = town.world
    currency = make_currency(world, "time_credit", name="Uur", symbol="u", limit_household=1000)
    w = open_wallets(town, currency)

    volunteer_credit_create(
        currency=currency,
        wallet=w.anna,
        hours=Decimal("2.5"),
        activity="Repair Café",
        reason="Fietsen gemaakt",
        actor=world.staff_a,
    )
    payment_create(payer=w.beuk, payee=w.anna, amount=150, actor=world.staff_a, description="Tuin")
    payment_create(payer=w.anna, payee=w.shop, amount=400, actor=world.resident_a)

    assert balances(w) == {"anna": 0, "beuk": -150, "shop": 400, "community": -250}
    assert wallet_sum(currency) == 0
    assert report(currency=currency).zero_sum is True
    assert currency.unit.kind == "hour"


def test_mutual_credit_refuses_a_payment_past_the_limit(mutual):
    """Given Anna's household may go down to -50,00, when she pays 30,00 and then tries 25,00,
    then the second payment is refused with a clear message and nothing is posted."""
    payment_create(payer=mutual.anna, payee=mutual.shop, amount=3000, actor=None)
    before = Payment.objects.count()

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        payment_create(payer=mutual.anna, payee=mutual.shop, amount=2500, actor=None)

    with translation.override("en"):
        message = " ".join(refused.value.message_dict["from"])
    assert "Not enough Linde" in message
    assert "L -55.00" in message and "L -50.00" in message
    assert Payment.objects.count() == before
    assert balances(mutual) == {"anna": -3000, "beuk": 0, "shop": 3000, "community": 0}


def test_euro_backed_issue_and_redemption_keeps_the_reserve_equal_to_circulation(euro):
    """Given a euro-backed Linde with a 5 % exchange fee: Anna deposits € 40,00 (40 units),
    pays the bakery 25,00; the bakery exchanges 20,00 and gets € 19,00, the wijkbedrijf keeps
    € 1,00. The reserve holds € 20,00: exactly the 20 units still in circulation."""
    currency = euro.currency
    euro_deposit(currency=currency, wallet=euro.anna, amount=4000, actor=None, note="Contant")
    payment_create(payer=euro.anna, payee=euro.shop, amount=2500, actor=None)

    move = redemption_create(wallet=euro.shop, amount=2000, actor=None)

    assert (move.amount, move.fee, move.net) == (2000, 100, 1900)
    assert balances(euro) == {"anna": 1500, "beuk": 0, "shop": 500, "community": 0}
    assert balance(account=currency.reserve_account) == 2000
    assert balance(account=currency.outstanding_account) == 2000
    assert balance(account=currency.issuance_account) == 2000
    assert balance(account=currency.fee_income_account) == 100
    assert balance(account=currency.fee_cash_account) == 100
    figures = report(currency=currency)
    assert figures.circulation.in_circulation == 2000
    assert figures.reserve == 2000 and figures.reserve_matches is True


def test_euro_backed_redemption_cannot_exceed_the_shops_balance(euro):
    euro_deposit(currency=euro.currency, wallet=euro.shop, amount=1000, actor=None)
    with pytest.raises(ValidationError) as refused:
        redemption_create(wallet=euro.shop, amount=1001, actor=None)
    assert "amount" in refused.value.message_dict
    assert balance(account=euro.currency.reserve_account) == 1000


def test_reward_coin_issues_coins_for_volunteering(town):
    """Given a reward coin (1 hour = 1 coin): 3 hours credited issue 3 coins; spending moves
    them; the issuance account counts every coin out there."""
    world = town.world
    currency = make_currency(world, "reward_coin", name="Makkie", symbol="M")
    w = open_wallets(town, currency)
    volunteer_credit_create(
        currency=currency,
        wallet=w.anna,
        hours=Decimal("3"),
        activity="Buurtschoonmaak",
        reason="Zwerfvuil geprikt",
        actor=world.staff_a,
    )
    payment_create(payer=w.anna, payee=w.shop, amount=200, actor=world.resident_a)
    assert balances(w) == {"anna": 100, "beuk": 0, "shop": 200, "community": 0}
    assert balance(account=currency.issuance_account) == 300
    with pytest.raises(ValidationError):
        payment_create(payer=w.anna, payee=w.shop, amount=101, actor=world.resident_a)


def test_demurrage_over_two_periods_is_charged_once_per_period(town):
    """Given 1 % per month on what was not spent for 10 days, from 1 January: Anna holds
    100,00 all of January and 50,00 of February after paying the bakery on 10 February.
    Running the job on 1 March charges January 1,00 and February on the lowest balance of the
    last 10 days of February (49,00 after January's charge... so 0,49); running it again
    charges nothing more."""
    world = town.world
    currency = make_currency(
        world,
        "mutual_credit",
        limit_household=0,
        limit_shop=0,
        demurrage_rate=Decimal("1.000"),
        demurrage_after_days=10,
        demurrage_start=date(2026, 1, 1),
    )
    w = open_wallets(town, currency)
    community_pays = payment_create  # the community seeds Anna with credit on 2 January
    community_pays(
        payer=w.community,
        payee=w.anna,
        amount=10000,
        actor=world.staff_a,
        effective_date=date(2026, 1, 2),
    )
    payment_create(
        payer=w.anna,
        payee=w.shop,
        amount=5000,
        actor=world.resident_a,
        effective_date=date(2026, 2, 10),
    )

    first = demurrage_apply(currency=currency, until=date(2026, 3, 1), actor=world.staff_a)
    second = demurrage_apply(currency=currency, until=date(2026, 3, 1), actor=world.staff_a)

    assert [(r.period_start, r.total, r.applied_now) for r in first] == [
        (date(2026, 1, 1), 100, True),
        (date(2026, 2, 1), 49 + 50, True),
    ]
    assert [(r.period_start, r.total, r.applied_now) for r in second] == [
        (date(2026, 1, 1), 100, False),
        (date(2026, 2, 1), 99, False),
    ]
    # Anna: 100,00 - 1,00 (January) - 50,00 (bakery) - 0,49 (February) = 48,51.
    # Bakery: 50,00 held since 10 February: the 10 last days of February, 0,50.
    assert balances(w) == {"anna": 4851, "beuk": 0, "shop": 4950, "community": -10000 + 199}
