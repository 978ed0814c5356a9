"""Browser journeys of the ledger: staff reverse a transaction with a reason; a resident reads
their statement on a phone. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from heelwijk.ledger.actions import (
    PostingLine,
    account_open,
    ensure_standard_units,
    post_transaction,
)
from heelwijk.ledger.models import Account, Transaction
from tests.factories import PASSWORD

from .conftest import assert_accessible, assert_fits_phone


def login(page, email: str) -> None:
    page.set_default_timeout(60000)  # the shared machine may be busy; a slow page is no failure
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Wachtwoord").press("Enter")


@pytest.fixture
def books(world):
    n, staff = world.nbh_a, world.staff_a
    eur = ensure_standard_units(neighbourhood=n)["EUR"]

    def open_(code, name, type_, **kw):
        return account_open(
            neighbourhood=n,
            unit=eur,
            code=code,
            name=name,
            type=type_,
            owner_kind=kw.pop("owner_kind", "wijkbedrijf"),
            **kw,
        )

    bank = open_("1100", "Bank", "asset")
    dues = open_("8000", "Contributie leden", "income")
    party = open_("4300", "Activiteiten", "expense")
    deposit = open_(
        "HH-1", "Tegoed Lindelaan 12", "liability", owner_kind="household", owner=world.household_a
    )
    post_transaction(
        neighbourhood=n,
        kind="top_up",
        memo="Storting tegoed",
        actor=staff,
        lines=[PostingLine(bank, "D", 5000), PostingLine(deposit, "C", 5000)],
        effective_date=date(2025, 10, 2),
    )
    for month in (10, 11, 12):
        post_transaction(
            neighbourhood=n,
            kind="dues",
            memo=f"Contributie {month}-2025",
            actor=staff,
            effective_date=date(2025, month, 5),
            lines=[PostingLine(deposit, "D", 750), PostingLine(dues, "C", 750)],
        )
    twice = post_transaction(
        neighbourhood=n,
        kind="purchase",
        memo="Burendag: tent",
        actor=staff,
        effective_date=date(2025, 9, 28),
        lines=[PostingLine(party, "D", 42500), PostingLine(bank, "C", 42500)],
    )
    return {"deposit": deposit, "twice": twice, "party": party}


def test_staff_open_the_ledger_and_reverse_a_transaction_with_a_reason(page, world, books):
    login(page, "staf-a@example.org")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Grootboek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grootboek")
    expect(page.get_by_role("cell", name="Tegoed Lindelaan 12")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Boekingen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boekingen")
    page.get_by_role("link", name=f"#{books['twice'].seq}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Boeking #{books['twice'].seq}")
    assert_accessible(page)

    page.get_by_role("link", name="Terugdraaien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Boeking #{books['twice'].seq} terugdraaien"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Deze boeking terugdraaien").click()
    expect(page.locator(".errorlist")).to_be_visible()  # the reason is required
    assert Transaction.objects.filter(reverses=books["twice"]).count() == 0

    page.get_by_label("Reden").fill("Dubbel geboekt: al betaald")
    page.get_by_role("button", name="Deze boeking terugdraaien").click()

    expect(page.get_by_role("status")).to_contain_text("is teruggedraaid met boeking")
    expect(page.get_by_text("Dubbel geboekt: al betaald")).to_be_visible()
    assert_accessible(page)
    reversal = Transaction.objects.get(reverses=books["twice"])
    assert reversal.reason == "Dubbel geboekt: al betaald"
    assert Account.objects.get(pk=books["party"].pk).balance == 0

    page.get_by_role("link", name="Proefbalans").click()
    expect(page.get_by_text("In balans: debet is gelijk aan credit.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Boeken controleren").click()
    expect(page.get_by_text("In orde: geen problemen gevonden.")).to_be_visible()
    assert_accessible(page)


def test_a_resident_reads_the_statement_on_a_phone(phone_page, world, books):
    page = phone_page
    login(page, "bewoner-a@example.org")

    page.goto(page.base_url + "/")
    toggle = page.locator("button.menu-toggle")
    if toggle.count() and toggle.is_visible():  # on a phone the menu opens with a button
        toggle.click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn rekeningen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn rekeningen")
    expect(page.get_by_text("€ 27,50")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_role("link", name="Tegoed Lindelaan 12").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tegoed Lindelaan 12")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Contributie 12-2025")
    expect(rows.nth(0)).to_contain_text("€ 27,50")  # the running balance after the newest line
    expect(rows.nth(3)).to_contain_text("Storting tegoed")
    assert_accessible(page)
    assert_fits_phone(page)
