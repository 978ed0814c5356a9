"""JSON API of the ledger: balances, statements, the trial balance, transfers and reversals.

Who sees what: staff of a neighbourhood see all its accounts and transactions; a resident sees
the accounts of their own person and household; a representative those of the organisations
they represent. A row of another neighbourhood answers 404; a row of the caller's neighbourhood
they may not see answers 403. Writes take an ``Idempotency-Key`` header (see
``heelwijk.ledger.idempotency``): the same key with the same body answers the first answer
again, with the header ``Idempotent-Replayed: true``; with another body it is refused (409).

A refusal by the ledger answers JSON with a ``code``: 400 for bad input (``invalid_amount``,
``unbalanced``, ``unit_mismatch``, ``ledger_error``), 409 when the books' state refuses it
(``limit_exceeded`` — the message names the account —, ``closed_account``,
``idempotency_conflict``, ``already_reversed``). Nothing is written then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Status

from . import selectors
from .actions import PostingLine, post_transaction, reverse_transaction, transfer
from .errors import (
    AlreadyReversed,
    ClosedAccount,
    IdempotencyConflict,
    InvalidAmount,
    LedgerError,
    LimitExceeded,
)
from .idempotency import earlier_answer, ledger_key, request_hash
from .models import Account, Transaction, Unit
from .money import from_minor, to_minor
from .schemas import (
    IDEMPOTENCY_KEY_PATTERN,
    LedgerAccountFilters,
    LedgerAccountOut,
    LedgerAccountPage,
    LedgerAtParams,
    LedgerBalanceOut,
    LedgerErrorOut,
    LedgerReverseIn,
    LedgerStatementOut,
    LedgerStatementParams,
    LedgerTransactionDetailOut,
    LedgerTransactionFilters,
    LedgerTransactionIn,
    LedgerTransactionOut,
    LedgerTransactionPage,
    LedgerTransferIn,
    LedgerTrialBalanceOut,
    LedgerTrialBalanceParams,
    LedgerUnitOut,
    ObjectId,
)

router = Router(tags=["ledger"])

READ_ERRORS = {401: LedgerErrorOut, 403: LedgerErrorOut, 404: LedgerErrorOut, 422: LedgerErrorOut}
LIST_ERRORS = {401: LedgerErrorOut, 403: LedgerErrorOut, 422: LedgerErrorOut}
WRITE_ERRORS = {400: LedgerErrorOut, 409: LedgerErrorOut, **READ_ERRORS}

# Refusals that depend on the state of the books rather than on the request alone.
CONFLICTS = (LimitExceeded, ClosedAccount, IdempotencyConflict, AlreadyReversed)
IDEMPOTENCY_KEY_HELP = (
    "A key you choose per payment (e.g. a UUID), 1 to 128 visible ASCII characters. Sending "
    "the same key and body again returns the first answer; the same key with another body is "
    "refused with 409."
)


# --- helpers --------------------------------------------------------------------------------------


def _neighbourhood(request: HttpRequest) -> Any:
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise PermissionDenied(_("Your account is not linked to a neighbourhood."))
    return neighbourhood


def _require(request: HttpRequest, permission: str, obj: Any) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def _amount(minor: int, unit: Unit) -> str:
    return str(from_minor(int(minor), unit))


def _limit(minor: int | None, unit: Unit) -> str | None:
    return None if minor is None else _amount(minor, unit)


def _account_out(account: Account, balance: int | None = None) -> dict[str, Any]:
    unit = account.unit
    value = account.balance if balance is None else balance
    return {
        "id": account.pk,
        "code": account.code,
        "name": account.name,
        "type": account.type,
        "owner_kind": account.owner_kind,
        "owner_id": (
            account.owner_household_id or account.owner_person_id or account.owner_organisation_id
        ),
        "unit": unit.code,
        "balance": _amount(value, unit),
        "balance_minor": value,
        "lower_limit": _limit(account.lower_limit, unit),
        "upper_limit": _limit(account.upper_limit, unit),
        "is_open": account.is_open,
    }


def _transaction_out(txn: Transaction) -> dict[str, Any]:
    """A transaction from ``selectors.transaction_detail`` (postings prefetched)."""
    reversals = list(txn.reversals.all())
    return {
        "id": txn.pk,
        "seq": txn.seq,
        "kind": txn.kind,
        "memo": txn.memo,
        "effective_date": txn.effective_date,
        "created_at": txn.created_at,
        "actor_id": txn.actor_id,
        "reverses_id": txn.reverses_id,
        "reason": txn.reason,
        "hash": txn.hash,
        "reversed_by_id": reversals[0].pk if reversals else None,
        "postings": [
            {
                "account_id": p.account_id,
                "account_code": p.account.code,
                "account_name": p.account.name,
                "side": p.side,
                "amount": _amount(p.amount, p.account.unit),
                "amount_minor": p.amount,
                "unit": p.account.unit.code,
            }
            for p in txn.postings.all()
        ],
    }


def _detail(neighbourhood: Any, transaction_id: int) -> Transaction:
    try:
        return selectors.transaction_detail(
            neighbourhood=neighbourhood, transaction_id=transaction_id
        )
    except Transaction.DoesNotExist:
        raise Http404 from None


def _account(neighbourhood: Any, account_id: int) -> Account:
    """An account of the caller's neighbourhood (path parameter): 404 when there is none."""
    account = (
        Account.objects.select_related("unit").filter(neighbourhood=neighbourhood, pk=account_id)
    ).first()
    if account is None:
        raise Http404
    return account


