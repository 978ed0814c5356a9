"""The SQL that appends journal rows: few round trips, no ORM query compilation on the hot path.

Table and column names come from the models' ``_meta``, values go through each field's
``get_db_prep_save``, so what lands in the database is exactly what ``save()`` would have
written (and what ``hashchain`` and ``verify`` read back).

- ``write_one_postgresql``: one transaction in one statement (data-modifying CTEs) that locks
  and moves the chain head (PostgreSQL computes the link hash), inserts the transaction, its
  postings and the audit entry and updates the balances — sent as a prepared statement, and,
  when the caller owns the database transaction, with the COMMIT and a flush in the same message
  (see its docstring). ``write_one_sqlite``: a handful of plain statements under the writer
  lock, hash computed by the caller.
- ``write_many``: a batch. Balances in one statement; on PostgreSQL the transactions get ids from
  their sequence and transactions and postings are streamed with COPY; on SQLite executemany.

Callers hold the account locks (and, except for ``write_one_postgresql``, the ``LedgerHead``
lock) and have checked everything.

The statements are built with f-strings (hence ``noqa: S608``) from identifiers of the models'
``_meta`` quoted by the backend and from counts of ``%s`` placeholders; every value is a
parameter.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

from heelwijk.neighbourhood.models import AuditEntry

from .. import prepared
from ..hashchain import FORMAT
from ..models import Account, LedgerHead, Posting, Transaction

TRANSACTION_FIELDS = (
    "neighbourhood",
    "seq",
    "kind",
    "memo",
    "actor",
    "effective_date",
    "created_at",
    "idempotency_key",
    "request_hash",
    "reverses",
    "reason",
    "prev_hash",
    "hash",
)
POSTING_FIELDS = (
    "transaction",
    "neighbourhood",
    "account",
    "side",
    "amount",
    "unit",
    "effective_date",
)
AUDIT_FIELDS = ("neighbourhood", "actor", "action", "object_type", "object_id", "changes", "at")
_EXECUTEMANY_CHUNK = 5000


@dataclass(frozen=True)
class Row:
    """A transaction ready to insert: its column values (in ``TRANSACTION_FIELDS`` order,
    already prepared for the database) and its postings as (account, side, amount, unit)."""

    values: tuple[Any, ...]
    postings: Sequence[tuple[int, str, int, int]]
    effective_date: Any  # prepared for the database
    seq: int
    digest: str


@dataclass(frozen=True)
class AuditRow:
    """The audit entry of a single posting; its object id is the new transaction's id."""

    neighbourhood_id: int
    actor_id: int | None
    action: str
    changes: dict[str, Any]
    at: datetime


def _quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _table(model: type[Model]) -> str:
    return _quote(model._meta.db_table)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise LookupError(f"{model.__name__}.{name} is not a concrete field")
    return field


def _column(model: type[Model], name: str) -> str:
    return _quote(str(_field(model, name).column))


def _columns(model: type[Model], names: Sequence[str]) -> str:
    return ", ".join(_column(model, name) for name in names)


def database() -> BaseDatabaseWrapper:
    """The default connection itself: values are prepared per row, and the ``connection``
    proxy's attribute lookups cost more than the preparing."""
    return connections[DEFAULT_DB_ALIAS]


def prepare(model: type[Model], name: str, value: Any, db: BaseDatabaseWrapper) -> Any:
    """A value as the field would send it to the database (dates, datetimes, JSON)."""
    return _field(model, name).get_db_prep_save(value, db)


def prepare_date(value: date, db: BaseDatabaseWrapper) -> Any:
    return prepare(Posting, "effective_date", value, db)


@functools.cache
def _attnames() -> dict[str, str]:
    """Each of ``TRANSACTION_FIELDS`` with its attribute name (``actor`` -> ``actor_id``)."""
    return {name: _field(Transaction, name).attname for name in TRANSACTION_FIELDS}


def column_values(
    fields: dict[str, Any], names: Sequence[str], db: BaseDatabaseWrapper
) -> list[Any]:
    """The values of ``names`` (fields of ``Transaction``) from ``fields`` (by attribute name),
    dates and times prepared for the database."""
    attnames = _attnames()
    return [
        prepare(Transaction, name, fields[attnames[name]], db)
        if name in ("effective_date", "created_at")
        else fields[attnames[name]]
        for name in names
    ]


