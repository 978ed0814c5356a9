"""The demo books: built once and deterministically, sound, and not empty on the pages."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from heelwijk.accounts.models import User
from heelwijk.ledger.demo import build_demo
from heelwijk.ledger.models import Account, Transaction
from heelwijk.ledger.verify import verify_ledger
from heelwijk.neighbourhood.demo import demo_build

from .test_api_support import ledger_state


@pytest.fixture
def demo(db):
    built = demo_build(households=20, seed=7, password="demo-test-password")
    return {item.neighbourhood.slug: item.neighbourhood for item in built}


def test_the_demo_books_are_built_once_and_verify(demo):
    lindenhof = demo["lindenhof"]
    out = io.StringIO()

    build_demo(neighbourhood=lindenhof, stdout=out)
    first = ledger_state()
    build_demo(neighbourhood=lindenhof, stdout=out)

    assert ledger_state() == first
    assert "nothing changed" in out.getvalue()
    assert verify_ledger(lindenhof).ok
    reversal = Transaction.objects.get(neighbourhood=lindenhof, reverses__isnull=False)
    assert reversal.reason.startswith("Dubbel geboekt")
    assert reversal.reverses.memo == "Burendag: tent en muziek"
    assert Account.objects.get(neighbourhood=lindenhof, code="4300").balance == 42_500 + 3_275


def test_the_demo_plan_is_deterministic_and_every_neighbourhood_gets_books(demo):
    """The same base gives the same plan (no clock, no unseeded chance)."""
    from heelwijk.ledger import demo as ledger_demo

    lindenhof = demo["lindenhof"]
    build_demo(neighbourhood=lindenhof, stdout=io.StringIO())
    chart = {a.code: a for a in Account.objects.filter(neighbourhood=lindenhof)}
    deposits = [(a, 1) for code, a in sorted(chart.items()) if code.startswith("HH-")]

    first = ledger_demo._plan("lindenhof", chart, deposits)
    second = ledger_demo._plan("lindenhof", chart, deposits)
    build_demo(neighbourhood=demo["eikendal"], stdout=io.StringIO())

    assert first == second
    assert verify_ledger(demo["eikendal"]).ok
    assert Transaction.objects.filter(neighbourhood=demo["eikendal"]).count() > 20


def test_the_demo_resident_has_a_statement_to_see(demo, client):
    lindenhof = demo["lindenhof"]
    build_demo(neighbourhood=lindenhof, stdout=io.StringIO())
    resident = User.objects.get(email="bewoner@lindenhof.demo")
    client.force_login(resident)

    mine = client.get(reverse("ledger:my_accounts"))
    account = Account.objects.get(owner_household=resident.person.household)
    statement = client.get(reverse("ledger:account_detail", args=[account.pk]))

    assert mine.status_code == 200
    assert account.name in mine.content.decode()
    assert statement.status_code == 200
    assert "Contributie" in statement.content.decode()
    assert account.balance > 0


def test_the_staff_pages_of_the_demo_are_not_empty(demo, client):
    lindenhof = demo["lindenhof"]
    build_demo(neighbourhood=lindenhof, stdout=io.StringIO())
    client.force_login(User.objects.get(email="wijkondernemer@lindenhof.demo"))

    pages = {
        name: client.get(reverse(f"ledger:{name}")).content.decode()
        for name in ("account_list", "transaction_list", "trial_balance", "chain_status")
    }

    assert "Kas" in pages["account_list"]
    assert "Burendag" in pages["transaction_list"]
    assert "EUR" in pages["trial_balance"] and "KWH" in pages["trial_balance"]
    assert "In orde: geen problemen gevonden." in pages["chain_status"]
