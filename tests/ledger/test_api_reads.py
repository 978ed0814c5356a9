"""Reads of the ledger API: balances now and at a date, statements and the trial balance."""

from datetime import date

from heelwijk.ledger.actions import PostingLine, post_transaction

from . import test_api_support as support

api_as = support.api_as  # a fixture
funded = support.funded  # a fixture


def test_staff_reads_a_balance_now_and_at_a_date(world, books, api_as):
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie januari",
        actor=world.staff_a,
        lines=[PostingLine(books.bank, "D", 2500), PostingLine(books.dues, "C", 2500)],
        effective_date=date(2026, 1, 31),
    )
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie februari",
        actor=world.staff_a,
        lines=[PostingLine(books.bank, "D", 1250), PostingLine(books.dues, "C", 1250)],
        effective_date=date(2026, 2, 28),
    )
    api = api_as("staff_a")

    now = api.get(f"/accounts/{books.dues.pk}/balance")
    january = api.get(f"/accounts/{books.dues.pk}/balance", at="2026-01-31")
    before = api.get(f"/accounts/{books.dues.pk}/balance", at="2025-12-31")

    assert now.status_code == 200
    assert now.data == {
        "account_id": books.dues.pk,
        "code": "8000",
        "unit": "EUR",
        "at": None,
        "balance": "37.50",
        "balance_minor": 3750,
    }
    assert january.data["balance"] == "25.00"
    assert january.data["at"] == "2026-01-31"
    assert before.data["balance"] == "0.00"
