"""PostgreSQL under concurrent writers: no lost update, no limit breach, no deadlock, and
idempotency keys with exactly one winner."""

import random
import threading
import time

import pytest
from django.db import connection

from heelwijk.ledger import locking
from heelwijk.ledger.actions import account_open, ensure_standard_units, post_transaction, transfer
from heelwijk.ledger.errors import IdempotencyConflict, LimitExceeded
from heelwijk.ledger.models import Account, PostingLine, Transaction
from heelwijk.ledger.verify import verify_ledger
from tests.factories import NeighbourhoodFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8
TRANSFERS = 500
ACCOUNTS = 10
CREDIT_LIMIT = -5000  # € -50,00


def run_threads(count, target):
    errors = []

    def wrapped(index):
        try:
            # Durability is the crash test's subject; here waiting for each WAL flush would only
            # make the run slow (every commit of a neighbourhood is serialised by its chain head).
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
            target(index)
        except BaseException as error:  # reported below, never swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def members():
    n = NeighbourhoodFactory(name="Drukke wijk", slug="drukke-wijk")
    eur = ensure_standard_units(neighbourhood=n)["EUR"]
    accounts = [
        account_open(
            neighbourhood=n,
            unit=eur,
            code=f"M{i:02d}",
            name=f"Lid {i}",
            type="liability",
            owner_kind="system",
            lower_limit=CREDIT_LIMIT,
        )
        for i in range(ACCOUNTS)
    ]
    return n, accounts


def test_eight_threads_of_random_transfers_keep_every_invariant(members):
    n, accounts = members
    ids = [a.pk for a in accounts]
    acknowledged = []  # (transaction id, source index, destination index, amount)
    refused = []
    lock = threading.Lock()
    locking.retry_stats.clear()

    def worker(index):
        rng = random.Random(1000 + index)
        mine = {pk: Account.objects.get(pk=pk) for pk in ids}
        for _ in range(TRANSFERS):
            i, j = rng.sample(range(ACCOUNTS), 2)
            amount = rng.randint(1, 3000)
            try:
                txn = transfer(
                    source=mine[ids[i]],
                    destination=mine[ids[j]],
                    amount=amount,
                    kind="transfer",
                    memo=f"{i}->{j}",
                    actor=None,
                )
            except LimitExceeded:
                with lock:
                    refused.append((i, j, amount))
                continue
            with lock:
                acknowledged.append((txn.pk, i, j, amount))

    started = time.perf_counter()
    errors = run_threads(THREADS, worker)
    elapsed = time.perf_counter() - started
    assert errors == []  # no unretried deadlock or serialization failure escaped
    assert locking.retry_stats["gave_up"] == 0
    assert len(acknowledged) + len(refused) == THREADS * TRANSFERS
    assert len(acknowledged) > THREADS * TRANSFERS // 2

    # every acknowledged transfer is present, and nothing else was written
    present = set(Transaction.objects.filter(neighbourhood=n).values_list("pk", flat=True))
    assert present == {pk for pk, *_rest in acknowledged}
    # no lost update: stored balances equal the sum of acknowledged transfers
    expected = [0] * ACCOUNTS
    for _pk, i, j, amount in acknowledged:
        expected[i] -= amount
        expected[j] += amount
    stored = dict(Account.objects.filter(pk__in=ids).values_list("pk", "balance"))
    assert [stored[pk] for pk in ids] == expected
    assert min(expected) >= CREDIT_LIMIT  # no limit breach
    assert sum(expected) == 0
    report = verify_ledger(n)  # per-unit zero sums, stored == postings, limits, chain
    assert report.ok, report.messages
    print(
        f"\n{len(acknowledged)} transfers acknowledged, {len(refused)} refused by limits, "
        f"{locking.retry_stats['retried']} retries, {len(acknowledged) / elapsed:.0f}/s"
    )


def test_a_duplicate_key_sent_concurrently_posts_once(members):
    n, accounts = members
    barrier = threading.Barrier(THREADS)
    results = []
    lock = threading.Lock()

    def worker(index):
        source = Account.objects.get(pk=accounts[0].pk)
        destination = Account.objects.get(pk=accounts[1].pk)
        barrier.wait()
        txn = transfer(
            source=source,
            destination=destination,
            amount=1234,
            kind="transfer",
            memo="dubbel",
            actor=None,
            idempotency_key="betaling-42",
            request_hash="a" * 64,
        )
        with lock:
            results.append(txn.pk)

    assert run_threads(THREADS, worker) == []
    assert len(results) == THREADS
    assert len(set(results)) == 1
    assert Transaction.objects.filter(neighbourhood=n).count() == 1
    assert Account.objects.get(pk=accounts[1].pk).balance == 1234
    assert verify_ledger(n).ok


def test_concurrent_different_requests_with_one_key_have_one_winner(members):
    n, accounts = members
    barrier = threading.Barrier(THREADS)
    outcomes = []
    lock = threading.Lock()

    def worker(index):
        source = Account.objects.get(pk=accounts[0].pk)
        destination = Account.objects.get(pk=accounts[1].pk)
        barrier.wait()
        try:
            post_transaction(
                neighbourhood=n,
                kind="transfer",
                memo=f"poging {index}",
                actor=None,
                lines=[
                    PostingLine(source, "D", 100 + index),
                    PostingLine(destination, "C", 100 + index),
                ],
                idempotency_key="zelfde-sleutel",
            )
            outcome = "posted"
        except IdempotencyConflict:
            outcome = "conflict"
        with lock:
            outcomes.append(outcome)

    assert run_threads(THREADS, worker) == []
    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["posted"]
    assert Transaction.objects.filter(neighbourhood=n).count() == 1
    assert verify_ledger(n).ok