def transaction_values(
    *, db: BaseDatabaseWrapper, fields: dict[str, Any], seq: int, prev_hash: str, digest: str
) -> tuple[Any, ...]:
    """The column values of a transaction, in ``TRANSACTION_FIELDS`` order; ``fields`` holds
    the rest (``_journal_core.entry_fields``)."""
    chained = {**fields, "seq": seq, "prev_hash": prev_hash, "hash": digest}
    return tuple(column_values(chained, TRANSACTION_FIELDS, db))


# --- one transaction -----------------------------------------------------------------------------

# The fields of a transaction the PostgreSQL statement takes as parameters; it fills in seq,
# prev_hash and hash itself from the chain head.
ENTRY_FIELDS = tuple(f for f in TRANSACTION_FIELDS if f not in ("seq", "prev_hash", "hash"))
_ENTRY_CASTS = {
    "neighbourhood": "bigint",
    "actor": "bigint",
    "effective_date": "date",
    "created_at": "timestamptz",
    "reverses": "bigint",
}
# Asks PostgreSQL to write the WAL up to here to disk before it answers: a transactional logical
# message gets a transaction id, so its commit is a synchronous commit (it needs no privilege
# and no wal_level=logical; decoders that do read messages see the prefix "heelwijk.ledger").
_FLUSH_SQL = "SELECT pg_logical_emit_message(true, 'heelwijk.ledger', '')"


class MissingHead(Exception):
    """The neighbourhood has no ``LedgerHead`` yet, so the statement stored nothing."""


def _cast(name: str) -> str:
    return f"%s::{_ENTRY_CASTS.get(name, 'text')}"


@functools.lru_cache(maxsize=64)
def _pg_one_sql(postings: int, deltas: int) -> str:
    """The single PostgreSQL statement of ``write_one``: lock the chain head and move it (the
    new hash computed by PostgreSQL, see ``hashchain.chain_digest``), insert the transaction,
    its postings and its audit entry, and update the balances. Every part depends on the head
    row, so nothing is written when the head is missing."""
    head, h_id = _table(LedgerHead), _column(LedgerHead, "id")
    h_nbh, h_seq, h_hash = (_column(LedgerHead, n) for n in ("neighbourhood", "seq", "hash"))
    account, pk, balance = _table(Account), _column(Account, "id"), _column(Account, "balance")
    txn_pk = _column(Transaction, "id")
    entry_values = ", ".join(
        {"seq": "head.seq", "prev_hash": "head.prev", "hash": "head.hash"}.get(name) or _cast(name)
        for name in TRANSACTION_FIELDS
    )
    posting_row = "(%s::bigint, %s::bigint, %s::text, %s::bigint, %s::bigint, %s::date)"
    changes = ", ".join(["(%s::bigint, %s::bigint)"] * deltas)
    balances = (
        f" bal AS (UPDATE {account} AS acc SET {balance} = acc.{balance} + chg.delta"  # noqa: S608
        f" FROM (VALUES {changes}) AS chg(id, delta), txn WHERE acc.{pk} = chg.id),"
        if deltas
        else ""
    )
    link = f"%s || '|' || old.{h_hash} || '|' || (old.{h_seq} + 1)::text || '|' || %s"
    return (
        f"WITH old AS (SELECT {h_id}, {h_seq}, {h_hash} FROM {head}"  # noqa: S608
        f" WHERE {h_nbh} = %s FOR UPDATE),"
        f" head AS (UPDATE {head} AS h SET {h_seq} = old.{h_seq} + 1,"
        f" {h_hash} = encode(sha256(convert_to({link}, 'UTF8')), 'hex')"
        f" FROM old WHERE h.{h_id} = old.{h_id}"
        f" RETURNING h.{h_seq} AS seq, h.{h_hash} AS hash, old.{h_hash} AS prev),"
        f" txn AS (INSERT INTO {_table(Transaction)} ({_columns(Transaction, TRANSACTION_FIELDS)})"
        f" SELECT {entry_values} FROM head RETURNING {txn_pk} AS id, "
        f"{_column(Transaction, 'seq')} AS seq),"
        f"{balances}"
        f" pst AS (INSERT INTO {_table(Posting)} ({_columns(Posting, POSTING_FIELDS)})"
        f" SELECT txn.id, v.* FROM txn, (VALUES {', '.join([posting_row] * postings)}) AS v),"
        f" aud AS (INSERT INTO {_table(AuditEntry)} ({_columns(AuditEntry, AUDIT_FIELDS)})"
        " SELECT %s::bigint, %s::bigint, %s::text, %s::text, txn.id,"
        " jsonb_build_object('seq', txn.seq, 'kind', %s::text, 'reverses', %s::bigint),"
        " %s::timestamptz FROM txn)"
        " SELECT txn.id, head.seq, head.prev, head.hash FROM txn, head"
    )


