"""Database transactions, retries and row locks for the ledger's writes.

How a ledger write runs (see ``run_atomic``):

- As the outermost block it opens ``transaction.atomic(durable=True)``, so a returned result is
  committed. A serialization failure or deadlock (PostgreSQL SQLSTATE 40001 / 40P01) or SQLite's
  "database is locked" rolls everything back and the whole write runs again, at most
  ``MAX_ATTEMPTS`` times, after a short random (jittered) pause.
- Inside a caller's ``transaction.atomic()`` block (an action of another app that must post to
  the ledger and write its own rows all-or-nothing) it joins that transaction through a
  savepoint and does not retry: a retry has to restart the caller's whole block. Such callers
  wrap their own unit of work in ``run_atomic`` to get the same retries::

      from heelwijk.ledger.locking import run_atomic

      def voucher_redeem(...):
          def work():
              voucher = Voucher.objects.select_for_update().get(...)
              txn = post_transaction(...)    # joins this transaction
              voucher.mark_redeemed(txn)     # same commit as the posting
              return txn
          return run_atomic(work)

Lock order (deadlock-free by construction): first the touched accounts in ascending id order
(``lock_accounts``), then the neighbourhood's ``LedgerHead`` (``lock_head``), which serialises
appends to the hash chain. ``select_for_update`` takes the row locks on PostgreSQL; SQLite has
no row locks, but the settings open every transaction with BEGIN IMMEDIATE, so writers queue.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

from .hashchain import GENESIS
from .models import Account, LedgerHead

T = TypeVar("T")

MAX_ATTEMPTS = 8
BASE_DELAY = 0.004  # seconds; doubles per attempt, with full jitter
MAX_DELAY = 0.25
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
_LOCK_CHUNK = 1000

_stats_lock = threading.Lock()
retry_stats: Counter[str] = Counter()  # "retried", "gave_up": for tests and benchmarks


def is_retryable(exc: BaseException) -> bool:
    """A conflict that running the same transaction again can resolve."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


def is_outermost(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when no caller's atomic block is open (a test case's wrapping block does not count)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        return True
    blocks = connection.atomic_blocks
    return bool(blocks) and bool(getattr(blocks[-1], "_from_testcase", False))


def _count(key: str) -> None:
    with _stats_lock:
        retry_stats[key] += 1


def run_atomic(work: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """Run ``work`` in one database transaction, retrying conflicts when it is the outermost."""
    if not is_outermost(using):
        with transaction.atomic(using=using):
            return work()
    attempt = 0
    while True:
        attempt += 1
        try:
            with transaction.atomic(using=using, durable=True):
                return work()
        except OperationalError as exc:
            if not is_retryable(exc):
                raise
            if attempt >= MAX_ATTEMPTS:
                _count("gave_up")
                raise
            _count("retried")
            time.sleep(random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2**attempt)))


def lock_accounts(ids: Iterable[int]) -> dict[int, Account]:
    """Lock the accounts (fresh rows, with their unit) in ascending id order."""
    locked: dict[int, Account] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _LOCK_CHUNK):
        chunk = ordered[start : start + _LOCK_CHUNK]
        rows = (
            Account.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk__in=chunk)
            .order_by("pk")
        )
        locked.update((account.pk, account) for account in rows)
    return locked


def lock_head(neighbourhood_id: int) -> LedgerHead:
    """Lock the neighbourhood's chain head, creating it (race-safe) on the first write."""
    heads = LedgerHead.objects.select_for_update()
    try:
        return heads.get(neighbourhood_id=neighbourhood_id)
    except LedgerHead.DoesNotExist:
        LedgerHead.objects.get_or_create(
            neighbourhood_id=neighbourhood_id, defaults={"seq": 0, "hash": GENESIS}
        )
        return heads.get(neighbourhood_id=neighbourhood_id)
