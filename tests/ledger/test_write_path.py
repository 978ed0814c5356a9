"""The lean write path (raw SQL) stores exactly what the models describe: the transaction,
its postings in line order, balances, the chain head and the audit entry; reversals can be
dated."""

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from heelwijk.ledger.actions import (
    BatchTransaction,
    PostingLine,
    post_batch,
    post_transaction,
    reverse_transaction,
)
from heelwijk.ledger.errors import LedgerError
from heelwijk.ledger.hashchain import digest_of
from heelwijk.ledger.models import Account, LedgerHead, Posting, Transaction
from heelwijk.ledger.verify import verify_ledger
from heelwijk.neighbourhood.models import AuditEntry


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def D(account, amount):
    return PostingLine(account=account, side="D", amount=amount)


def C(account, amount):
    return PostingLine(account=account, side="C", amount=amount)


def stored(txn):
    """The transaction and its postings as read back from the database."""
    row = Transaction.objects.get(pk=txn.pk)
    postings = list(
        Posting.objects.filter(transaction=row)
        .order_by("id")
        .values_list(
            "account_id", "side", "amount", "unit_id", "effective_date", "neighbourhood_id"
        )
    )
    return row, postings


FIELDS = [
    "neighbourhood_id",
    "seq",
    "kind",
    "memo",
    "actor_id",
    "effective_date",
    "created_at",
    "idempotency_key",
    "request_hash",
    "reverses_id",
    "reason",
    "prev_hash",
    "hash",
]


def test_the_returned_transaction_is_the_stored_row_and_its_hash_holds(books, world):
    # Given three lines in a chosen order, with an idempotency key
    lines = [D(books.bank, 700), C(books.dues, 500), C(books.household, 200)]

    # When posted
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="  Contributie én borg  ",
        actor=world.staff_a,
        lines=lines,
        idempotency_key="k-1",
        effective_date=date(2026, 3, 31),
    )

    # Then the instance equals the row, postings keep the line order, and the hash recomputes
    row, postings = stored(txn)
    assert [getattr(txn, f) for f in FIELDS] == [getattr(row, f) for f in FIELDS]
    assert txn.neighbourhood == world.nbh_a and not txn._state.adding
    assert row.memo == "Contributie én borg" and row.seq == 1 and row.actor_id == world.staff_a.pk
    eur, n = books.eur.pk, world.nbh_a.pk
    assert postings == [
        (books.bank.pk, "D", 700, eur, date(2026, 3, 31), n),
        (books.dues.pk, "C", 500, eur, date(2026, 3, 31), n),
        (books.household.pk, "C", 200, eur, date(2026, 3, 31), n),
    ]
    assert row.hash == digest_of(row, [p[:4] for p in postings])
    head = LedgerHead.objects.get(neighbourhood=world.nbh_a)
    assert (head.seq, head.hash) == (1, row.hash)
    # And the callers' accounts carry the new stored balances
    assert (books.bank.balance, books.dues.balance, books.household.balance) == (700, 500, 200)
    assert dict(
        Account.objects.filter(
            pk__in=[books.bank.pk, books.dues.pk, books.household.pk]
        ).values_list("code", "balance")
    ) == {"1100": 700, "8000": 500, "2100": 200}


def test_each_posting_writes_one_audit_entry_like_the_audit_action(books, world):
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie",
        actor=world.staff_a,
        lines=[D(books.bank, 100), C(books.dues, 100)],
    )
    anonymous = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie",
        actor=None,
        lines=[D(books.bank, 100), C(books.dues, 100)],
    )
    reversal = reverse_transaction(transaction=txn, actor=world.staff_a, reason="Dubbel")

    entries = AuditEntry.objects.filter(object_type="ledger.transaction").order_by("id")
    assert [
        (e.neighbourhood_id, e.actor_id, e.action, e.object_id, e.changes) for e in entries
    ] == [
        (world.nbh_a.pk, world.staff_a.pk, "ledger_post_transaction", txn.pk,
         {"seq": 1, "kind": "dues", "reverses": None}),
        (world.nbh_a.pk, None, "ledger_post_transaction", anonymous.pk,
         {"seq": 2, "kind": "dues", "reverses": None}),
        (world.nbh_a.pk, world.staff_a.pk, "ledger_reverse_transaction", reversal.pk,
         {"seq": 3, "kind": "reversal", "reverses": txn.pk}),
    ]  # fmt: skip
    assert entries[0].at == txn.created_at


