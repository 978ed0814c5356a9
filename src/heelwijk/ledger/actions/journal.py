"""Posting, reversing and transferring: the only writes of journal rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.models import Neighbourhood

from ..errors import AlreadyReversed, IdempotencyConflict, LedgerError, Unbalanced, UnitMismatch
from ..locking import lock_account_rows, lock_head, run_atomic
from ..models import Account, Posting, Transaction, journal_writes
from ..types import PostingLine
from ._journal_core import (
    Chained,
    Entry,
    actor_id_of,
    append_one,
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
from ._journal_sql import MissingHead

OPPOSITE: dict[str, str] = {"D": "C", "C": "D"}


def _find_by_key(neighbourhood_id: int, key: str) -> Transaction | None:
    return Transaction.objects.filter(
        neighbourhood_id=neighbourhood_id, idempotency_key=key
    ).first()


def _replay(existing: Transaction, key: str, request_hash: str) -> Transaction:
    if existing.request_hash != request_hash:
        raise IdempotencyConflict(key=key, existing=existing)
    return existing


def _post_entry(
    *, neighbourhood: Neighbourhood, entry: Entry, action: str
) -> tuple[Transaction, dict[int, int]]:
    """Post one entry in one database transaction (with retries) and return it with the new
    balances of its accounts.

    Inside: lock the accounts (one statement), check, then lock the chain head and store
    everything (one more statement on PostgreSQL) — so the head, which serialises the
    neighbourhood's writers until commit, is held for as short a time as possible.
    """
    neighbourhood_id = neighbourhood.pk

    def work() -> tuple[int, Chained, dict[int, int]]:
        with journal_writes():
            accounts = lock_account_rows(account_id for account_id, _s, _m in entry.lines)
            deltas = entry_deltas(entry.lines, accounts)
            check_limits(deltas, {pk: accounts[pk].balance for pk in deltas}, accounts)
            txn_id, chained = append_one(
                neighbourhood_id=neighbourhood_id,
                entry=entry,
                accounts=accounts,
                deltas=deltas,
                action=action,
            )
        return txn_id, chained, {pk: accounts[pk].balance + d for pk, d in deltas.items()}

    try:
        txn_id, chained, balances = run_atomic(work, last_write_commits=True)
    except MissingHead:
        # The neighbourhood's first write (its accounts were not opened by ``account_open``):
        # nothing was stored; create the chain head and post again.
        run_atomic(lambda: lock_head(neighbourhood_id))
        txn_id, chained, balances = run_atomic(work, last_write_commits=True)
    txn = as_transaction(neighbourhood_id, txn_id, chained)
    txn.neighbourhood = neighbourhood
    return txn, balances


def _refresh(lines: Sequence[PostingLine], balances: dict[int, int]) -> None:
    """Give the caller's account objects their new stored balances."""
    for line in lines:
        if line.account.pk in balances:
            line.account.balance = balances[line.account.pk]


def post_transaction(
    *,
    neighbourhood: Neighbourhood,
    kind: str,
    memo: str,
    actor: Any,
    lines: Sequence[PostingLine],
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    effective_date: date | None = None,
) -> Transaction:
    """Post a balanced transaction; refused with a LedgerError (and nothing written) when it
    does not balance per unit, touches a closed account or would pass a limit.

    ``kind`` is a short code ("dues", "purchase", ...); ``effective_date`` defaults to today.
    With an ``idempotency_key`` (unique per neighbourhood; namespace keys you take from clients,
    e.g. ``f"api:{user.pk}:{key}"``) the same key and request hash return the first transaction
    and another request hash raises ``IdempotencyConflict``. Without ``request_hash`` a
    fingerprint of kind, memo, lines and effective date is used. The caller's ``Account``
    objects get their new balances.
    """
    neighbourhood_id = neighbourhood.pk
    kind = clean_kind(kind)
    memo = clean_memo(memo)
    date_given = effective_date
    effective = clean_effective_date(effective_date)
    key, given_hash = clean_idempotency(idempotency_key, request_hash)
    cleaned = clean_lines(neighbourhood_id, lines)
    request = given_hash or ""
    if key is not None and given_hash is None:
        request = request_fingerprint(
            kind=kind, memo=memo, lines=cleaned, effective_date=date_given
        )
    if key is not None:
        existing = _find_by_key(neighbourhood_id, key)
        if existing is not None:
            return _replay(existing, key, request)
    entry = Entry(
        kind=kind,
        memo=memo,
        actor_id=actor_id_of(actor),
        effective_date=effective,
        idempotency_key=key,
        request_hash=request,
        reverses_id=None,
        reason="",
        lines=cleaned,
    )
    try:
        txn, balances = _post_entry(
            neighbourhood=neighbourhood, entry=entry, action="ledger_post_transaction"
        )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer as if we came second.
        if key is not None:
            existing = _find_by_key(neighbourhood_id, key)
            if existing is not None:
                return _replay(existing, key, request)
        raise
    _refresh(lines, balances)
    return txn


