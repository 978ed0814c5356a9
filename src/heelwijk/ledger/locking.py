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
(``lock_accounts``, or ``lock_account_rows`` on the journal's hot path), then the
neighbourhood's ``LedgerHead`` (``lock_head`` / ``lock_head_row``, or inside the write statement
itself on PostgreSQL), which serialises appends to the hash chain. Locks are held until commit,
so journal writes take the head as late as possible: after every check, with only the inserts
left to do; with ``last_write_commits`` on PostgreSQL the BEGIN travels with the account lock
and the COMMIT with the write (``_run_own_postgresql``).
``SELECT ... ORDER BY id FOR UPDATE`` takes the row locks on PostgreSQL; SQLite has no row
locks, but the settings open every transaction with BEGIN IMMEDIATE, so writers queue.
"""

from __future__ import annotations

import contextlib
import functools
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

import psycopg
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from . import prepared
from .hashchain import GENESIS
from .models import Account, LedgerHead

T = TypeVar("T")

MAX_ATTEMPTS = 8
BASE_DELAY = 0.004  # seconds; doubles per attempt, with full jitter
MAX_DELAY = 0.25
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
_LOCK_CHUNK = 1000

_BEGIN_WITH_LOCK: ContextVar[bool] = ContextVar("heelwijk_begin_with_lock", default=False)
_COMMIT_WITH_WRITE: ContextVar[bool] = ContextVar("heelwijk_commit_with_write", default=False)

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


def commit_with_write() -> bool:
    """True inside ``run_atomic(..., last_write_commits=True)`` when that block owns the
    database transaction: the journal's last statement may then carry the COMMIT itself."""
    return _COMMIT_WITH_WRITE.get()


def run_atomic(
    work: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS, last_write_commits: bool = False
) -> T:
    """Run ``work`` in one database transaction, retrying conflicts when it is the outermost.

    ``last_write_commits``: ``work``'s last database statement is the journal write, and
    nothing after it touches the database, so that statement may commit in the same round trip
    (``commit_with_write``). Only honoured when no atomic block at all is open (not even a
    test case's), since the COMMIT ends the whole database transaction.
    """
    if not is_outermost(using):
        with transaction.atomic(using=using):
            return work()
    db = connections[using]
    own = last_write_commits and not db.in_atomic_block
    attempt = 0
    while True:
        attempt += 1
        try:
            if own and db.vendor == "postgresql" and db.get_autocommit():
                return _run_own_postgresql(work, db)
            with transaction.atomic(using=using, durable=True):
                token = _COMMIT_WITH_WRITE.set(own)
                try:
                    return work()
                finally:
                    _COMMIT_WITH_WRITE.reset(token)
        except OperationalError as exc:
            if not is_retryable(exc):
                raise
            if attempt >= MAX_ATTEMPTS:
                _count("gave_up")
                raise
            _count("retried")
            time.sleep(random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2**attempt)))


def _run_own_postgresql(work: Callable[[], T], db: BaseDatabaseWrapper) -> T:
    """``work`` in a database transaction this module opens and closes itself: the BEGIN rides
    in the first message (the account lock, ``begin_with_lock``) and the COMMIT in the last
    (the journal write), so a transfer costs two round trips instead of four. Django's
    connection stays in autocommit mode; any error rolls the transaction back."""
    db.ensure_connection()
    raw = db.connection
    begin = _BEGIN_WITH_LOCK.set(True)
    commit = _COMMIT_WITH_WRITE.set(True)
    try:
        result = work()
    except BaseException:
        # A broken connection cannot roll back; the server ends its transaction anyway, and
        # the original error is the one to report.
        if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):
                raw.rollback()
        raise
    finally:
        _BEGIN_WITH_LOCK.reset(begin)
        _COMMIT_WITH_WRITE.reset(commit)
    if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raw.commit()  # only if the write did not commit (it always does on this path)
    return result


