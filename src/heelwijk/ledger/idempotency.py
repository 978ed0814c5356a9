"""Idempotency of the API's writes: a client's key becomes a ledger key plus a request hash.

The journal itself is the store: ``post_transaction`` keeps the (namespaced) key and a hash of
the request on the transaction it writes, under a unique constraint. So

- the same key with the same body finds that transaction and answers it again — the answer is
  built from the immutable transaction alone, so it is the same status and the same JSON;
- the same key with another body (or at another endpoint) is refused (409);
- concurrent duplicates race for the unique constraint: exactly one transaction is written and
  every racer answers with it.

A request the ledger refused wrote nothing, so nothing is remembered: sending it again with the
same key tries again (e.g. after the limit was raised). Keys are namespaced per user, so two
clients can never collide on (or probe) each other's keys.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .models import Transaction


def ledger_key(*, user_id: int, key: str) -> str:
    """The key as the ledger stores it: per user, so clients cannot see each other's keys."""
    return f"api:{user_id}:{key}"


def request_hash(*, endpoint: str, body: dict[str, Any]) -> str:
    """A stable hash of what was asked: the endpoint and the parsed body in canonical JSON."""
    document = {"endpoint": endpoint, "body": body}
    data = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def earlier_answer(*, neighbourhood_id: int, key: str) -> Transaction | None:
    """The transaction an earlier request with this (ledger) key wrote, if any."""
    return Transaction.objects.filter(
        neighbourhood_id=neighbourhood_id, idempotency_key=key
    ).first()
