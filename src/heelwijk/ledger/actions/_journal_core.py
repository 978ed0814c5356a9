"""What every journal write shares: checking lines and limits, chaining and storing entries."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..errors import ClosedAccount, InvalidAmount, LedgerError, LimitExceeded, Unbalanced
from ..hashchain import chain_digest, content_digest
from ..locking import LockedAccount, LockedHead, commit_with_write, lock_head_row
from ..models import Account, Posting, Transaction
from ..money import MAX_MINOR
from ..money import format_amount_lazy as format_amount
from ..types import PostingLine
from ._journal_sql import (
    AuditRow,
    Row,
    database,
    prepare_date,
    transaction_values,
    write_many,
    write_one_postgresql,
    write_one_sqlite,
)

KIND_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,39}$")
SIDES = frozenset({Posting.Side.DEBIT, Posting.Side.CREDIT})
_TRANSACTION_ATTNAMES = [field.attname for field in Transaction._meta.concrete_fields]

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


def _account_for_message(account_id: int) -> Account:
    """The full account (with its unit) for a refusal's message; only on the error path."""
    return Account.objects.select_related("unit").get(pk=account_id)


def entry_deltas(
    entry_lines: Iterable[Line], accounts: Mapping[int, LockedAccount]
) -> dict[int, int]:
    """Each touched account's balance change; refuses missing and closed accounts."""
    deltas: dict[int, int] = defaultdict(int)
    for account_id, side, amount in entry_lines:
        account = accounts.get(account_id)
        if account is None:
            raise LedgerError(_("Account %(id)s does not exist."), params={"id": account_id})
        if not account.is_open:
            full = _account_for_message(account_id)
            raise ClosedAccount(
                _("Account %(code)s “%(name)s” is closed; nothing can be posted to it."),
                account=full,
            )
        deltas[account_id] += account.effect(side, amount)
    return deltas


def check_limits(
    deltas: dict[int, int], balances: dict[int, int], accounts: Mapping[int, LockedAccount]
) -> None:
    """Refuse when any new balance would pass a limit. ``balances`` holds current balances."""
    for account_id, delta in deltas.items():
        account = accounts[account_id]
        new_balance = balances[account_id] + delta
        lower, upper = account.lower_limit, account.upper_limit
        if lower is not None and new_balance < lower:
            raise LimitExceeded(
                account=_account_for_message(account_id),
                limit=lower,
                new_balance=new_balance,
                which="lower",
            )
        if upper is not None and new_balance > upper:
            raise LimitExceeded(
                account=_account_for_message(account_id),
                limit=upper,
                new_balance=new_balance,
                which="upper",
            )


@dataclass(frozen=True)
class Chained:
    """An entry with its place in the hash chain, and the row that stores it."""

    entry: Entry
    seq: int
    prev_hash: str
    digest: str
    created_at: datetime
    row: Row | None  # None when PostgreSQL stored it in one statement (append_one)


def entry_fields(neighbourhood_id: int, entry: Entry, created_at: datetime) -> dict[str, Any]:
    """What a transaction says apart from its place in the chain, by attribute name (the
    keyword arguments of ``hashchain.content_digest``)."""
    return {
        "neighbourhood_id": neighbourhood_id,
        "kind": entry.kind,
        "memo": entry.memo,
        "actor_id": entry.actor_id,
        "effective_date": entry.effective_date,
        "created_at": created_at,
        "idempotency_key": entry.idempotency_key,
        "request_hash": entry.request_hash,
        "reverses_id": entry.reverses_id,
        "reason": entry.reason,
    }


def chain_entries(
    *,
    neighbourhood_id: int,
    entries: Sequence[Entry],
    accounts: Mapping[int, LockedAccount],
    head: LockedHead,
) -> list[Chained]:
    """Number and hash-link the entries after ``head`` (whose lock the caller holds)."""
    created_at = timezone.now()
    seq, prev_hash = head.seq, head.hash
    db = database()
    chained: list[Chained] = []
    for entry in entries:
        seq += 1
        postings = [(a, s, m, accounts[a].unit_id) for a, s, m in entry.lines]
        fields = entry_fields(neighbourhood_id, entry, created_at)
        digest = chain_digest(prev_hash, seq, content_digest(**fields, postings=postings))
        row = Row(
            values=transaction_values(
                db=db, fields=fields, seq=seq, prev_hash=prev_hash, digest=digest
            ),
            postings=postings,
            effective_date=prepare_date(entry.effective_date, db),
            seq=seq,
            digest=digest,
        )
        chained.append(Chained(entry, seq, prev_hash, digest, created_at, row))
        prev_hash = digest
    return chained