def _account_in_body(neighbourhood: Any, account_id: int, field: str) -> Account:
    """An account named in a request body: 400 when the neighbourhood has no such account."""
    account = (
        Account.objects.select_related("unit", "neighbourhood")
        .filter(neighbourhood=neighbourhood, pk=account_id)
        .first()
    )
    if account is None:
        raise ValidationError(
            {field: [_("There is no account with this id in this neighbourhood.")]}
        )
    return account


def _unit(neighbourhood: Any, code: str) -> Unit | None:
    return Unit.objects.filter(neighbourhood=neighbourhood, code=code).first() if code else None


def _positive_minor(text: str, unit: Unit) -> int:
    """Minor units of an amount from a request; refuses zero, negative and over-precise ones."""
    minor = to_minor(text, unit)
    if minor <= 0:
        raise InvalidAmount(_("An amount must be more than zero."))
    return minor


def _refusal(exc: LedgerError) -> Status:
    status = 409 if isinstance(exc, CONFLICTS) else 400
    return Status(status, {"detail": str(exc), "code": exc.code or "ledger_error"})


def _refused_amount(field: str, exc: LedgerError) -> Status:
    return Status(
        400,
        {"detail": str(exc), "code": exc.code or "invalid_amount", "errors": {field: [str(exc)]}},
    )


def _replay(response: HttpResponse, neighbourhood: Any, txn: Transaction) -> Status:
    # Same status, same JSON as the first answer; only this header tells them apart.
    response["Idempotent-Replayed"] = "true"
    return Status(201, _transaction_out(_detail(neighbourhood, txn.pk)))


def _idempotent_write(
    request: HttpRequest,
    response: HttpResponse,
    neighbourhood: Any,
    *,
    key: str,
    endpoint: str,
    body: dict[str, Any],
    write: Callable[[str, str], Transaction],
) -> Any:
    """Answer an earlier request with this key, or run ``write(ledger_key, request_hash)``."""
    stored_key = ledger_key(user_id=request.user.pk, key=key)
    fingerprint = request_hash(endpoint=endpoint, body=body)
    earlier = earlier_answer(neighbourhood_id=neighbourhood.pk, key=stored_key)
    if earlier is not None:
        if earlier.request_hash != fingerprint:
            return _refusal(IdempotencyConflict(key=key, existing=earlier))
        return _replay(response, neighbourhood, earlier)
    started = timezone.now()
    try:
        txn = write(stored_key, fingerprint)
    except IdempotencyConflict as exc:
        return _refusal(IdempotencyConflict(key=key, existing=exc.existing))
    except LedgerError as exc:
        return _refusal(exc)
    if txn.created_at < started:  # a concurrent duplicate won the race: answer with its result
        return _replay(response, neighbourhood, txn)
    return Status(201, _transaction_out(_detail(neighbourhood, txn.pk)))