@dataclass(frozen=True)
class Written:
    """Where the stored transaction landed: its id and its place in the chain."""

    id: int
    seq: int
    prev_hash: str
    digest: str


def write_one_postgresql(
    *,
    fields: dict[str, Any],
    content: str,
    postings: Sequence[tuple[int, str, int, int]],
    deltas: dict[int, int],
    audit: AuditRow,
    commit: bool,
    release_before_flush: bool,
) -> Written:
    """Store one transaction in one statement (``_pg_one_sql``); ``fields`` holds the
    ``ENTRY_FIELDS`` by attribute name (plain Python values), ``content`` their
    ``hashchain.content_digest``.

    With ``commit`` (the caller's ``run_atomic`` owns the transaction and nothing follows) the
    COMMIT travels in the same message, so the account and head locks are released the moment
    PostgreSQL has done the work, without waiting for this process to be scheduled again.
    With ``release_before_flush`` as well, that commit does not wait for the disk
    (``synchronous_commit = off`` for this transaction only) and the message ends with a small
    synchronous commit (``_FLUSH_SQL``) that returns only when the WAL, and so this transaction,
    is on disk: the locks are held for microseconds instead of an fsync, the flushes of
    concurrent writers are shared, and an answer still means "durable". Other sessions may read
    the transaction during the ~1 ms before it is on disk; nothing that depends on it can be on
    disk before it (the WAL is written in order).
    """
    changed = sorted((pk, d) for pk, d in deltas.items() if d)
    db = database()
    neighbourhood_id = fields["neighbourhood_id"]
    params: list[Any] = [neighbourhood_id, FORMAT, content]
    params += column_values(fields, ENTRY_FIELDS, db)
    for pk, delta in changed:
        params += (pk, delta)
    effective = prepare_date(fields["effective_date"], db)
    for account_id, side, amount, unit_id in postings:
        params += (neighbourhood_id, account_id, side, amount, unit_id, effective)
    params += (
        audit.neighbourhood_id,
        audit.actor_id,
        audit.action,
        Transaction._meta.label_lower,
        audit.changes["kind"],
        audit.changes["reverses"],
        prepare(AuditEntry, "at", audit.at, db),
    )
    sql, remember = prepared.statement(
        f"ledger_post_{len(postings)}_{len(changed)}",
        _pg_one_sql(len(postings), len(changed)),
        len(params),
    )
    if commit:
        sql = f"{sql}; COMMIT"
        if release_before_flush:
            sql = f"SET LOCAL synchronous_commit TO off; {sql}; {_FLUSH_SQL}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = prepared.first_result_rows(cursor.cursor)
    remember()
    if not rows:
        raise MissingHead(neighbourhood_id)
    (txn_id, seq, prev_hash, digest), *_rest = rows
    return Written(id=int(txn_id), seq=int(seq), prev_hash=prev_hash, digest=digest)


def write_one_sqlite(
    *, row: Row, neighbourhood_id: int, deltas: dict[int, int], head_id: int, audit: AuditRow
) -> int:
    """Insert one transaction (hash computed by the caller under the writer lock) with its
    postings and audit entry; move balances and the head. Returns the transaction's id."""
    changed = sorted((pk, d) for pk, d in deltas.items() if d)
    before, after = _audit_values(audit)
    postings = [(neighbourhood_id, a, s, m, u, row.effective_date) for a, s, m, u in row.postings]
    with connection.cursor() as cursor:
        _update_balances(cursor, changed)
        cursor.execute(_insert_sql(Transaction, TRANSACTION_FIELDS), row.values)
        txn_id = int(cursor.lastrowid)
        cursor.executemany(_insert_sql(Posting, POSTING_FIELDS), [(txn_id, *p) for p in postings])
        _move_head(cursor, head_id, row.seq, row.digest)
        cursor.execute(_insert_sql(AuditEntry, AUDIT_FIELDS), [*before, txn_id, *after])
        return txn_id


def _audit_values(audit: AuditRow) -> tuple[list[Any], list[Any]]:
    """(the values before the object id, the values after it)."""
    return (
        [
            audit.neighbourhood_id,
            audit.actor_id,
            audit.action,
            Transaction._meta.label_lower,
        ],
        [
            prepare(AuditEntry, "changes", audit.changes, database()),
            prepare(AuditEntry, "at", audit.at, database()),
        ],
    )