def reverse_transaction(
    *, transaction: Transaction, actor: Any, reason: str, effective_date: date | None = None
) -> Transaction:
    """Post the mirror image of ``transaction`` (every side swapped), linked to it.

    ``effective_date`` is the reversal's date (default today), e.g. the original's date to
    undo it in the same period. The original is never changed. A transaction is reversed at
    most once (``AlreadyReversed``); the reversal is checked like any posting, so it is refused
    when it would pass a limit or touch a closed account (raise the limit first if it must go
    through).
    """
    if not isinstance(reason, str) or not reason.strip():
        raise LedgerError(_("Give a reason for the reversal."))
    reason = reason.strip()
    if len(reason) > 1000:
        raise LedgerError(_("The reason is longer than 1000 characters."))
    if transaction.pk is None:
        raise LedgerError(_("Only a posted transaction can be reversed."))
    effective = clean_effective_date(effective_date)
    if Transaction.objects.filter(reverses_id=transaction.pk).exists():
        raise AlreadyReversed(transaction=transaction)
    postings = Posting.objects.filter(transaction_id=transaction.pk).order_by("id")
    lines = [
        (account_id, OPPOSITE[side], amount)
        for account_id, side, amount in postings.values_list("account_id", "side", "amount")
    ]
    neighbourhood = transaction.neighbourhood
    entry = Entry(
        kind="reversal",
        memo=transaction.memo,
        actor_id=actor_id_of(actor),
        effective_date=effective,
        idempotency_key=None,
        request_hash="",
        reverses_id=transaction.pk,
        reason=reason,
        lines=lines,
    )
    try:
        txn, _balances = _post_entry(
            neighbourhood=neighbourhood, entry=entry, action="ledger_reverse_transaction"
        )
    except IntegrityError:
        if Transaction.objects.filter(reverses_id=transaction.pk).exists():
            raise AlreadyReversed(transaction=transaction) from None
        raise
    return txn


def transfer(
    *,
    source: Account,
    destination: Account,
    amount: int,
    kind: str,
    memo: str,
    actor: Any,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    effective_date: date | None = None,
) -> Transaction:
    """Move ``amount`` (minor units) from ``source`` to ``destination``: the source's balance
    goes down and the destination's goes up by exactly ``amount``.

    Both accounts need the same unit (``UnitMismatch``) and the same normal side: two
    debit-normal accounts (asset/expense: credit the source, debit the destination) or two
    credit-normal ones (liability/income/equity: debit the source, credit the destination). For
    an asset and a liability "down here, up there" cannot balance (both would be credits), so
    that is refused with ``Unbalanced``; post such a transaction with explicit sides.
    """
    if source.pk == destination.pk:
        raise LedgerError(_("A transfer needs two different accounts."))
    if source.unit_id != destination.unit_id:
        raise UnitMismatch(
            _("Accounts %(source)s and %(destination)s hold different units."),
            params={"source": source.code, "destination": destination.code},
        )
    if source.is_debit_normal != destination.is_debit_normal:
        raise Unbalanced(
            _(
                "A transfer between account %(source)s (%(source_type)s) and account "
                "%(destination)s (%(destination_type)s) cannot balance: post a transaction with "
                "explicit debit and credit lines instead."
            ),
            params={
                "source": source.code,
                "source_type": source.get_type_display(),
                "destination": destination.code,
                "destination_type": destination.get_type_display(),
            },
        )
    lines = [
        PostingLine(account=source, side=OPPOSITE[source.normal_side], amount=amount),
        PostingLine(account=destination, side=destination.normal_side, amount=amount),
    ]
    return post_transaction(
        neighbourhood=source.neighbourhood,
        kind=kind,
        memo=memo,
        actor=actor,
        lines=lines,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        effective_date=effective_date,
    )
