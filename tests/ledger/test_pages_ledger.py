"""What the ledger pages show and do: balances, search, filters, pages, the statement's running
balance, the trial balance at a date, the reversal with a required reason and the chain check."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heelwijk.ledger.actions import PostingLine, account_open, post_transaction
from heelwijk.ledger.models import Account, Transaction

from . import test_api_support as support
from .conftest import tampering

ledger_state = support.ledger_state


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def staff(world, client_for):
    return client_for(world.staff_a)


@pytest.fixture
def dues_paid(world, books):
    """Four months of dues from household A's deposit after one top-up."""
    n, actor = world.nbh_a, world.staff_a
    post_transaction(
        neighbourhood=n,
        kind="top_up",
        memo="Storting tegoed",
        actor=actor,
        effective_date=date(2025, 9, 1),
        lines=[PostingLine(books.bank, "D", 5000), PostingLine(books.household, "C", 5000)],
    )
    for month in (9, 10, 11, 12):
        post_transaction(
            neighbourhood=n,
            kind="dues",
            memo=f"Contributie {month}-2025",
            actor=actor,
            effective_date=date(2025, month, 5),
            lines=[PostingLine(books.household, "D", 750), PostingLine(books.dues, "C", 750)],
        )
    return books


def test_the_ledger_lists_accounts_with_their_balance(world, dues_paid, staff):
    page = text_of(staff.get(reverse("ledger:account_list")))

    assert "Tegoed Lindelaan 12" in page
    assert "€ 20,00" in page  # household A's deposit: 50,00 minus 4 times 7,50
    assert "€ 30,00" in page  # dues received
    assert "Lindelaan 12" in page  # the owner


def test_the_ledger_searches_and_filters_by_unit(world, dues_paid, staff):
    url = reverse("ledger:account_list")
    hours = account_open(
        neighbourhood=world.nbh_a,
        unit=dues_paid.hour,
        code="H-1",
        name="Tijdbank",
        type="asset",
        owner_kind="system",
    )

    found = text_of(staff.get(url, {"q": "contributie"}))
    by_unit = text_of(staff.get(url, {"unit": hours.unit.pk}))
    nothing = text_of(staff.get(url, {"q": "zzzz"}))

    assert "Contributie" in found and "Boodschappen" not in found
    assert "Tijdbank" in by_unit and "Contributie" not in by_unit
    assert "Geen rekening past bij je zoekopdracht." in nothing


def test_the_ledger_answers_htmx_with_the_results_only(world, dues_paid, staff):
    response = staff.get(reverse("ledger:account_list"), {"q": "bank"}, HTTP_HX_REQUEST="true")

    assert "<html" not in text_of(response)
    assert "Bank" in text_of(response)
    assert "HX-Request" in response["Vary"]


def test_the_ledger_pages_its_accounts_in_constant_queries(world, books, staff, settings):
    settings.HEELWIJK_PAGE_SIZE = 5
    url = reverse("ledger:account_list")
    staff.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as small:
        staff.get(url)
    for i in range(12):
        account_open(
            neighbourhood=world.nbh_a,
            unit=books.eur,
            code=f"HH-{i:02d}",
            name=f"Tegoed {i}",
            type="liability",
            owner_kind="household",
            owner=world.household_a,
        )
    with CaptureQueriesContext(connection) as large:
        page_two = staff.get(url, {"page": 2})

    assert len(large) == len(small)
    assert "HH-00" in text_of(page_two) or "HH-01" in text_of(page_two)
    assert 'aria-current="page"' in text_of(page_two)


def test_the_statement_shows_the_running_balance_newest_first(world, dues_paid, client_for):
    client = client_for(world.resident_a)
    url = reverse("ledger:account_detail", args=[dues_paid.household.pk])

    page = text_of(client.get(url))

    assert page.index("Contributie 12-2025") < page.index("Contributie 9-2025")
    assert page.index("Contributie 9-2025") < page.index("Storting tegoed")
    for balance in ("€ 20,00", "€ 27,50", "€ 35,00", "€ 42,50", "€ 50,00"):
        assert balance in page
    assert "+€ 50,00" in page  # the top-up adds to the balance
    assert "Saldo nu" in page