@functools.lru_cache(maxsize=16)
def _insert_sql(model: type[Model], names: tuple[str, ...]) -> str:
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {_table(model)} ({_columns(model, names)}) VALUES ({marks})"  # noqa: S608


def _update_balances(cursor: Any, changed: Sequence[tuple[int, int]]) -> None:
    if not changed:
        return
    account, pk, balance = _table(Account), _column(Account, "id"), _column(Account, "balance")
    if connection.vendor == "postgresql":
        cursor.execute(
            f"UPDATE {account} AS acc SET {balance} = acc.{balance} + chg.delta"  # noqa: S608
            " FROM unnest(%s::bigint[], %s::bigint[]) AS chg(id, delta)"
            f" WHERE acc.{pk} = chg.id",
            [[pk_ for pk_, _d in changed], [d for _pk, d in changed]],
        )
        return
    sql = f"UPDATE {account} SET {balance} = {balance} + %s WHERE {pk} = %s"  # noqa: S608
    cursor.executemany(sql, [(delta, pk_) for pk_, delta in changed])


def _move_head(cursor: Any, head_id: int, seq: int, digest: str) -> None:
    cursor.execute(
        f"UPDATE {_table(LedgerHead)} SET {_column(LedgerHead, 'seq')} = %s,"  # noqa: S608
        f" {_column(LedgerHead, 'hash')} = %s WHERE {_column(LedgerHead, 'id')} = %s",
        [seq, digest, head_id],
    )


# --- a batch ---------------------------------------------------------------------------------


def write_many(
    *, rows: Sequence[Row], neighbourhood_id: int, deltas: dict[int, int], head_id: int
) -> list[int]:
    """Insert the transactions (in order) and their postings; move balances and the head.
    Returns the transactions' ids, ascending in the order of ``rows``."""
    changed = sorted((pk, d) for pk, d in deltas.items() if d)
    with connection.cursor() as cursor:
        _update_balances(cursor, changed)
        if connection.vendor == "postgresql":
            ids = _pg_copy(cursor, rows, neighbourhood_id)
        else:
            ids = _sqlite_insert(cursor, rows, neighbourhood_id)
        if rows:
            _move_head(cursor, head_id, rows[-1].seq, rows[-1].digest)
    return ids


def _pg_copy(cursor: Any, rows: Sequence[Row], neighbourhood_id: int) -> list[int]:
    txn_table, txn_pk = Transaction._meta.db_table, str(_field(Transaction, "id").column)
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [txn_table, txn_pk, len(rows)],
    )
    ids = sorted(int(r[0]) for r in cursor.fetchall())
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper
    columns = f"{_column(Transaction, 'id')}, {_columns(Transaction, TRANSACTION_FIELDS)}"
    with raw.copy(f"COPY {_table(Transaction)} ({columns}) FROM STDIN") as copy:
        for txn_id, row in zip(ids, rows, strict=True):
            copy.write_row((txn_id, *row.values))
    with raw.copy(
        f"COPY {_table(Posting)} ({_columns(Posting, POSTING_FIELDS)}) FROM STDIN"
    ) as copy:
        for txn_id, row in zip(ids, rows, strict=True):
            for account_id, side, amount, unit_id in row.postings:
                copy.write_row(
                    (
                        txn_id,
                        neighbourhood_id,
                        account_id,
                        side,
                        amount,
                        unit_id,
                        row.effective_date,
                    )
                )
    return ids


def _sqlite_insert(cursor: Any, rows: Sequence[Row], neighbourhood_id: int) -> list[int]:
    insert_txn = _insert_sql(Transaction, TRANSACTION_FIELDS)
    ids: list[int] = []
    postings: list[tuple[Any, ...]] = []
    for row in rows:
        cursor.execute(insert_txn, row.values)
        txn_id = int(cursor.lastrowid)
        ids.append(txn_id)
        postings.extend(
            (txn_id, neighbourhood_id, a, s, m, u, row.effective_date)
            for a, s, m, u in row.postings
        )
    insert_posting = _insert_sql(Posting, POSTING_FIELDS)
    for start in range(0, len(postings), _EXECUTEMANY_CHUNK):
        cursor.executemany(insert_posting, postings[start : start + _EXECUTEMANY_CHUNK])
    return ids
