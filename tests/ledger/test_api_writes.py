"""Writes through the ledger API: transfers, transactions and reversals, with idempotency keys.

Every refusal answers JSON with a clear message and a code, never a server error, and writes
nothing; every success answers the posted transaction with exact amounts.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from heelwijk.ledger.models import Account, Transaction
from heelwijk.ledger.verify import verify_ledger

from . import test_api_support as support
from .conftest import postgres_only

api_as = support.api_as  # a fixture
funded = support.funded  # a fixture
ledger_state = support.ledger_state


def transfer_body(funded, amount="10.00", **extra):
    return {
        "source_account_id": funded.books.household.pk,
        "destination_account_id": funded.books.dues.pk,
        "amount": amount,
        "memo": "Contributie maart",
        **extra,
    }


def balance_of(account) -> int:
    return Account.objects.get(pk=account.pk).balance


# --- transfers ------------------------------------------------------------------------------------


def test_a_resident_pays_dues_from_the_household_account(world, funded, api_as):
    response = api_as("resident_a").post("/transfers", transfer_body(funded), key="pay-1")

    assert response.status_code == 201
    body = response.data
    assert body["kind"] == "transfer"
    assert body["memo"] == "Contributie maart"
    assert body["actor_id"] == world.resident_a.pk
    assert body["reverses_id"] is None
    assert [
        (p["account_code"], p["side"], p["amount"], p["amount_minor"], p["unit"])
        for p in body["postings"]
    ] == [
        ("2100", "D", "10.00", 1000, "EUR"),
        ("8000", "C", "10.00", 1000, "EUR"),
    ]
    assert balance_of(funded.books.household) == 9000
    assert balance_of(funded.books.dues) == 1000
    assert verify_ledger(world.nbh_a).ok


def test_the_same_key_and_body_answer_the_first_answer_and_post_once(world, funded, api_as):
    api = api_as("resident_a")
    first = api.post("/transfers", transfer_body(funded), key="pay-twice")
    before = ledger_state()

    again = api.post("/transfers", transfer_body(funded), key="pay-twice")

    assert again.status_code == first.status_code == 201
    assert again.data == first.data
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ledger_state() == before
    assert balance_of(funded.books.household) == 9000


def test_the_same_key_with_another_body_is_refused_with_409(world, funded, api_as):
    api = api_as("resident_a")
    api.post("/transfers", transfer_body(funded), key="pay-changed")
    before = ledger_state()

    changed = api.post("/transfers", transfer_body(funded, amount="11.00"), key="pay-changed")
    elsewhere = api.post(
        "/transactions",
        {"kind": "x", "lines": []},
        key="pay-changed",
    )

    assert changed.status_code == 409
    assert changed.data["code"] == "idempotency_conflict"
    assert "pay-changed" in changed.data["detail"]
    assert elsewhere.status_code == 422  # the schema refuses an empty transaction first
    assert ledger_state() == before


def test_keys_belong_to_their_user(world, funded, api_as):
    """Staff using the key a resident used posts a transaction of its own."""
    api_as("resident_a").post("/transfers", transfer_body(funded), key="shared-key")

    response = api_as("staff_a").post(
        "/transfers", transfer_body(funded, amount="1.00"), key="shared-key"
    )

    assert response.status_code == 201
    assert balance_of(funded.books.household) == 8900


def test_a_transfer_past_a_limit_is_refused_naming_the_account(world, funded, api_as):
    """Household A2's account may go down to € -50,00 (a credit limit)."""
    api = api_as("staff_a")
    before = ledger_state()
    body = transfer_body(funded, amount="50.01", source_account_id=funded.books.household2.pk)

    response = api.post("/transfers", body, key="too-much")

    assert response.status_code == 409
    assert response.data["code"] == "limit_exceeded"
    assert "2101" in response.data["detail"]
    assert "Tegoed Beukenstraat 3" in response.data["detail"]
    assert ledger_state() == before


