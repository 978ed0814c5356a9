"""The per-neighbourhood hash chain that makes changed, deleted or reordered journal rows visible.

Format 2 (written since the single-round-trip write path):

- ``content_digest``: SHA-256 over a canonical JSON document holding everything the transaction
  says except its place in the chain: the tag "heelwijk-ledger-2", neighbourhood, kind, memo,
  actor, dates, idempotency key and request hash, the transaction it reverses, the reason, and
  every posting as [account, side, amount, unit] in posting order.
- ``chain_digest``: SHA-256 over the text ``heelwijk-ledger-2|<prev_hash>|<seq>|<content>``:
  the transaction's number and the hash of the transaction before it (``GENESIS`` for the
  first). This step is plain enough for PostgreSQL to compute itself (``sha256()``), so the
  chain head is read and moved inside the one statement that stores the transaction — the
  Python side never waits for the head (see ``actions/_journal_sql.py``).

Format 1 (books written before): one SHA-256 over a document holding all of the above plus seq
and ``prev_hash``. ``matches`` accepts either, so older books keep verifying; both commit to
the same facts. ``LedgerHead`` keeps the last seq and hash, so even dropping the newest
transaction shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from typing import Any

GENESIS = "0" * 64
FORMAT_1 = "heelwijk-ledger-1"
FORMAT = "heelwijk-ledger-2"

# (account_id, side, amount, unit_id)
PostingTuple = tuple[int, str, int, int]


def canonical_datetime(value: datetime) -> str:
    """UTC with microseconds: what PostgreSQL and SQLite both store exactly."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sha256_json(document: list[Any]) -> str:
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def content_digest(
    *,
    neighbourhood_id: int,
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
) -> str:
    """What the transaction says, without its place in the chain (format 2)."""
    return _sha256_json(
        [
            FORMAT,
            neighbourhood_id,
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
        ]
    )


def chain_digest(prev_hash: str, seq: int, content: str) -> str:
    """The transaction's hash: its content linked to its number and its predecessor (format 2).
    PostgreSQL computes the same in ``_journal_sql`` (keep the two identical)."""
    return hashlib.sha256(f"{FORMAT}|{prev_hash}|{seq}|{content}".encode("ascii")).hexdigest()


def _digest_v1(transaction: Any, postings: Sequence[PostingTuple]) -> str:
    return _sha256_json(
        [
            FORMAT_1,
            transaction.neighbourhood_id,
            transaction.seq,
            transaction.kind,
            transaction.memo,
            transaction.actor_id,
            transaction.effective_date.isoformat(),
            canonical_datetime(transaction.created_at),
            transaction.idempotency_key,
            transaction.request_hash,
            transaction.reverses_id,
            transaction.reason,
            [list(p) for p in postings],
            transaction.prev_hash,
        ]
    )


def digest_of(transaction: Any, postings: Sequence[PostingTuple]) -> str:
    """The format-2 hash of a stored transaction (a model instance or a row with the same
    attributes), recomputed from its content."""
    content = content_digest(
        neighbourhood_id=transaction.neighbourhood_id,
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
    )
    return chain_digest(transaction.prev_hash, transaction.seq, content)


def matches(transaction: Any, postings: Sequence[PostingTuple]) -> bool:
    """True when the stored hash is the hash of the stored content, in either format."""
    stored: str = transaction.hash
    return digest_of(transaction, postings) == stored or _digest_v1(transaction, postings) == stored
