"""On PostgreSQL a transfer that owns its database transaction is stored, committed and flushed
to disk in one message: locks are released before the fsync, the answer still waits for it.
Hot-path statements are prepared once per session. Older (format 1) hashes keep verifying."""

import re
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from heelwijk.ledger import hashchain
from heelwijk.ledger.actions import PostingLine, post_transaction, transfer
from heelwijk.ledger.actions import journal as journal_actions
from heelwijk.ledger.errors import LimitExceeded
from heelwijk.ledger.models import LedgerHead, Transaction
from heelwijk.ledger.verify import verify_ledger

ASYNC = "SET LOCAL synchronous_commit TO off; "
FLUSH = "SELECT pg_logical_emit_message(true, 'heelwijk.ledger', '')"
on_postgres = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def write_messages(queries):
    """The journal-write messages among captured queries (they move the chain head)."""
    return [
        q["sql"] for q in queries if "heelwijk_ledger_post_" in q["sql"] or "WITH old" in q["sql"]
    ]


def prepared_names(prefix):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_prepared_statements WHERE name LIKE %s ORDER BY name",
            [prefix + "%"],
        )
        return [row[0] for row in cursor.fetchall()]


def pay(books, world, amount, **kw):
    return transfer(
        source=books.bank,
        destination=books.cash,
        amount=amount,
        kind="transfer",
        memo="kas",
        actor=world.staff_a,
        **kw,
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_transfer_of_its_own_commits_and_flushes_in_one_message(books, world):
    connection.close()  # a fresh session: nothing prepared yet
    with CaptureQueriesContext(connection) as first:
        pay(books, world, 1500)
    with CaptureQueriesContext(connection) as second:
        pay(books, world, 250)

    (message,) = write_messages(first.captured_queries)
    assert message.startswith(
        "SET LOCAL synchronous_commit TO off; PREPARE heelwijk_ledger_post_2_2_"
    )
    assert message.endswith(f"; COMMIT; {FLUSH}")
    (message,) = write_messages(second.captured_queries)
    assert message.startswith(
        "SET LOCAL synchronous_commit TO off; EXECUTE heelwijk_ledger_post_2_2_"
    )
    assert "PREPARE" not in message and message.endswith(f"; COMMIT; {FLUSH}")
    # The BEGIN rides with the account lock; Django opens and commits nothing itself
    queries = first.captured_queries + second.captured_queries
    lock = re.compile(r"^BEGIN; (PREPARE|EXECUTE) heelwijk_ledger_lock_\d+")
    assert [m.group(1) for q in queries if (m := lock.match(q["sql"]))] == ["PREPARE", "EXECUTE"]
    assert [q["sql"] for q in second.captured_queries if q["sql"] in ("BEGIN", "COMMIT")] == []
    # The session is idle, out of any transaction, and both statements stay prepared
    assert not connection.in_atomic_block and connection.get_autocommit()
    assert connection.connection.info.transaction_status == 0  # IDLE
    assert len(prepared_names("heelwijk_ledger_post_2_2_")) == 1
    assert len(prepared_names("heelwijk_ledger_lock_")) == 1
    # And both transfers are committed: another session sees them
    connection.close()
    assert list(Transaction.objects.order_by("seq").values_list("seq", "kind")) == [
        (1, "transfer"),
        (2, "transfer"),
    ]
    books.bank.refresh_from_db(), books.cash.refresh_from_db()
    assert (books.bank.balance, books.cash.balance) == (-1750, 1750)
    assert verify_ledger().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_refused_transfer_rolls_its_transaction_back_and_releases_the_locks(books, world):
    books.cash.lower_limit = 0
    books.cash.save(update_fields=["lower_limit"])
    with pytest.raises(LimitExceeded):
        transfer(
            source=books.cash,
            destination=books.bank,
            amount=100,
            kind="transfer",
            memo="te veel",
            actor=None,
        )
    # The session is out of the transaction the lock opened, and another session can lock
    # the accounts at once
    assert connection.connection.info.transaction_status == 0  # IDLE
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM ledger_account WHERE id IN (%s, %s) FOR UPDATE NOWAIT",
                [books.cash.pk, books.bank.pk],
            )
            assert len(cursor.fetchall()) == 2
    finally:
        other.close()
    # And the next transfer goes through
    pay(books, world, 100)
    assert Transaction.objects.count() == 1 and verify_ledger().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_with_synchronous_commits_the_message_commits_without_the_flush(books, world, settings):
    settings.LEDGER_RELEASE_LOCKS_BEFORE_FLUSH = False
    with CaptureQueriesContext(connection) as captured:
        pay(books, world, 100)
    (message,) = write_messages(captured.captured_queries)
    assert message.endswith("; COMMIT") and "synchronous_commit" not in message
    assert FLUSH not in message
    connection.close()
    assert Transaction.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_without_prepared_statements_the_plain_statement_is_sent(books, world, settings):
    settings.LEDGER_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as captured:
        pay(books, world, 100)
    (message,) = write_messages(captured.captured_queries)
    assert message.startswith(f"{ASYNC}WITH old AS (")
    assert "PREPARE" not in message and "EXECUTE" not in message
    lock = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(lock) == 2 and not any("PREPARE" in sql for sql in lock)  # accounts, write
    connection.close()
    assert Transaction.objects.count() == 1 and verify_ledger().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_block_the_write_does_not_commit(books, world):
    with (
        CaptureQueriesContext(connection) as captured,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        pay(books, world, 100)
        raise RuntimeError("the caller's own step failed")
    (message,) = write_messages(captured.captured_queries)
    assert "COMMIT" not in message and FLUSH not in message
    # The caller's failure took the transfer with it
    assert Transaction.objects.count() == 0
    books.bank.refresh_from_db()
    assert books.bank.balance == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_message_that_failed_after_its_prepare_leaves_no_clash(books, world, monkeypatch):
    connection.close()
    # A transaction with key "dup" exists (a three-line posting: another statement shape)
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="eerste",
        actor=None,
        lines=[
            PostingLine(books.bank, "D", 300),
            PostingLine(books.dues, "C", 200),
            PostingLine(books.household, "C", 100),
        ],
        idempotency_key="dup",
    )
    # When the key lookup misses it, the database refuses the duplicate inside the message
    # that also PREPAREs the two-line shape for the first time
    monkeypatch.setattr(journal_actions, "_find_by_key", lambda *_args: None)
    with pytest.raises(Exception) as refused:
        pay(books, world, 100, idempotency_key="dup")
    assert "idempotency" in str(refused.value) or "unique" in str(refused.value).lower()
    monkeypatch.undo()
    # Then the next transfer prepares again under a new name and goes through
    pay(books, world, 100)
    assert len(prepared_names("heelwijk_ledger_post_2_2_")) == 2
    assert Transaction.objects.count() == 2 and verify_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_the_first_posting_of_books_without_a_chain_head_creates_it(books, world):
    LedgerHead.objects.filter(neighbourhood=world.nbh_a).delete()
    txn = pay(books, world, 400)
    head = LedgerHead.objects.get(neighbourhood=world.nbh_a)
    assert (txn.seq, txn.prev_hash, head.seq, head.hash) == (1, hashchain.GENESIS, 1, txn.hash)
    assert Transaction.objects.count() == 1 and verify_ledger().ok