# --- units and accounts ---------------------------------------------------------------------------


@router.get("/units", response={200: list[LedgerUnitOut], **LIST_ERRORS}, summary="Units")
def unit_list(request: HttpRequest) -> Any:
    """The units the neighbourhood keeps accounts in (euro, local currency, hours, kWh)."""
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.view_neighbourhood", neighbourhood)
    return list(selectors.units_of(neighbourhood=neighbourhood))


@router.get("/accounts", response={200: LedgerAccountPage, **LIST_ERRORS}, summary="Accounts")
def account_list(request: HttpRequest, filters: Query[LedgerAccountFilters]) -> Any:
    """Accounts with their balance now: all of the neighbourhood for staff, otherwise the
    caller's own (their person's, their household's, their organisations')."""
    neighbourhood = _neighbourhood(request)
    queryset = selectors.account_list(neighbourhood=neighbourhood, search=filters.search)
    if filters.unit:
        unit = _unit(neighbourhood, filters.unit)
        queryset = queryset.filter(unit=unit) if unit else queryset.none()
    if not request.user.has_perm("ledger.view_books", neighbourhood):
        own = selectors.accounts_for_user(user=request.user, neighbourhood=neighbourhood)
        queryset = queryset.filter(pk__in=own.values("pk"))
    count = queryset.count()
    rows = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_account_out(a) for a in rows],
    }


@router.get("/accounts/{account_id}", response={200: LedgerAccountOut, **READ_ERRORS})
def account_read(request: HttpRequest, account_id: Path[ObjectId]) -> Any:
    """One account with its balance now and its limits."""
    neighbourhood = _neighbourhood(request)
    account = _account(neighbourhood, account_id)
    _require(request, "ledger.view_account", account)
    return _account_out(account)


@router.get("/accounts/{account_id}/balance", response={200: LedgerBalanceOut, **READ_ERRORS})
def account_balance(
    request: HttpRequest, account_id: Path[ObjectId], params: Query[LedgerAtParams]
):
    """The balance now (the stored balance) or at the end of a date (from the postings)."""
    neighbourhood = _neighbourhood(request)
    account = _account(neighbourhood, account_id)
    _require(request, "ledger.view_account", account)
    minor = selectors.balance(account=account, at=params.at)
    return {
        "account_id": account.pk,
        "code": account.code,
        "unit": account.unit.code,
        "at": params.at,
        "balance": _amount(minor, account.unit),
        "balance_minor": minor,
    }


@router.get("/accounts/{account_id}/statement", response={200: LedgerStatementOut, **READ_ERRORS})
def account_statement(
    request: HttpRequest, account_id: Path[ObjectId], params: Query[LedgerStatementParams]
):
    """One page of the account's postings with the running balance after each."""
    neighbourhood = _neighbourhood(request)
    account = _account(neighbourhood, account_id)
    _require(request, "ledger.view_account", account)
    page = selectors.statement(
        account=account,
        page=params.page,
        per_page=params.per_page,
        since=params.since,
        until=params.until,
        newest_first=params.newest_first,
    )
    unit = account.unit
    return {
        "account": _account_out(account),
        "page": page.page,
        "per_page": page.per_page,
        "count": page.count,
        "num_pages": page.num_pages,
        "opening_balance": _amount(page.opening_balance, unit),
        "closing_balance": _amount(page.closing_balance, unit),
        "rows": [
            {
                "transaction_id": row.transaction_id,
                "seq": row.seq,
                "date": row.effective_date,
                "kind": row.kind,
                "memo": row.memo,
                "side": row.side,
                "amount": _amount(row.amount, unit),
                "change": _amount(row.change, unit),
                "change_minor": row.change,
                "balance": _amount(row.balance, unit),
                "balance_minor": row.balance,
                "counter_accounts": list(row.counter_accounts),
                "reverses_id": row.reverses_id,
            }
            for row in page.rows
        ],
    }