def test_lines_that_cancel_out_on_one_account_post_without_moving_its_balance(books, world):
    # Given a debit and a credit of the same amount on the same account
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="correction",
        memo="Tegen elkaar weggestreept",
        actor=world.staff_a,
        lines=[D(books.bank, 300), C(books.bank, 300)],
    )

    # Then both postings are there, the balance is unchanged and the books verify
    assert stored(txn)[1] == [
        (books.bank.pk, "D", 300, books.eur.pk, timezone.localdate(), world.nbh_a.pk),
        (books.bank.pk, "C", 300, books.eur.pk, timezone.localdate(), world.nbh_a.pk),
    ]
    assert Account.objects.get(pk=books.bank.pk).balance == 0
    assert verify_ledger(world.nbh_a).ok


def test_a_batch_stores_every_transaction_in_order_and_chains_them(books, world):
    items = [
        BatchTransaction(
            memo=f"Storting {i}",
            lines=[D(books.bank, 100 + i), C(books.household, 100 + i)],
            effective_date=date(2026, 1, 1 + i),
        )
        for i in range(5)
    ]

    posted = post_batch(
        neighbourhood=world.nbh_a, kind="import", actor=world.staff_a, transactions=items
    )

    assert [t.seq for t in posted] == [1, 2, 3, 4, 5]
    assert [t.pk for t in posted] == sorted(t.pk for t in posted)
    for txn in posted:
        row, postings = stored(txn)
        assert [getattr(txn, f) for f in FIELDS] == [getattr(row, f) for f in FIELDS]
        assert row.hash == digest_of(row, [p[:4] for p in postings])
    assert [t.prev_hash for t in posted[1:]] == [t.hash for t in posted[:-1]]
    assert Account.objects.get(pk=books.household.pk).balance == 510
    assert verify_ledger(world.nbh_a).ok


def test_a_reversal_takes_the_given_effective_date(books, world):
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie maart",
        actor=world.staff_a,
        lines=[D(books.bank, 2500), C(books.dues, 2500)],
        effective_date=date(2026, 3, 15),
    )

    reversal = reverse_transaction(
        transaction=txn,
        actor=world.staff_a,
        reason="Verkeerde maand",
        effective_date=date(2026, 3, 15),
    )

    row, postings = stored(reversal)
    assert row.effective_date == date(2026, 3, 15) == reversal.effective_date
    assert {p[4] for p in postings} == {date(2026, 3, 15)}
    assert (row.reverses_id, row.reason) == (txn.pk, "Verkeerde maand")
    assert verify_ledger(world.nbh_a).ok


def test_a_reversal_is_dated_today_by_default(books, world):
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie",
        actor=world.staff_a,
        lines=[D(books.bank, 2500), C(books.dues, 2500)],
        effective_date=date(2025, 12, 1),
    )

    reversal = reverse_transaction(transaction=txn, actor=world.staff_a, reason="Fout")

    assert stored(reversal)[0].effective_date == timezone.localdate()


@pytest.mark.parametrize("value", [datetime(2026, 3, 15, 12, 0), "2026-03-15"])
def test_a_reversal_refuses_an_effective_date_that_is_not_a_date(books, world, value):
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie",
        actor=world.staff_a,
        lines=[D(books.bank, 2500), C(books.dues, 2500)],
    )

    with pytest.raises(LedgerError) as refused:
        reverse_transaction(
            transaction=txn, actor=world.staff_a, reason="Fout", effective_date=value
        )

    assert str(refused.value) == "The effective date must be a date (without a time)."
    assert Transaction.objects.count() == 1
    assert Account.objects.get(pk=books.bank.pk).balance == 2500


def test_the_database_keeps_one_index_per_lookup_and_the_once_only_reversal_rule(db):
    # The plain indexes on Transaction.reverses and AuditEntry.neighbourhood were dropped
    # (covered by others); the unique rule "reversed at most once" must stay.
    from django.db import connection

    with connection.cursor() as cursor:
        txn = connection.introspection.get_constraints(cursor, "ledger_transaction")
        audit = connection.introspection.get_constraints(cursor, "neighbourhood_auditentry")

    def indexes_starting_with(constraints, column):
        return sorted(
            (c["columns"], bool(c["unique"]))
            for c in constraints.values()
            if c["index"] and c["columns"][:1] == [column]
        )

    assert indexes_starting_with(txn, "reverses_id") == [(["reverses_id"], True)]
    assert indexes_starting_with(audit, "neighbourhood_id") == [
        (["neighbourhood_id", "object_type", "object_id"], False)
    ]
