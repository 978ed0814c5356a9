"""Paying: from one wallet to another, directly or by confirming a payment request.

A payment is one ledger transfer between two wallet accounts plus a ``Payment`` row, in one
database transaction. With an idempotency key the same request gives back the first payment
and a different request under the same key is refused (``RequestConflict``); nothing is posted
twice. Every refusal is a ValidationError on the field to correct, and nothing is written.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.ledger.actions import BatchTransaction, PostingLine, post_batch, transfer
from heelwijk.ledger.errors import BatchRejected, LedgerError
from heelwijk.ledger.locking import run_atomic
from heelwijk.neighbourhood.actions import audit

from ..amounts import check_minor
from ..models import Category, Currency, Payment, PaymentRequest, TrustRule, Wallet
from ._common import (
    LEDGER_KEY_PREFIX,
    clean_key,
    closed_message,
    explain_ledger_error,
    fingerprint,
    replay,
    run_idempotent,
)
from .wallets import trust_apply

REQUEST_VALID_FOR = timedelta(hours=24)
MAX_DESCRIPTION = 140


def _clean_description(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            {
                "description": _("Keep the description under %(max)s characters.")
                % {"max": MAX_DESCRIPTION}
            }
        )
    return text


def check_payment(*, payer: Wallet, payee: Wallet, amount: int, currency: Currency) -> None:
    """Everything a payment must satisfy before the ledger is asked (no writes)."""
    if payer.currency_id != currency.pk:
        raise ValidationError(
            {"from": _("This wallet does not hold %(currency)s.") % {"currency": currency.name}}
        )
    if payee.currency_id != currency.pk or payee.neighbourhood_id != payer.neighbourhood_id:
        raise ValidationError(
            {
                "to": _("%(name)s does not take %(currency)s.")
                % {"name": payee.name, "currency": currency.name}
            }
        )
    if payer.pk == payee.pk:
        raise ValidationError(
            {"to": _("You cannot pay yourself: choose somebody else to pay.")}, code="self_payment"
        )
    if not currency.is_active:
        raise ValidationError(
            {
                "currency": _("%(currency)s is not in use: payments are not possible.")
                % {"currency": currency.name}
            }
        )
    check_minor(amount)
    if not payer.account.is_open:
        raise closed_message(wallet=payer, field="from")
    if not payee.account.is_open:
        raise closed_message(wallet=payee, field="to")


def payment_create(
    *,
    payer: Wallet,
    payee: Wallet,
    amount: int,
    actor: Any,
    description: str = "",
    category: str | None = None,
    request: PaymentRequest | None = None,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    effective_date: date | None = None,
) -> Payment:
    """Pay ``amount`` minor units from ``payer`` to ``payee``; returns the Payment.

    The category is the payee's (a shop's) unless the payer chooses one for a payment between
    neighbours. ``effective_date`` (default today) lets imports and the demo date payments.
    ``request_hash`` (optional) is what makes two requests with the same idempotency key the
    same request; by default a fingerprint of the payment's meaning.
    """
    currency = payer.currency
    key = clean_key(idempotency_key)
    description = _clean_description(description)
    if category is None or category == "":
        category = payee.category if not payee.is_resident else Category.NEIGHBOURS
    request_hash = request_hash or fingerprint(
        "payment",
        payer.pk,
        payee.pk,
        amount,
        description,
        category,
        request.pk if request else None,
        effective_date,
    )
    earlier = replay(
        Payment, neighbourhood_id=payer.neighbourhood_id, key=key, request_hash=request_hash
    )
    if earlier is not None:
        return earlier
    if category not in Category.values:
        raise ValidationError({"category": _("Choose one of the categories.")})
    check_payment(payer=payer, payee=payee, amount=amount, currency=currency)
    memo = description or _("Payment")
    if payer.account.neighbourhood_id == currency.neighbourhood_id:
        payer.account.neighbourhood = currency.neighbourhood  # one query less in the ledger

    def work() -> Payment:
        if request is not None:
            locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
            _check_request_open(locked)
        txn = transfer(
            source=payer.account,
            destination=payee.account,
            amount=amount,
            kind="currency.payment",
            memo=memo,
            actor=actor,
            idempotency_key=f"{LEDGER_KEY_PREFIX}{key}" if key else None,
            request_hash=request_hash if key else None,
            effective_date=effective_date,
        )
        payment = Payment.objects.create(
            currency=currency,
            neighbourhood_id=payer.neighbourhood_id,
            payer=payer,
            payee=payee,
            amount=amount,
            description=description,
            category=category,
            transaction=txn,
            request=request,
            payer_balance_after=payer.account.balance,
            payee_balance_after=payee.account.balance,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            effective_date=txn.effective_date,
            idempotency_key=key,
            request_hash=request_hash if key else "",
        )
        if request is not None:
            PaymentRequest.objects.filter(pk=request.pk).update(
                status=PaymentRequest.Status.PAID, closed_at=timezone.now()
            )
            request.status = PaymentRequest.Status.PAID
        return payment

    try:
        payment = run_idempotent(
            work,
            model=Payment,
            neighbourhood_id=payer.neighbourhood_id,
            key=key,
            request_hash=request_hash,
        )
    except LedgerError as exc:
        raise explain_ledger_error(
            exc, currency=currency, wallets={"from": payer, "to": payee}
        ) from None
    if currency.allows_credit:
        rules = list(TrustRule.objects.filter(currency=currency))
        if rules:
            trust_apply(wallet=payer, actor=None, rules=rules)
            trust_apply(wallet=payee, actor=None, rules=rules)
    return payment


def _check_request_open(request: PaymentRequest) -> None:
    if request.status == PaymentRequest.Status.PAID:
        raise ValidationError(_("This payment request has been paid already."), code="request_paid")
    if request.status == PaymentRequest.Status.CANCELLED:
        raise ValidationError(
            _("This payment request was cancelled. Ask for a new one."), code="request_cancelled"
        )
    if request.expires_at <= timezone.now():
        raise ValidationError(
            _("This payment request has expired. Ask for a new one."), code="request_expired"
        )


def payment_request_create(
    *, payee: Wallet, amount: int, actor: Any, description: str = ""
) -> PaymentRequest:
    """Ask for ``amount``; whoever opens the request's link can confirm and pay it."""
    currency = payee.currency
    check_minor(amount)
    description = _clean_description(description)
    if not currency.is_active:
        raise ValidationError(
            _("%(currency)s is not in use: payments are not possible.")
            % {"currency": currency.name}
        )
    if not payee.account.is_open:
        raise closed_message(wallet=payee, field="__all__")
    now = timezone.now()

    def work() -> PaymentRequest:
        request = PaymentRequest.objects.create(
            currency=currency,
            neighbourhood_id=payee.neighbourhood_id,
            payee=payee,
            amount=amount,
            description=description,
            token=secrets.token_urlsafe(18),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
            expires_at=now + REQUEST_VALID_FOR,
        )
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_request_create",
            obj=request,
            changes={"amount": amount},
        )
        return request

    return run_atomic(work)


