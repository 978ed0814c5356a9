"""Many transactions in one database transaction: imports and settlement runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Neighbourhood

from ..errors import BatchRejected, IdempotencyConflict, LedgerError
from ..locking import lock_account_rows, run_atomic
from ..models import Transaction, journal_writes
from ..types import BatchTransaction
from ._journal_core import (
    Chained,
    Entry,
    actor_id_of,
    append_many,
    as_transaction,
    check_limits,
    clean_effective_date,
    clean_idempotency,
    clean_kind,
    clean_lines,
    clean_memo,
    entry_deltas,
    request_fingerprint,
)


def _entries(
    neighbourhood_id: int, kind: str, actor_id: int | None, items: Sequence[BatchTransaction]
) -> tuple[list[Entry | None], list[tuple[int, LedgerError]]]:
    """Check every item without the database; collect each refusal with its index."""
    entries: list[Entry | None] = []
    errors: list[tuple[int, LedgerError]] = []
    for index, item in enumerate(items):
        try:
            if not isinstance(item, BatchTransaction):
                raise LedgerError(_("Each item of a batch must be a BatchTransaction."))
            memo = clean_memo(item.memo)
            key, given_hash = clean_idempotency(item.idempotency_key, item.request_hash)
            lines = clean_lines(neighbourhood_id, item.lines)
            request = given_hash or ""
            if key is not None and given_hash is None:
                request = request_fingerprint(
                    kind=kind, memo=memo, lines=lines, effective_date=item.effective_date
                )
            entries.append(
                Entry(
                    kind=kind,
                    memo=memo,
                    actor_id=actor_id,
                    effective_date=clean_effective_date(item.effective_date),
                    idempotency_key=key,
                    request_hash=request,
                    reverses_id=None,
                    reason="",
                    lines=lines,
                )
            )
        except LedgerError as error:
            entries.append(None)
            errors.append((index, error))
    return entries, errors


def _resolve_keys(
    neighbourhood_id: int, entries: list[Entry | None], errors: list[tuple[int, LedgerError]]
) -> dict[int, Transaction]:
    """Items whose key was posted before (same request): their existing transactions."""
    keyed = {e.idempotency_key: i for i, e in enumerate(entries) if e and e.idempotency_key}
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry is None or entry.idempotency_key is None:
            continue
        if entry.idempotency_key in seen:
            errors.append(
                (
                    index,
                    LedgerError(
                        _("The idempotency key “%(key)s” is used twice in this batch."),
                        params={"key": entry.idempotency_key},
                    ),
                )
            )
        seen.setdefault(entry.idempotency_key, index)
    done: dict[int, Transaction] = {}
    if not keyed:
        return done
    existing = Transaction.objects.filter(
        neighbourhood_id=neighbourhood_id, idempotency_key__in=list(keyed)
    )
    for txn in existing:
        index = seen[str(txn.idempotency_key)]
        entry = entries[index]
        assert entry is not None
        if txn.request_hash == entry.request_hash:
            done[index] = txn
        else:
            errors.append(
                (index, IdempotencyConflict(key=entry.idempotency_key or "", existing=txn))
            )
    return done


def _post(
    neighbourhood: Neighbourhood, kind: str, actor: Any, items: Sequence[BatchTransaction]
) -> list[Transaction]:
    neighbourhood_id = neighbourhood.pk
    entries, errors = _entries(neighbourhood_id, kind, actor_id_of(actor), items)
    done = _resolve_keys(neighbourhood_id, entries, errors)
    if errors:
        raise BatchRejected(errors=sorted(errors, key=lambda e: e[0]), total=len(items))
    todo = [(i, e) for i, e in enumerate(entries) if e is not None and i not in done]

    def work() -> list[tuple[int, Chained]]:
        with journal_writes():
            accounts = lock_account_rows(a for _i, e in todo for a, _s, _m in e.lines)
            balances = {pk: account.balance for pk, account in accounts.items()}
            total: dict[int, int] = {}
            refused: list[tuple[int, LedgerError]] = []
            for index, entry in todo:
                try:
                    deltas = entry_deltas(entry.lines, accounts)
                    check_limits(deltas, balances, accounts)
                except LedgerError as error:
                    refused.append((index, error))
                    continue
                for pk, delta in deltas.items():
                    balances[pk] += delta
                    total[pk] = total.get(pk, 0) + delta
            if refused:
                raise BatchRejected(errors=refused, total=len(items))
            stored = append_many(
                neighbourhood_id=neighbourhood_id,
                entries=[e for _i, e in todo],
                accounts=accounts,
                deltas=total,
            )
            if stored:
                first_id, first = stored[0]
                audit(
                    neighbourhood=neighbourhood,
                    actor=actor,
                    action="ledger_post_batch",
                    obj=as_transaction(neighbourhood_id, first_id, first),
                    changes={
                        "kind": kind,
                        "count": len(stored),
                        "first_seq": first.seq,
                        "last_seq": stored[-1][1].seq,
                    },
                )
        return stored

    stored = run_atomic(work) if todo else []
    posted = [as_transaction(neighbourhood_id, txn_id, chained) for txn_id, chained in stored]
    result = dict(done)
    result.update((index, txn) for (index, _entry), txn in zip(todo, posted, strict=True))
    return [result[i] for i in range(len(items))]


def post_batch(
    *,
    neighbourhood: Neighbourhood,
    kind: str,
    actor: Any,
    transactions: Sequence[BatchTransaction],
) -> list[Transaction]:
    """Post many transactions (in order) in one database transaction: all or none.

    Each item is checked like ``post_transaction`` and limits hold after every item in turn.
    When any item is refused, ``BatchRejected.errors`` lists ``(index, LedgerError)`` for each
    and nothing is written. Items whose idempotency key was posted before with the same request
    return that earlier transaction. One audit entry records the whole batch. Returns the
    transactions in the order of ``transactions``.
    """
    kind = clean_kind(kind)
    try:
        return _post(neighbourhood, kind, actor, transactions)
    except IntegrityError:
        # A concurrent writer took one of our idempotency keys: look again, once.
        if not any(getattr(t, "idempotency_key", None) for t in transactions):
            raise
        return _post(neighbourhood, kind, actor, transactions)