# --- the books ------------------------------------------------------------------------------------


@router.get("/trial-balance", response={200: LedgerTrialBalanceOut, **LIST_ERRORS})
def trial_balance(request: HttpRequest, params: Query[LedgerTrialBalanceParams]) -> Any:
    """Per unit: every account's balance in the debit or credit column, totals per account type,
    and whether debits equal credits. Now, or at the end of a date. Staff only."""
    neighbourhood = _neighbourhood(request)
    _require(request, "ledger.view_books", neighbourhood)
    unit = _unit(neighbourhood, params.unit)
    if params.unit and unit is None:
        return {"at": params.at, "units": []}
    blocks = selectors.trial_balance(neighbourhood=neighbourhood, unit=unit, at=params.at)
    return {
        "at": params.at,
        "units": [
            {
                "unit": block.unit,
                "debit": _amount(block.debit, block.unit),
                "credit": _amount(block.credit, block.unit),
                "balanced": block.balanced,
                "by_type": [
                    {
                        "type": totals.type,
                        "debit": _amount(totals.debit, block.unit),
                        "credit": _amount(totals.credit, block.unit),
                    }
                    for totals in block.by_type.values()
                ],
                "rows": [
                    {
                        "account_id": row.account.pk,
                        "code": row.account.code,
                        "name": row.account.name,
                        "type": row.account.type,
                        "balance": _amount(row.balance, block.unit),
                        "debit": _amount(row.debit, block.unit),
                        "credit": _amount(row.credit, block.unit),
                    }
                    for row in block.rows
                ],
            }
            for block in blocks
        ],
    }


@router.get("/transactions", response={200: LedgerTransactionPage, **LIST_ERRORS})
def transaction_list(request: HttpRequest, filters: Query[LedgerTransactionFilters]) -> Any:
    """The journal, newest first. Staff only."""
    neighbourhood = _neighbourhood(request)
    _require(request, "ledger.view_books", neighbourhood)
    queryset = selectors.transaction_list(
        neighbourhood=neighbourhood, kind=filters.kind, search=filters.search
    )
    count = queryset.count()
    rows = queryset[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            {
                "id": t.pk,
                "seq": t.seq,
                "kind": t.kind,
                "memo": t.memo,
                "effective_date": t.effective_date,
                "created_at": t.created_at,
                "reverses_id": t.reverses_id,
                "reversed_by_id": t.reversed_by_id,
                "posting_count": t.posting_count,
            }
            for t in rows
        ],
    }


@router.get(
    "/transactions/{transaction_id}", response={200: LedgerTransactionDetailOut, **READ_ERRORS}
)
def transaction_read(request: HttpRequest, transaction_id: Path[ObjectId]) -> Any:
    """One transaction with its postings. Staff, or whoever owns one of its accounts."""
    neighbourhood = _neighbourhood(request)
    txn = _detail(neighbourhood, transaction_id)
    _require(request, "ledger.view_transaction", txn)
    return _transaction_out(txn)


# --- writes ---------------------------------------------------------------------------------------


