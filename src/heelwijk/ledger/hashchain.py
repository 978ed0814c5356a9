"""The per-neighbourhood hash chain that makes changed, deleted or reordered journal rows visible.

Each transaction's ``hash`` is SHA-256 over a canonical JSON document holding everything the
transaction says (neighbourhood, seq, kind, memo, actor, dates, idempotency key and request
hash, the transaction it reverses, the reason, and every posting as [account, side, amount,
unit] in posting order) plus ``prev_hash``, the hash of the transaction before it (``GENESIS``
for the first). ``LedgerHead`` keeps the last seq and hash, so even dropping the newest
transaction shows. Version tag "heelwijk-ledger-1" starts the document; a future format gets a
new tag, and verify can tell them apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from typing import Any

GENESIS = "0" * 64
FORMAT = "heelwijk-ledger-1"

# (account_id, side, amount, unit_id)
PostingTuple = tuple[int, str, int, int]


def canonical_datetime(value: datetime) -> str:
    """UTC with microseconds: what PostgreSQL and SQLite both store exactly."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def transaction_digest(
    *,
    neighbourhood_id: int,
    seq: int,
    kind: str,
    memo: str,
    actor_id: int | None,
    effective_date: date,
    created_at: datetime,
    idempotency_key: str | None,
    request_hash: str,
    reverses_id: int | None,
    reason: str,
    postings: Iterable[PostingTuple],
    prev_hash: str,
) -> str:
    document: list[Any] = [
        FORMAT,
        neighbourhood_id,
        seq,
        kind,
        memo,
        actor_id,
        effective_date.isoformat(),
        canonical_datetime(created_at),
        idempotency_key,
        request_hash,
        reverses_id,
        reason,
        [list(p) for p in postings],
        prev_hash,
    ]
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def digest_of(transaction: Any, postings: Sequence[PostingTuple]) -> str:
    """Recompute the hash of a stored transaction (a model instance) from its content."""
    return transaction_digest(
        neighbourhood_id=transaction.neighbourhood_id,
        seq=transaction.seq,
        kind=transaction.kind,
        memo=transaction.memo,
        actor_id=transaction.actor_id,
        effective_date=transaction.effective_date,
        created_at=transaction.created_at,
        idempotency_key=transaction.idempotency_key,
        request_hash=transaction.request_hash,
        reverses_id=transaction.reverses_id,
        reason=transaction.reason,
        postings=postings,
        prev_hash=transaction.prev_hash,
    )