def payment_request_pay(
    *,
    request: PaymentRequest,
    payer: Wallet,
    actor: Any,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Payment:
    """Confirm a payment request: pay its amount from ``payer`` to the requesting wallet."""
    key = clean_key(idempotency_key)
    if key is None:
        _check_request_open(request)
    return payment_create(
        payer=payer,
        payee=request.payee,
        amount=request.amount,
        actor=actor,
        description=request.description,
        request=request,
        idempotency_key=key,
        request_hash=request_hash,
    )


def payment_request_cancel(*, request: PaymentRequest, actor: Any) -> PaymentRequest:
    """Withdraw an open request; a paid one stays paid."""

    def work() -> PaymentRequest:
        locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == PaymentRequest.Status.PAID:
            raise ValidationError(_("This payment request has been paid already."))
        if locked.status == PaymentRequest.Status.CANCELLED:
            return locked
        locked.status = PaymentRequest.Status.CANCELLED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit(
            neighbourhood=request.currency.neighbourhood,
            actor=actor,
            action="currency_request_cancel",
            obj=locked,
        )
        return locked

    cancelled = run_atomic(work)
    request.status, request.closed_at = cancelled.status, cancelled.closed_at
    return request


@dataclass(frozen=True)
class PaymentItem:
    """One payment of ``payments_import``."""

    payer: Wallet
    payee: Wallet
    amount: int
    description: str = ""
    category: str | None = None
    effective_date: date | None = None


def payments_import(
    *, currency: Currency, items: Sequence[PaymentItem], actor: Any
) -> list[Payment]:
    """Book many payments at once (imports, the demo): each is checked like ``payment_create``,
    all are posted in one ledger batch and written in one database transaction — all or none.
    A refusal names the item: "payment 12: Not enough Linde…"."""
    prepared: list[tuple[PaymentItem, str, str]] = []
    for index, item in enumerate(items, start=1):
        try:
            check_payment(payer=item.payer, payee=item.payee, amount=item.amount, currency=currency)
            description = _clean_description(item.description)
            category = item.category or (
                item.payee.category if not item.payee.is_resident else Category.NEIGHBOURS
            )
            if category not in Category.values:
                raise ValidationError({"category": _("Choose one of the categories.")})
        except ValidationError as exc:
            raise ValidationError(
                _("Payment %(n)s: %(problem)s") % {"n": index, "problem": " ".join(exc.messages)}
            ) from None
        prepared.append((item, description, category))
    if not prepared:
        return []

    def work() -> list[Payment]:
        transactions = post_batch(
            neighbourhood=currency.neighbourhood,
            kind="currency.payment",
            actor=actor,
            transactions=[
                BatchTransaction(
                    memo=description or _("Payment"),
                    lines=(
                        PostingLine(item.payer.account, "D", item.amount),
                        PostingLine(item.payee.account, "C", item.amount),
                    ),
                    effective_date=item.effective_date,
                )
                for item, description, _category in prepared
            ],
        )
        # Balances after each payment: walk back from the balances after the whole batch.
        accounts = {i.payer.account_id for i, _d, _c in prepared} | {
            i.payee.account_id for i, _d, _c in prepared
        }
        running = dict(
            Wallet.objects.filter(account_id__in=accounts).values_list(
                "account_id", "account__balance"
            )
        )
        after: list[tuple[int, int]] = []
        for item, _description, _category in reversed(prepared):
            after.append((running[item.payer.account_id], running[item.payee.account_id]))
            running[item.payer.account_id] += item.amount
            running[item.payee.account_id] -= item.amount
        after.reverse()
        user = actor if getattr(actor, "is_authenticated", False) else None
        payments = Payment.objects.bulk_create(
            [
                Payment(
                    currency=currency,
                    neighbourhood_id=currency.neighbourhood_id,
                    payer=item.payer,
                    payee=item.payee,
                    amount=item.amount,
                    description=description,
                    category=category,
                    transaction=txn,
                    payer_balance_after=payer_after,
                    payee_balance_after=payee_after,
                    created_by=user,
                    effective_date=txn.effective_date,
                    request_hash="",
                )
                for (item, description, category), txn, (payer_after, payee_after) in zip(
                    prepared, transactions, after, strict=True
                )
            ]
        )
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_payments_import",
            obj=payments[0],
            changes={"count": len(payments), "total": sum(p.amount for p in payments)},
        )
        return payments

    try:
        return run_atomic(work)
    except BatchRejected as exc:
        index, error = exc.errors[0]
        item = prepared[index][0]
        explained = explain_ledger_error(
            error, currency=currency, wallets={"from": item.payer, "to": item.payee}
        )
        raise ValidationError(
            _("Payment %(n)s: %(problem)s")
            % {"n": index + 1, "problem": " ".join(explained.messages)}
        ) from None
