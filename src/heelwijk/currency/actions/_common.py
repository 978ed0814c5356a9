"""What the currency's writes share: idempotency, hashing a request, friendly ledger refusals."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from heelwijk.ledger.errors import ClosedAccount, IdempotencyConflict, LedgerError, LimitExceeded
from heelwijk.ledger.locking import run_atomic

from ..amounts import show
from ..errors import RequestConflict
from ..models import Currency, Wallet

R = TypeVar("R", bound=Model)

LEDGER_KEY_PREFIX = "currency:"


def fingerprint(*parts: Any) -> str:
    """A stable hash of a request's meaning, for idempotency checks."""
    data = json.dumps([str(p) if p is not None else None for p in parts], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def clean_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not key.strip() or len(key) > 180:
        raise ValidationError(
            {"idempotency_key": _("An Idempotency-Key is 1 to 180 characters of text.")}
        )
    return key.strip()


def replay(
    model: type[R], *, neighbourhood_id: int, key: str | None, request_hash: str
) -> R | None:
    """The record made earlier with this key and the same request, None if there is none;
    ``RequestConflict`` when the key was used for another request."""
    if key is None:
        return None
    existing = model._default_manager.filter(
        neighbourhood_id=neighbourhood_id, idempotency_key=key
    ).first()
    if existing is None:
        return None
    if existing.request_hash != request_hash:
        raise RequestConflict(key)
    return existing


def run_idempotent(
    work: Callable[[], R],
    *,
    model: type[R],
    neighbourhood_id: int,
    key: str | None,
    request_hash: str,
) -> R:
    """Run ``work`` atomically (with the ledger's retries); when a concurrent request with the
    same key won the race, answer with its record."""
    try:
        return run_atomic(work)
    except IntegrityError:
        found = replay(model, neighbourhood_id=neighbourhood_id, key=key, request_hash=request_hash)
        if found is None:
            raise
        return found
    except IdempotencyConflict:
        raise RequestConflict(key or "") from None


def wallet_label(wallet: Wallet) -> str:
    return wallet.name


def limit_message(
    error: LimitExceeded, *, currency: Currency, field: str, whose: Wallet
) -> ValidationError:
    """Say in plain words that a wallet has not enough units, instead of ledger codes."""
    if whose.is_community:
        message = _(
            "The community account has not enough %(currency)s for this: its balance would "
            "become %(balance)s, below its limit of %(limit)s."
        )
    else:
        message = _(
            "Not enough %(currency)s: after this the balance of %(wallet)s would be "
            "%(balance)s, and it may not go below %(limit)s."
        )
    return ValidationError(
        {
            field: message
            % {
                "currency": currency.name,
                "wallet": whose.name,
                "balance": show(error.new_balance, currency),
                "limit": show(error.limit, currency),
            }
        },
        code="limit_exceeded",
    )


def closed_message(*, wallet: Wallet, field: str) -> ValidationError:
    return ValidationError(
        {
            field: _("The wallet of %(name)s is closed: nothing can be paid from or to it.")
            % {"name": wallet.name}
        },
        code="closed_wallet",
    )


def explain_ledger_error(
    error: LedgerError, *, currency: Currency, wallets: dict[str, Wallet]
) -> ValidationError:
    """Turn a ledger refusal into a message on the field of the wallet it concerns.

    ``wallets`` maps form field names ("from", "to", "wallet") to the wallets involved.
    """
    account = getattr(error, "account", None)
    for field, wallet in wallets.items():
        if account is not None and account.pk == wallet.account_id:
            if isinstance(error, LimitExceeded):
                return limit_message(error, currency=currency, field=field, whose=wallet)
            if isinstance(error, ClosedAccount):
                return closed_message(wallet=wallet, field=field)
    if (
        isinstance(error, LimitExceeded)
        and account is not None
        and account.pk == currency.community_account_id
    ):
        community = Wallet(name=str(_("community account")), kind=Wallet.Kind.COMMUNITY)
        return limit_message(error, currency=currency, field="__all__", whose=community)
    return ValidationError(error.messages, code=error.code)