def begin_with_lock() -> bool:
    """True once inside ``_run_own_postgresql`` before the first statement: that statement's
    message must start the database transaction ("BEGIN; ...")."""
    if not _BEGIN_WITH_LOCK.get():
        return False
    _BEGIN_WITH_LOCK.set(False)
    return True


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


@dataclass(frozen=True, slots=True)
class LockedAccount:
    """The fields of a locked account row that posting needs: plain values, no model."""

    id: int
    unit_id: int
    debit_normal: bool
    is_open: bool
    lower_limit: int | None
    upper_limit: int | None
    balance: int

    def effect(self, side: str, amount: int) -> int:
        """How a posting of ``amount`` on ``side`` changes the balance (see ``Account.effect``)."""
        return amount if (side == "D") == self.debit_normal else -amount


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise LookupError(f"{model.__name__}.{name} is not a concrete field")
    return str(connection.ops.quote_name(field.column))


@functools.lru_cache(maxsize=128)
def _account_lock_sql(vendor: str, count: int) -> str:
    """Select (and on PostgreSQL lock) accounts by id, in id order; ``count`` ids on SQLite,
    one array parameter on PostgreSQL. Identifiers come from _meta; values are parameters."""
    pk = _column(Account, "id")
    columns = ", ".join(
        _column(Account, name)
        for name in ("id", "unit", "type", "is_open", "lower_limit", "upper_limit", "balance")
    )
    table = connection.ops.quote_name(Account._meta.db_table)
    if vendor == "postgresql":
        where, lock = f"{pk} = ANY(%s::bigint[])", " FOR UPDATE"
    else:
        where, lock = f"{pk} IN ({', '.join(['%s'] * count)})", ""
    return f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {pk}{lock}"  # noqa: S608


def lock_account_rows(ids: Iterable[int]) -> dict[int, LockedAccount]:
    """Lock accounts in ascending id order with one statement (per chunk on SQLite); raw SQL."""
    ordered = sorted(set(ids))
    vendor = connection.vendor
    debit_normal = Account.DEBIT_NORMAL
    locked: dict[int, LockedAccount] = {}
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            sql, remember = prepared.statement("ledger_lock", _account_lock_sql(vendor, 0), 1)
            if begin_with_lock():
                sql = f"BEGIN; {sql}"
            cursor.execute(sql, [ordered])
            rows = prepared.first_result_rows(cursor.cursor)
            remember()
        else:
            rows = []
            for start in range(0, len(ordered), _LOCK_CHUNK):
                chunk = ordered[start : start + _LOCK_CHUNK]
                cursor.execute(_account_lock_sql(vendor, len(chunk)), chunk)
                rows.extend(cursor.fetchall())
    for pk, unit_id, type_, is_open, lower, upper, balance in rows:
        locked[pk] = LockedAccount(
            id=pk,
            unit_id=unit_id,
            debit_normal=type_ in debit_normal,
            is_open=bool(is_open),
            lower_limit=lower,
            upper_limit=upper,
            balance=balance,
        )
    return locked


@dataclass(frozen=True, slots=True)
class LockedHead:
    id: int
    seq: int
    hash: str


@functools.lru_cache(maxsize=4)
def _head_lock_sql(vendor: str) -> str:
    columns = ", ".join(_column(LedgerHead, name) for name in ("id", "seq", "hash"))
    table = connection.ops.quote_name(LedgerHead._meta.db_table)
    lock = " FOR UPDATE" if vendor == "postgresql" else ""
    where = _column(LedgerHead, "neighbourhood")
    return f"SELECT {columns} FROM {table} WHERE {where} = %s{lock}"  # noqa: S608


def lock_head_row(neighbourhood_id: int) -> LockedHead:
    """``lock_head`` in one raw statement (the head exists after a neighbourhood's first write)."""
    with connection.cursor() as cursor:
        cursor.execute(_head_lock_sql(connection.vendor), [neighbourhood_id])
        row = cursor.fetchone()
    if row is None:
        head = lock_head(neighbourhood_id)
        return LockedHead(id=head.pk, seq=head.seq, hash=head.hash)
    return LockedHead(id=row[0], seq=row[1], hash=row[2])