def test_a_refused_request_may_be_sent_again_with_the_same_key(world, funded, api_as):
    """A refusal writes nothing, so it is not remembered: after a top-up the retry goes through."""
    api = api_as("staff_a")
    body = transfer_body(funded, amount="70.00", source_account_id=funded.books.household2.pk)
    assert api.post("/transfers", body, key="retry").status_code == 409
    api.post(
        "/transactions",
        {
            "kind": "top_up",
            "lines": [
                {"account_id": funded.books.bank.pk, "side": "D", "amount": "20.00"},
                {"account_id": funded.books.household2.pk, "side": "C", "amount": "20.00"},
            ],
        },
        key="top-up",
    )

    retried = api.post("/transfers", body, key="retry")

    assert retried.status_code == 201
    assert balance_of(funded.books.household2) == -5000


@pytest.mark.parametrize(
    ("amount", "status", "code"),
    [
        ("10.001", 400, "invalid_amount"),  # more decimals than euros have
        ("0", 400, "invalid_amount"),
        ("-5.00", 400, "invalid_amount"),
        ("1e3", 422, None),  # not a plain decimal
        ("tien", 422, None),
    ],
)
def test_bad_amounts_are_refused_and_change_nothing(world, funded, api_as, amount, status, code):
    api = api_as("staff_a")
    before = ledger_state()

    response = api.post("/transfers", transfer_body(funded, amount=amount), key="bad-amount")

    assert response.status_code == status, response.data
    if code:
        assert response.data["code"] == code
        assert response.data["errors"]["amount"]
    assert ledger_state() == before


def test_an_amount_as_a_json_number_is_refused(world, funded, api_as):
    response = api_as("staff_a").post("/transfers", transfer_body(funded, amount=10.5), key="float")

    assert response.status_code == 422
    assert "12.50" in str(response.data["errors"])


def test_a_missing_idempotency_key_is_refused(world, funded, api_as):
    api = api_as("staff_a")
    before = ledger_state()

    response = api.post("/transfers", transfer_body(funded))

    assert response.status_code == 422
    assert "Idempotency-Key" in str(response.data["errors"])
    assert ledger_state() == before


def test_accounts_of_different_units_or_sides_cannot_transfer(world, funded, api_as):
    api = api_as("staff_a")
    units = api.post(
        "/transfers",
        transfer_body(funded, destination_account_id=funded.person_account.pk),
        key="units",
    )
    sides = api.post(
        "/transfers",
        transfer_body(funded, destination_account_id=funded.books.bank.pk),
        key="sides",
    )

    assert (units.status_code, units.data["code"]) == (400, "unit_mismatch")
    assert (sides.status_code, sides.data["code"]) == (400, "unbalanced")


def test_a_resident_may_not_back_date_a_transfer(world, funded, api_as):
    response = api_as("resident_a").post(
        "/transfers", transfer_body(funded, effective_date="2020-01-01"), key="old"
    )

    assert response.status_code == 400
    assert response.data["errors"] == {
        "effective_date": ["Alleen medewerkers mogen een andere datum kiezen."]
    }


# --- general transactions -------------------------------------------------------------------------


def test_staff_post_a_purchase_split_over_three_accounts(world, funded, api_as):
    books = funded.books
    response = api_as("staff_a").post(
        "/transactions",
        {
            "kind": "purchase",
            "memo": "Bouwmarkt",
            "effective_date": "2026-02-03",
            "lines": [
                {"account_id": books.repairs.pk, "side": "D", "amount": "40.00"},
                {"account_id": books.groceries.pk, "side": "D", "amount": "12.35"},
                {"account_id": books.energy.pk, "side": "D", "amount": "7.65"},
                {"account_id": books.bank.pk, "side": "C", "amount": "60.00"},
            ],
        },
        key="bouwmarkt",
    )

    assert response.status_code == 201
    assert response.data["effective_date"] == "2026-02-03"
    assert [balance_of(a) for a in (books.repairs, books.groceries, books.energy, books.bank)] == [
        4000,
        1235,
        765,
        15000 - 6000,
    ]


def test_an_unbalanced_transaction_is_refused_with_400(world, funded, api_as):
    books, api = funded.books, api_as("staff_a")
    before = ledger_state()

    response = api.post(
        "/transactions",
        {
            "kind": "purchase",
            "lines": [
                {"account_id": books.repairs.pk, "side": "D", "amount": "40.00"},
                {"account_id": books.bank.pk, "side": "C", "amount": "39.99"},
            ],
        },
        key="unbalanced",
    )

    assert response.status_code == 400
    assert response.data["code"] == "unbalanced"
    assert ledger_state() == before


