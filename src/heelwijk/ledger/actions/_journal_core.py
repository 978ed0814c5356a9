"""What every journal write shares: checking lines, applying them under locks, chaining rows."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..errors import ClosedAccount, InvalidAmount, LedgerError, LimitExceeded, Unbalanced
from ..hashchain import transaction_digest
from ..locking import lock_head
from ..models import Account, LedgerHead, Posting, Transaction
from ..money import MAX_MINOR
from ..money import format_amount_lazy as format_amount
from ..types import PostingLine

KIND_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,39}$")
SIDES = frozenset({Posting.Side.DEBIT, Posting.Side.CREDIT})
_UPDATE_CHUNK = 500

# (account_id, side, amount)
Line = tuple[int, str, int]


@dataclass
class Entry:
    """A transaction checked and ready to append: plain values only."""

    kind: str
    memo: str
    actor_id: int | None
    effective_date: date
    idempotency_key: str | None
    request_hash: str
    reverses_id: int | None
    reason: str
    lines: list[Line]


def actor_id_of(actor: Any) -> int | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    pk = actor.pk
    return int(pk) if pk is not None else None


def clean_kind(kind: str) -> str:
    if not isinstance(kind, str) or not KIND_PATTERN.match(kind):
        raise LedgerError(
            _(
                "The kind “%(kind)s” is not valid: use up to 40 lower-case letters, digits, "
                "“_”, “.”, “:” or “-”."
            ),
            params={"kind": kind},
        )
    return kind


def clean_memo(memo: str) -> str:
    if not isinstance(memo, str):
        raise LedgerError(_("The description must be text."))
    memo = memo.strip()
    if len(memo) > 255:
        raise LedgerError(_("The description is longer than 255 characters."))
    return memo


def clean_effective_date(value: date | None) -> date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, datetime) or not isinstance(value, date):
        raise LedgerError(_("The effective date must be a date (without a time)."))
    return value


def clean_idempotency(key: str | None, request_hash: str | None) -> tuple[str | None, str | None]:
    if key is None:
        if request_hash is not None:
            raise LedgerError(_("A request hash only makes sense with an idempotency key."))
        return None, None
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        raise LedgerError(_("An idempotency key is 1 to 200 characters of text."))
    if request_hash is not None and (not isinstance(request_hash, str) or len(request_hash) > 64):
        raise LedgerError(_("A request hash is at most 64 characters of text."))
    return key, request_hash


def clean_lines(neighbourhood_id: int, lines: Sequence[PostingLine]) -> list[Line]:
    """Check the shape of the lines and that debits equal credits per unit (no database)."""
    if isinstance(lines, (str, bytes)) or len(lines) < 2:
        raise Unbalanced(_("A transaction needs at least two postings."))
    cleaned: list[Line] = []
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    units: dict[int, Any] = {}
    for line in lines:
        if not isinstance(line, PostingLine):
            raise LedgerError(_("Each line of a transaction must be a PostingLine."))
        account = line.account
        if not isinstance(account, Account) or account.pk is None:
            raise LedgerError(_("Each line needs a saved account."))
        if account.neighbourhood_id != neighbourhood_id:
            raise LedgerError(
                _("Account %(code)s belongs to another neighbourhood."),
                params={"code": account.code},
            )
        if line.side not in SIDES:
            raise LedgerError(
                _("The side of a posting is “D” (debit) or “C” (credit), not “%(side)s”."),
                params={"side": line.side},
            )
        amount = line.amount
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise InvalidAmount(
                _("A posting amount is a whole number of minor units, not %(type)s."),
                params={"type": type(amount).__name__},
            )
        if amount <= 0 or amount > MAX_MINOR:
            raise InvalidAmount(
                _("A posting amount must be more than zero and at most %(max)s minor units."),
                params={"max": MAX_MINOR},
            )
        side = str(line.side)
        cleaned.append((account.pk, side, amount))
        totals[account.unit_id][0 if side == Posting.Side.DEBIT else 1] += amount
        units.setdefault(account.unit_id, account)
    for unit_id, (debits, credits) in totals.items():
        if debits != credits:
            unit = units[unit_id].unit
            raise Unbalanced(
                _("Debits (%(debits)s) and credits (%(credits)s) in %(unit)s are not equal."),
                params={
                    "debits": format_amount(debits, unit),
                    "credits": format_amount(credits, unit),
                    "unit": unit.code,
                },
            )
    return cleaned


def request_fingerprint(
    *, kind: str, memo: str, lines: Sequence[Line], effective_date: date | None
) -> str:
    """The request hash used when a caller gives an idempotency key but no request hash."""
    document = [
        kind,
        memo,
        [list(line) for line in lines],
        effective_date.isoformat() if effective_date else None,
    ]
    data = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(data).hexdigest()


def entry_deltas(entry_lines: Iterable[Line], accounts: dict[int, Account]) -> dict[int, int]:
    """Each touched account's balance change; refuses missing and closed accounts."""
    deltas: dict[int, int] = defaultdict(int)
    for account_id, side, amount in entry_lines:
        account = accounts.get(account_id)
        if account is None:
            raise LedgerError(_("Account %(id)s does not exist."), params={"id": account_id})
        if not account.is_open:
            raise ClosedAccount(
                _("Account %(code)s “%(name)s” is closed; nothing can be posted to it."),
                account=account,
            )
        deltas[account_id] += account.effect(side, amount)
    return deltas