@router.post("/transfers", response={201: LedgerTransactionOut, **WRITE_ERRORS}, summary="Transfer")
def transfer_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: LedgerTransferIn,
    idempotency_key: str = Header(
        ...,
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description=IDEMPOTENCY_KEY_HELP,
    ),
) -> Any:
    """Move an amount from one account to another of the same unit: the source's balance goes
    down and the destination's goes up. Staff may move between any accounts of the
    neighbourhood; a resident or representative pays from an account they own. Limits hold."""
    neighbourhood = _neighbourhood(request)
    source = _account_in_body(neighbourhood, payload.source_account_id, "source_account_id")
    destination = _account_in_body(
        neighbourhood, payload.destination_account_id, "destination_account_id"
    )
    _require(request, "ledger.transfer_from_account", source)
    is_staff = request.user.has_perm("ledger.post_transaction", neighbourhood)
    if payload.effective_date and not is_staff and payload.effective_date != timezone.localdate():
        raise ValidationError({"effective_date": [_("Only staff may choose another date.")]})
    try:
        amount = _positive_minor(payload.amount, source.unit)
    except LedgerError as exc:
        return _refused_amount("amount", exc)

    def write(key: str, fingerprint: str) -> Transaction:
        return transfer(
            source=source,
            destination=destination,
            amount=amount,
            kind="transfer",
            memo=payload.memo,
            actor=request.user,
            idempotency_key=key,
            request_hash=fingerprint,
            effective_date=payload.effective_date,
        )

    return _idempotent_write(
        request,
        response,
        neighbourhood,
        key=idempotency_key,
        endpoint="transfer",
        body=payload.dict(),
        write=write,
    )


@router.post("/transactions", response={201: LedgerTransactionOut, **WRITE_ERRORS})
def transaction_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: LedgerTransactionIn,
    idempotency_key: str = Header(
        ...,
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description=IDEMPOTENCY_KEY_HELP,
    ),
) -> Any:
    """Post a transaction with explicit debit and credit lines (debits equal credits per unit).
    Staff only."""
    neighbourhood = _neighbourhood(request)
    _require(request, "ledger.post_transaction", neighbourhood)
    lines: list[PostingLine] = []
    problems: dict[str, list[str]] = {}
    for index, line in enumerate(payload.lines):
        try:
            account = _account_in_body(neighbourhood, line.account_id, f"lines.{index}.account_id")
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.setdefault(field, []).extend(messages)
            continue
        try:
            amount = _positive_minor(line.amount, account.unit)
        except LedgerError as exc:
            problems.setdefault(f"lines.{index}.amount", []).append(str(exc))
            continue
        lines.append(PostingLine(account=account, side=line.side, amount=amount))
    if problems:
        first = next(iter(problems.values()))[0]
        return Status(400, {"detail": first, "code": "ledger_error", "errors": problems})

    def write(key: str, fingerprint: str) -> Transaction:
        return post_transaction(
            neighbourhood=neighbourhood,
            kind=payload.kind,
            memo=payload.memo,
            actor=request.user,
            lines=lines,
            idempotency_key=key,
            request_hash=fingerprint,
            effective_date=payload.effective_date,
        )

    return _idempotent_write(
        request,
        response,
        neighbourhood,
        key=idempotency_key,
        endpoint="transaction",
        body=payload.dict(),
        write=write,
    )


@router.post(
    "/transactions/{transaction_id}/reverse", response={201: LedgerTransactionOut, **WRITE_ERRORS}
)
def transaction_reverse(
    request: HttpRequest, transaction_id: Path[ObjectId], payload: LedgerReverseIn
) -> Any:
    """Post the mirror image of a transaction, linked to it, with the reason. The original is
    never changed; a transaction is reversed at most once (409). Staff only."""
    neighbourhood = _neighbourhood(request)
    txn = _detail(neighbourhood, transaction_id)
    _require(request, "ledger.reverse_transaction", txn)
    try:
        reversal = reverse_transaction(
            transaction=txn,
            actor=request.user,
            reason=payload.reason,
            effective_date=payload.effective_date,
        )
    except LedgerError as exc:
        return _refusal(exc)
    return Status(201, _transaction_out(_detail(neighbourhood, reversal.pk)))