def test_lines_naming_unknown_accounts_say_which_line(world, funded, api_as):
    response = api_as("staff_a").post(
        "/transactions",
        {
            "kind": "purchase",
            "lines": [
                {"account_id": funded.other_account.pk, "side": "D", "amount": "1.00"},
                {"account_id": funded.books.bank.pk, "side": "C", "amount": "1.001"},
            ],
        },
        key="unknown",
    )

    assert response.status_code == 400
    assert set(response.data["errors"]) == {"lines.0.account_id", "lines.1.amount"}


# --- reversals ------------------------------------------------------------------------------------


def test_staff_reverse_a_transaction_with_a_reason(world, funded, api_as):
    api = api_as("staff_a")

    response = api.post(f"/transactions/{funded.top_up.pk}/reverse", {"reason": "Dubbel geboekt"})
    again = api.post(f"/transactions/{funded.top_up.pk}/reverse", {"reason": "Nog een keer"})
    detail = api.get(f"/transactions/{funded.top_up.pk}")

    assert response.status_code == 201
    assert response.data["reverses_id"] == funded.top_up.pk
    assert response.data["reason"] == "Dubbel geboekt"
    assert [(p["account_code"], p["side"], p["amount"]) for p in response.data["postings"]] == [
        ("1100", "C", "100.00"),
        ("2100", "D", "100.00"),
    ]
    assert balance_of(funded.books.household) == 0
    assert again.status_code == 409
    assert again.data["code"] == "already_reversed"
    assert detail.data["reversed_by_id"] == response.data["id"]


def test_a_reversal_may_count_on_another_day(world, funded, api_as):
    api = api_as("staff_a")
    body = {"reason": "Terug per 1 maart", "effective_date": "2026-03-01"}

    response = api.post(f"/transactions/{funded.top_up.pk}/reverse", body)

    assert response.status_code == 201
    assert response.data["effective_date"] == "2026-03-01"
    assert balance_of(funded.books.household) == 0


@pytest.mark.parametrize("body", [{}, {"reason": "   "}, {"reason": ""}])
def test_a_reversal_needs_a_reason(world, funded, api_as, body):
    api = api_as("staff_a")
    before = ledger_state()

    response = api.post(f"/transactions/{funded.top_up.pk}/reverse", body)

    assert response.status_code == 422
    assert ledger_state() == before


def test_a_reversal_that_would_pass_a_limit_is_refused(world, funded, api_as):
    books, api = funded.books, api_as("staff_a")
    top_up = api.post(
        "/transactions",
        {
            "kind": "top_up",
            "lines": [
                {"account_id": books.bank.pk, "side": "D", "amount": "10.00"},
                {"account_id": books.household2.pk, "side": "C", "amount": "10.00"},
            ],
        },
        key="top-up-a2",
    )
    spent = api.post(
        "/transfers",
        transfer_body(funded, amount="60.00", source_account_id=books.household2.pk),
        key="spend-a2",
    )
    assert (top_up.status_code, spent.status_code) == (201, 201)
    before = ledger_state()

    response = api.post(f"/transactions/{top_up.data['id']}/reverse", {"reason": "Fout"})

    assert response.status_code == 409
    assert response.data["code"] == "limit_exceeded"
    assert "2101" in response.data["detail"]
    assert ledger_state() == before


# --- concurrency ----------------------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_post_exactly_one_transaction(world, funded, api_as):
    callers = [api_as("resident_a") for _ in range(8)]
    body = transfer_body(funded, amount="2.50")
    barrier = threading.Barrier(len(callers))
    answers = []

    def send(api):
        try:
            barrier.wait()
            answers.append(api.post("/transfers", body, key="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(api,)) for api in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [201] * 8
    assert len({a.data["id"] for a in answers}) == 1
    assert len({str(a.data) for a in answers}) == 1
    assert Transaction.objects.filter(idempotency_key__endswith=":race").count() == 1
    assert balance_of(funded.books.household) == 10000 - 250
    assert verify_ledger(world.nbh_a).ok