def check_limits(
    deltas: dict[int, int], balances: dict[int, int], accounts: dict[int, Account]
) -> None:
    """Refuse when any new balance would pass a limit. ``balances`` holds current balances."""
    for account_id, delta in deltas.items():
        account = accounts[account_id]
        new_balance = balances[account_id] + delta
        if account.lower_limit is not None and new_balance < account.lower_limit:
            raise LimitExceeded(
                account=account, limit=account.lower_limit, new_balance=new_balance, which="lower"
            )
        if account.upper_limit is not None and new_balance > account.upper_limit:
            raise LimitExceeded(
                account=account, limit=account.upper_limit, new_balance=new_balance, which="upper"
            )


def apply_deltas(deltas: dict[int, int]) -> None:
    """Add each delta to the stored balance with F() (rows are locked by the caller)."""
    changed = sorted((pk, d) for pk, d in deltas.items() if d)
    for start in range(0, len(changed), _UPDATE_CHUNK):
        chunk = changed[start : start + _UPDATE_CHUNK]
        if len(chunk) == 1:
            pk, delta = chunk[0]
            Account.objects.filter(pk=pk).update(balance=F("balance") + delta)
            continue
        Account.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
            balance=F("balance")
            + Case(
                *[When(pk=pk, then=Value(delta)) for pk, delta in chunk],
                default=Value(0),
                output_field=BigIntegerField(),
            )
        )


def append_entries(
    *, neighbourhood_id: int, entries: Sequence[Entry], accounts: dict[int, Account]
) -> list[Transaction]:
    """Lock the chain head and insert the transactions and postings, each hash-linked."""
    head = lock_head(neighbourhood_id)
    created_at = timezone.now()
    seq, prev_hash = head.seq, head.hash
    transactions: list[Transaction] = []
    for entry in entries:
        seq += 1
        digest = transaction_digest(
            neighbourhood_id=neighbourhood_id,
            seq=seq,
            kind=entry.kind,
            memo=entry.memo,
            actor_id=entry.actor_id,
            effective_date=entry.effective_date,
            created_at=created_at,
            idempotency_key=entry.idempotency_key,
            request_hash=entry.request_hash,
            reverses_id=entry.reverses_id,
            reason=entry.reason,
            postings=[(a, s, m, accounts[a].unit_id) for a, s, m in entry.lines],
            prev_hash=prev_hash,
        )
        transactions.append(
            Transaction(
                neighbourhood_id=neighbourhood_id,
                seq=seq,
                kind=entry.kind,
                memo=entry.memo,
                actor_id=entry.actor_id,
                effective_date=entry.effective_date,
                created_at=created_at,
                idempotency_key=entry.idempotency_key,
                request_hash=entry.request_hash,
                reverses_id=entry.reverses_id,
                reason=entry.reason,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        prev_hash = digest
    if len(transactions) == 1 or not connection.features.can_return_rows_from_bulk_insert:
        for txn in transactions:
            txn.save()
    else:
        Transaction.objects.bulk_create(transactions, batch_size=1000)
    postings = [
        Posting(
            transaction_id=txn.pk,
            neighbourhood_id=neighbourhood_id,
            account_id=account_id,
            side=side,
            amount=amount,
            unit_id=accounts[account_id].unit_id,
            effective_date=entry.effective_date,
        )
        for txn, entry in zip(transactions, entries, strict=True)
        for account_id, side, amount in entry.lines
    ]
    Posting.objects.bulk_create(postings, batch_size=2000)
    LedgerHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev_hash)
    return transactions
