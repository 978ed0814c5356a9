"""`heelwijk currency apply-demurrage | apply-expiry | report`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from heelwijk.currency.actions import euro_deposit, payment_create
from heelwijk.currency.models import DemurrageRun, Wallet
from heelwijk.ledger.models import Transaction

from .conftest import make_currency, open_wallets


def run(*args) -> str:
    out = StringIO()
    call_command("currency", *args, stdout=out)
    return out.getvalue()


def balances(w):
    return [Wallet.objects.get(pk=x.pk).account.balance for x in (w.anna, w.shop, w.community)]


def test_apply_demurrage_charges_two_periods_once_even_when_run_twice(town):
    """0,5 % a month on what was not spent for 30 days, from 1 March. Anna gets 300,00 on
    1 March and pays the bakery 100,00 on 20 April. Run on 1 June:
    March: Anna held 300,00 all month: 1,50.
    April: Anna's lowest in the last 30 days is 198,50 (after paying): 0,99 (0,9925 rounded
    down); the bakery held nothing for 30 days yet.
    May: Anna 197,51: 0,98; the bakery 100,00: 0,50. Together 1,48.
    The second run charges nothing."""
    world = town.world
    currency = make_currency(
        world,
        "mutual_credit",
        limit_household=0,
        limit_shop=0,
        demurrage_rate=Decimal("0.5"),
        demurrage_after_days=30,
        demurrage_start=date(2026, 3, 1),
    )
    w = open_wallets(town, currency)
    payment_create(
        payer=w.community,
        payee=w.anna,
        amount=30000,
        actor=world.staff_a,
        effective_date=date(2026, 3, 1),
    )
    payment_create(
        payer=w.anna,
        payee=w.shop,
        amount=10000,
        actor=world.resident_a,
        effective_date=date(2026, 4, 20),
    )

    first = run("apply-demurrage", "--until", "2026-06-01")
    postings = Transaction.objects.filter(kind="currency.demurrage").count()
    second = run("apply-demurrage", "--until", "2026-06-01")

    assert "3 period(s) charged now." in first
    assert "lindenhof/LINDE 2026-03-01..2026-03-31: 1 wallets, 1.50 LINDE (charged now)" in first
    assert "0 period(s) charged now." in second
    assert "(charged before)" in second
    assert Transaction.objects.filter(kind="currency.demurrage").count() == postings == 4
    assert [
        (r.period_start.month, r.total) for r in DemurrageRun.objects.order_by("period_start")
    ] == [
        (3, 150),
        (4, 99),
        (5, 148),
    ]
    # Anna: 300,00 - 1,50 - 100,00 - 0,99 - 0,98 = 196,53; bakery 100,00 - 0,50 (May).
    assert balances(w) == [19653, 9950, -30000 + 150 + 99 + 148]


def test_a_dry_run_charges_nothing(town):
    currency = make_currency(
        town.world,
        "mutual_credit",
        demurrage_rate=Decimal("1"),
        demurrage_after_days=0,
        demurrage_start=date(2026, 1, 1),
    )
    w = open_wallets(town, currency)
    payment_create(
        payer=w.community, payee=w.anna, amount=1000, actor=None, effective_date=date(2026, 1, 5)
    )
    out = run("apply-demurrage", "--until", "2026-02-01", "--dry-run")
    assert "1 wallets, 0.10 LINDE (would charge (dry run))" in out
    assert DemurrageRun.objects.count() == 0


def test_apply_expiry_returns_unused_balances(town):
    currency = make_currency(town.world, "euro_backed", expiry_days=90)
    w = open_wallets(town, currency)
    old = timezone.localdate() - timedelta(days=200)
    euro_deposit(currency=currency, wallet=w.anna, amount=1500, actor=None, effective_date=old)
    euro_deposit(currency=currency, wallet=w.shop, amount=700, actor=None)
    out = run("apply-expiry")
    again = run("apply-expiry")
    assert "lindenhof/LINDE: 1 wallets expired, 15.00 LINDE to the community account" in out
    assert "0 wallets expired" in again
    assert balances(w) == [0, 700, 1500]


def test_report_in_text_and_json(town, euro):
    euro_deposit(currency=euro.currency, wallet=euro.anna, amount=5000, actor=None)
    payment_create(payer=euro.anna, payee=euro.shop, amount=1250, actor=None)
    text = run("report")
    assert "Linde (LINDE, euro_backed) in lindenhof" in text
    assert "in circulation             50.00 LINDE" in text
    assert "covers all: yes" in text
    (doc,) = json.loads(run("report", "--format", "json"))
    assert doc["in_circulation"] == "50.00" and doc["payments_30_days"] == 1
    assert doc["top_categories"][0] == {
        "category": "food_drink",
        "payments": 1,
        "amount": "12.50",
        "share_percent": "100.0",
    }
    with pytest.raises(CommandError):
        run("report", "--currency", "NOPE")
