"""Journal rows are append-only: model and queryset guards, and on PostgreSQL a trigger."""

import pytest
from django.db import DatabaseError, connection, transaction

from heelwijk.ledger.actions import PostingLine, post_transaction
from heelwijk.ledger.errors import TransactionImmutable
from heelwijk.ledger.models import Account, Posting, Transaction

from .conftest import postgres_only


@pytest.fixture
def posted(books, world):
    return post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie",
        actor=world.staff_a,
        lines=[PostingLine(books.bank, "D", 2500), PostingLine(books.dues, "C", 2500)],
    )


def test_saving_or_deleting_a_transaction_is_refused(posted):
    posted.memo = "veranderd"
    with pytest.raises(TransactionImmutable):
        posted.save()
    with pytest.raises(TransactionImmutable):
        posted.delete()
    assert Transaction.objects.get(pk=posted.pk).memo == "Contributie"


def test_saving_or_deleting_a_posting_is_refused(posted):
    posting = posted.postings.first()
    posting.amount = 1
    with pytest.raises(TransactionImmutable):
        posting.save()
    with pytest.raises(TransactionImmutable):
        posting.delete()
    assert Posting.objects.get(pk=posting.pk).amount == 2500


def test_querysets_refuse_update_and_delete(posted):
    with pytest.raises(TransactionImmutable):
        Transaction.objects.filter(pk=posted.pk).update(memo="x")
    with pytest.raises(TransactionImmutable):
        Transaction.objects.all().delete()
    with pytest.raises(TransactionImmutable):
        Posting.objects.filter(transaction=posted).update(amount=1)
    with pytest.raises(TransactionImmutable):
        Posting.objects.all().delete()
    with pytest.raises(TransactionImmutable):
        Posting.objects.bulk_update(list(Posting.objects.all()), ["amount"])
    assert Posting.objects.count() == 2


def test_journal_rows_are_only_added_by_the_actions(posted, books):
    with pytest.raises(TransactionImmutable):
        Posting.objects.create(
            transaction=posted,
            neighbourhood=posted.neighbourhood,
            account=books.bank,
            side="D",
            amount=1,
            unit=books.eur,
            effective_date=posted.effective_date,
        )
    with pytest.raises(TransactionImmutable):
        Posting.objects.bulk_create([])
    assert Posting.objects.count() == 2


def test_account_balance_changes_only_through_the_actions(posted, books):
    with pytest.raises(TransactionImmutable):
        Account.objects.filter(pk=books.bank.pk).update(balance=0)
    stale = Account.objects.get(pk=books.bank.pk)
    stale.balance = 999  # a stale or wrong in-memory balance ...
    stale.name = "Bank NL01"
    stale.save()  # ... is never written back
    fresh = Account.objects.get(pk=books.bank.pk)
    assert (fresh.name, fresh.balance) == ("Bank NL01", 2500)
    with pytest.raises(TransactionImmutable):
        stale.save(update_fields=["balance"])


def test_protected_from_cascading_deletes(posted, books, world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        books.bank.delete()
    with pytest.raises(ProtectedError):
        world.nbh_a.delete()
    with pytest.raises(ProtectedError):
        world.staff_a.delete()


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_posting SET amount = 1",
        "DELETE FROM ledger_posting",
        "UPDATE ledger_transaction SET memo = 'x'",
        "DELETE FROM ledger_transaction",
    ],
)
def test_postgresql_trigger_refuses_raw_update_and_delete(posted, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Posting.objects.filter(amount=2500).count() == 2
    assert Transaction.objects.get(pk=posted.pk).memo == "Contributie"