def test_the_statement_has_pages(world, books, client_for):
    for day in range(1, 31):
        post_transaction(
            neighbourhood=world.nbh_a,
            kind="top_up",
            memo=f"Storting {day}",
            actor=None,
            effective_date=date(2025, 11, day),
            lines=[PostingLine(books.bank, "D", 100), PostingLine(books.household, "C", 100)],
        )
    client = client_for(world.resident_a)
    url = reverse("ledger:account_detail", args=[books.household.pk])

    first = text_of(client.get(url))
    second = text_of(client.get(url, {"page": 2}))
    beyond = client.get(url, {"page": "x"})

    assert "Storting 30" in first and "Storting 5" not in first
    assert "Storting 5" in second and "€ 5,00" in second and "€ 1,00" in second
    assert beyond.status_code == 200


def test_my_accounts_show_only_the_residents_own(world, dues_paid, client_for):
    page = text_of(client_for(world.resident_a).get(reverse("ledger:my_accounts")))

    assert "Tegoed Lindelaan 12" in page
    assert "€ 20,00" in page
    assert "Tegoed Beukenstraat 3" not in page
    assert "Bank" not in page


def test_my_accounts_say_so_when_there_are_none(world, client_for):
    page = text_of(client_for(world.representative_a).get(reverse("ledger:my_accounts")))

    assert "Je hebt nog geen rekening." in page


def test_the_trial_balance_at_a_date(world, dues_paid, staff):
    url = reverse("ledger:trial_balance")

    now = text_of(staff.get(url))
    october = text_of(staff.get(url, {"at": "2025-10-31"}))
    bad = staff.get(url, {"at": "2025-13-45"})

    assert "In balans: debet is gelijk aan credit." in now
    assert "€ 30,00" in now  # dues now
    assert "€ 15,00" in october  # dues at the end of October
    assert "€ 35,00" in october  # household deposit then
    assert "Aan het eind van" in october
    assert bad.status_code == 200
    assert "Zoals de boeken nu staan." in text_of(bad)


def test_staff_reverse_a_transaction_with_a_reason(world, dues_paid, staff):
    txn = Transaction.objects.get(memo="Contributie 12-2025")
    url = reverse("ledger:transaction_reverse", args=[txn.pk])
    confirm = text_of(staff.get(url))
    before = ledger_state()

    refused = staff.post(url, {"reason": "   "})
    assert ledger_state() == before
    done = staff.post(url, {"reason": "Lid had opgezegd"}, follow=True)

    assert "Contributie 12-2025" in confirm and "Reden" in confirm
    assert refused.status_code == 200
    assert "Geef een reden" in text_of(refused) or "verplicht" in text_of(refused)
    reversal = Transaction.objects.get(reverses=txn)
    assert reversal.reason == "Lid had opgezegd"
    assert done.redirect_chain[-1][0] == reverse("ledger:transaction_detail", args=[reversal.pk])
    assert "is teruggedraaid met boeking" in text_of(done)
    assert Account.objects.get(pk=dues_paid.household.pk).balance == 2750
    again = staff.get(url, follow=True)
    assert "Deze boeking is al teruggedraaid." in text_of(again)


def test_a_reversal_the_ledger_refuses_is_explained_and_changes_nothing(world, books, staff):
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="top_up",
        memo="Storting",
        actor=None,
        lines=[PostingLine(books.bank, "D", 1000), PostingLine(books.household2, "C", 1000)],
    )
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie",
        actor=None,
        lines=[PostingLine(books.household2, "D", 6000), PostingLine(books.dues, "C", 6000)],
    )
    before = ledger_state()

    response = staff.post(reverse("ledger:transaction_reverse", args=[txn.pk]), {"reason": "Fout"})

    assert response.status_code == 200
    assert "De terugboeking is geweigerd" in text_of(response)
    assert "2101" in text_of(response)
    assert ledger_state() == before


def test_the_transaction_page_shows_its_postings(world, dues_paid, client_for):
    txn = Transaction.objects.get(memo="Storting tegoed")

    page = text_of(
        client_for(world.resident_a).get(reverse("ledger:transaction_detail", args=[txn.pk]))
    )

    assert "1100 Bank" in page and "2100 Tegoed Lindelaan 12" in page
    assert page.count("€ 50,00") == 2
    assert "Terugdraaien" not in page  # only staff may reverse


def test_the_chain_check_says_ok_or_names_each_problem(world, dues_paid, staff):
    url = reverse("ledger:chain_status")
    assert "In orde: geen problemen gevonden." in text_of(staff.get(url))
    txn = Transaction.objects.get(memo="Contributie 10-2025")

    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_posting SET amount = 1 WHERE transaction_id = %s AND side = 'D'",
            [txn.pk],
        )
    page = text_of(staff.get(url))

    assert "In orde" not in page
    assert f"#{txn.seq}" in page
    assert "chain_hash" in page and "unbalanced" in page