def test_both_hash_formats_are_recognised_and_a_change_is_not():
    # Given a transaction as format 1 wrote it
    txn = SimpleNamespace(
        neighbourhood_id=7,
        seq=3,
        kind="dues",
        memo="Contributie",
        actor_id=None,
        effective_date=date(2026, 1, 31),
        created_at=datetime(2026, 1, 31, 12, 0, 0, 123456, tzinfo=timezone.utc),
        idempotency_key=None,
        request_hash="",
        reverses_id=None,
        reason="",
        prev_hash="ab" * 32,
        hash="",
    )
    postings = [(1, "D", 2500, 1), (2, "C", 2500, 1)]
    txn.hash = hashchain._digest_v1(txn, postings)
    assert hashchain.matches(txn, postings)
    # And as format 2 writes it: content first, then the link, exactly as PostgreSQL does
    content = hashchain.content_digest(
        neighbourhood_id=7,
        kind="dues",
        memo="Contributie",
        actor_id=None,
        effective_date=date(2026, 1, 31),
        created_at=txn.created_at,
        idempotency_key=None,
        request_hash="",
        reverses_id=None,
        reason="",
        postings=postings,
    )
    v2 = hashchain.chain_digest("ab" * 32, 3, content)
    assert v2 == hashchain.digest_of(txn, postings) != txn.hash
    txn.hash = v2
    assert hashchain.matches(txn, postings)
    # A changed amount, seq or link matches neither format
    assert not hashchain.matches(txn, [(1, "D", 2501, 1), (2, "C", 2501, 1)])
    txn.seq = 4
    assert not hashchain.matches(txn, postings)
    txn.seq, txn.prev_hash = 3, "cd" * 32
    assert not hashchain.matches(txn, postings)
