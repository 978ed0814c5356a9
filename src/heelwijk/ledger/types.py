"""The plain values callers hand to the ledger actions: posting lines and batch entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Account

DEBIT = "D"
CREDIT = "C"


@dataclass(frozen=True)
class PostingLine:
    """One line of a transaction to post: ``side`` is "D" (debit) or "C" (credit); ``amount``
    is a positive integer in the account's minor units (use ``money.to_minor``)."""

    account: Account
    side: str
    amount: int


@dataclass(frozen=True)
class BatchTransaction:
    """One transaction of ``post_batch``; kind and actor are shared by the whole batch."""

    memo: str
    lines: Sequence[PostingLine] = field(default_factory=tuple)
    effective_date: date | None = None
    idempotency_key: str | None = None
    request_hash: str | None = None