def as_transaction(neighbourhood_id: int, txn_id: int, chained: Chained) -> Transaction:
    """The model instance of a stored transaction, built like a row read from the database."""
    entry = chained.entry
    values = {
        "id": txn_id,
        "neighbourhood_id": neighbourhood_id,
        "seq": chained.seq,
        "kind": entry.kind,
        "memo": entry.memo,
        "actor_id": entry.actor_id,
        "effective_date": entry.effective_date,
        "created_at": chained.created_at,
        "idempotency_key": entry.idempotency_key,
        "request_hash": entry.request_hash,
        "reverses_id": entry.reverses_id,
        "reason": entry.reason,
        "prev_hash": chained.prev_hash,
        "hash": chained.digest,
    }
    names = _TRANSACTION_ATTNAMES
    return Transaction.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


def append_one(
    *,
    neighbourhood_id: int,
    entry: Entry,
    accounts: Mapping[int, LockedAccount],
    deltas: dict[int, int],
    action: str,
) -> tuple[int, Chained]:
    """Store one entry, its balances and its audit entry, and extend the chain. Returns the new
    transaction's id.

    On PostgreSQL one statement locks the chain head, computes the hash and stores everything
    (and, when the caller's ``run_atomic`` allows, commits in the same message); the head is
    never held while this process computes. On SQLite the writer lock is already held, so the
    head is read and the hash computed here."""
    if connection.vendor != "postgresql":
        head = lock_head_row(neighbourhood_id)
        (chained,) = chain_entries(
            neighbourhood_id=neighbourhood_id, entries=[entry], accounts=accounts, head=head
        )
        assert chained.row is not None  # chain_entries always builds the row
        txn_id = write_one_sqlite(
            row=chained.row,
            neighbourhood_id=neighbourhood_id,
            deltas=deltas,
            head_id=head.id,
            audit=_audit_row(neighbourhood_id, entry, action, chained.seq, chained.created_at),
        )
        return txn_id, chained
    created_at = timezone.now()
    postings = [(a, s, m, accounts[a].unit_id) for a, s, m in entry.lines]
    fields = entry_fields(neighbourhood_id, entry, created_at)
    written = write_one_postgresql(
        fields=fields,
        content=content_digest(**fields, postings=postings),
        postings=postings,
        deltas=deltas,
        audit=_audit_row(neighbourhood_id, entry, action, None, created_at),
        commit=commit_with_write(),
        release_before_flush=settings.LEDGER_RELEASE_LOCKS_BEFORE_FLUSH,
    )
    chained = Chained(entry, written.seq, written.prev_hash, written.digest, created_at, None)
    return written.id, chained


def _audit_row(
    neighbourhood_id: int, entry: Entry, action: str, seq: int | None, at: datetime
) -> AuditRow:
    """The audit entry of one posting; on PostgreSQL the statement fills in the seq."""
    return AuditRow(
        neighbourhood_id=neighbourhood_id,
        actor_id=entry.actor_id,
        action=action,
        changes={"seq": seq, "kind": entry.kind, "reverses": entry.reverses_id},
        at=at,
    )


def append_many(
    *,
    neighbourhood_id: int,
    entries: Sequence[Entry],
    accounts: Mapping[int, LockedAccount],
    deltas: dict[int, int],
) -> list[tuple[int, Chained]]:
    """Lock the chain head, then store the entries in order and every balance change."""
    head = lock_head_row(neighbourhood_id)
    chained = chain_entries(
        neighbourhood_id=neighbourhood_id, entries=entries, accounts=accounts, head=head
    )
    ids = write_many(
        rows=[c.row for c in chained if c.row is not None],
        neighbourhood_id=neighbourhood_id,
        deltas=deltas,
        head_id=head.id,
    )
    return list(zip(ids, chained, strict=True))
