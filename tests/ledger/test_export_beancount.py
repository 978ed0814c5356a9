"""The beancount export: beancount itself loads it without errors, and every account's balance
in beancount equals Heelwijk's own, exactly."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data
from django.core.management import call_command
from django.core.management.base import CommandError

from heelwijk.ledger.actions import (
    PostingLine,
    account_close,
    account_open,
    post_transaction,
    reverse_transaction,
    transfer,
    unit_ensure,
)
from heelwijk.ledger.export_beancount import commodity_name, export_beancount, name_component
from heelwijk.ledger.models import Account
from heelwijk.ledger.money import from_minor


@pytest.fixture
def busy_books(world, books):
    """Euros, hours, kWh and a one-letter local currency; a reversal, a closed account, a
    back-dated posting and a description with quotes and a backslash."""
    n, staff = world.nbh_a, world.staff_a
    lines = [PostingLine(books.bank, "D", 1_000_000), PostingLine(books.equity, "C", 1_000_000)]
    post_transaction(
        neighbourhood=n,
        kind="opening",
        memo="Beginbalans",
        actor=staff,
        lines=lines,
        effective_date=date(2025, 1, 1),
    )
    post_transaction(
        neighbourhood=n,
        kind="dues",
        memo='Contributie "januari" \\ 2026',
        actor=staff,
        lines=[PostingLine(books.household, "D", 750), PostingLine(books.dues, "C", 750)],
        effective_date=date(2026, 1, 31),
    )
    split = post_transaction(
        neighbourhood=n,
        kind="purchase",
        memo="Bouwmarkt",
        actor=staff,
        lines=[
            PostingLine(books.repairs, "D", 4000),
            PostingLine(books.groceries, "D", 1235),
            PostingLine(books.energy, "D", 765),
            PostingLine(books.bank, "C", 6000),
        ],
    )
    reverse_transaction(transaction=split, actor=staff, reason="Dubbel geboekt")
    transfer(
        source=books.household2,
        destination=books.household,
        amount=1999,
        kind="transfer",
        memo="Lening",
        actor=staff,
    )
    hours_pool = account_open(
        neighbourhood=n,
        unit=books.hour,
        code="H-1000",
        name="Tijdbank",
        type="asset",
        owner_kind="system",
    )
    hours = account_open(
        neighbourhood=n,
        unit=books.hour,
        code="H-2100",
        name="Uren Anna",
        type="liability",
        owner_kind="person",
        owner=world.person_a,
    )
    post_transaction(
        neighbourhood=n,
        kind="hours",
        memo="Klussen",
        actor=staff,
        lines=[PostingLine(hours_pool, "D", 150), PostingLine(hours, "C", 150)],
    )
    solar = account_open(
        neighbourhood=n,
        unit=books.kwh,
        code="K-1000",
        name="Zonnedak",
        type="asset",
        owner_kind="wijkbedrijf",
    )
    delivered = account_open(
        neighbourhood=n,
        unit=books.kwh,
        code="K-8000",
        name="Levering",
        type="income",
        owner_kind="wijkbedrijf",
    )
    post_transaction(
        neighbourhood=n,
        kind="energy",
        memo="Opwek maart",
        actor=staff,
        lines=[PostingLine(solar, "D", 1_234_567), PostingLine(delivered, "C", 1_234_567)],
    )
    linde = unit_ensure(
        neighbourhood=n, code="L", name="linde", symbol="L", decimals=2, kind="local_currency"
    )
    issued = account_open(
        neighbourhood=n,
        unit=linde,
        code="L-1000",
        name="Uitgegeven lindes",
        type="asset",
        owner_kind="system",
    )
    wallet = account_open(
        neighbourhood=n,
        unit=linde,
        code="L-2100",
        name="Portemonnee",
        type="liability",
        owner_kind="household",
        owner=world.household_a,
    )
    post_transaction(
        neighbourhood=n,
        kind="issue",
        memo="Uitgifte",
        actor=staff,
        lines=[PostingLine(issued, "D", 5000), PostingLine(wallet, "C", 5000)],
    )
    empty = account_open(
        neighbourhood=n,
        unit=books.eur,
        code="9999 oud/weg",
        name="Oud",
        type="expense",
        owner_kind="wijkbedrijf",
    )
    post_transaction(
        neighbourhood=n,
        kind="purchase",
        memo="Oud",
        actor=staff,
        lines=[PostingLine(empty, "D", 100), PostingLine(books.cash, "C", 100)],
    )
    post_transaction(
        neighbourhood=n,
        kind="correction",
        memo="Oud weg",
        actor=staff,
        lines=[PostingLine(books.cash, "D", 100), PostingLine(empty, "C", 100)],
    )
    account_close(account=empty, actor=staff)
    return books


def beancount_balances(entries) -> dict[str, dict[str, Decimal]]:
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                totals[posting.account][posting.units.currency] += posting.units.number
    return totals


def heelwijk_names(entries) -> dict[int, str]:
    return {
        int(entry.meta["heelwijk_id"]): entry.account
        for entry in entries
        if isinstance(entry, data.Open)
    }


def test_beancount_loads_the_export_and_agrees_on_every_balance(world, busy_books):
    out = io.StringIO()
    stats = export_beancount(out=out, neighbourhoods=[world.nbh_a], title="Lindenhof")

    entries, errors, _options = loader.load_string(out.getvalue())

    assert errors == []
    assert stats.transactions == 10
    names = heelwijk_names(entries)
    balances = beancount_balances(entries)
    accounts = Account.objects.filter(neighbourhood=world.nbh_a).select_related("unit")
    assert set(names) == {a.pk for a in accounts}
    for account in accounts:
        signed = account.balance if account.is_debit_normal else -account.balance
        expected = from_minor(signed, account.unit)
        commodity = commodity_name(account.unit.code)
        assert balances[names[account.pk]].get(commodity, Decimal(0)) == expected, account.code


def test_signs_units_and_names_follow_beancount(world, busy_books):
    out = io.StringIO()
    export_beancount(out=out, neighbourhoods=[world.nbh_a])
    text = out.getvalue()

    assert "open Assets:Lindenhof:1100 EUR" in text
    assert "open Liabilities:Lindenhof:2100 EUR" in text
    assert "open Expenses:Lindenhof:9999-oud-weg EUR" in text
    assert "open Liabilities:Lindenhof:L-2100 LX" in text  # a one-letter code is repaired
    assert "  Assets:Lindenhof:K-1000  1234.567 KWH\n" in text
    assert "  Income:Lindenhof:K-8000  -1234.567 KWH\n" in text
    assert '* "Contributie \\"januari\\" \\\\ 2026"' in text
    assert 'reason: "Dubbel geboekt"' in text
    assert "close Expenses:Lindenhof:9999-oud-weg" in text


@pytest.mark.parametrize(
    ("code", "name"), [("EUR", "EUR"), ("KWH", "KWH"), ("L", "LX"), ("AB_", "AB_X")]
)
def test_commodity_names_are_valid(code, name):
    assert commodity_name(code) == name


@pytest.mark.parametrize(
    ("text", "component"),
    [("lindenhof", "Lindenhof"), ("HH-12", "HH-12"), ("_x y", "X-y"), ("1100", "1100")],
)
def test_name_components_are_valid(text, component):
    assert name_component(text) == component


def test_the_command_writes_one_neighbourhood_to_a_file(world, busy_books, tmp_path):
    target = tmp_path / "lindenhof.beancount"

    call_command(
        "ledger",
        "export",
        "--format",
        "beancount",
        "--neighbourhood",
        "lindenhof",
        "--output",
        str(target),
    )

    entries, errors, _options = loader.load_file(str(target))
    assert errors == []
    assert sum(isinstance(e, data.Transaction) for e in entries) == 10
    assert not (tmp_path / "lindenhof.beancount.partial").exists()


def test_the_command_refuses_an_unknown_neighbourhood(world):
    with pytest.raises(CommandError, match="no neighbourhood with slug 'nergens'"):
        call_command("ledger", "export", "--neighbourhood", "nergens")


def test_an_export_of_every_neighbourhood_keeps_them_apart(world, busy_books):
    from heelwijk.ledger.actions import ensure_standard_units

    eur_b = ensure_standard_units(neighbourhood=world.nbh_b)["EUR"]
    bank_b = account_open(
        neighbourhood=world.nbh_b,
        unit=eur_b,
        code="1100",
        name="Bank",
        type="asset",
        owner_kind="wijkbedrijf",
    )
    equity_b = account_open(
        neighbourhood=world.nbh_b,
        unit=eur_b,
        code="0900",
        name="EV",
        type="equity",
        owner_kind="wijkbedrijf",
    )
    post_transaction(
        neighbourhood=world.nbh_b,
        kind="opening",
        memo="Begin",
        actor=None,
        lines=[PostingLine(bank_b, "D", 500), PostingLine(equity_b, "C", 500)],
    )
    out = io.StringIO()

    call_command("ledger", "export", stdout=out)

    entries, errors, _options = loader.load_string(out.getvalue())
    assert errors == []
    balances = beancount_balances(entries)
    assert balances["Assets:Eikendal:1100"]["EUR"] == Decimal("5.00")
    assert balances["Assets:Lindenhof:1100"]["EUR"] == Decimal("9940.00") + Decimal("60.00")
