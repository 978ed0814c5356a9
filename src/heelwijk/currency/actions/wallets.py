"""Wallets: open one for a household, person, shop or organisation; change how it is listed;
set its credit limit (logged); raise it by trust; close it."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from heelwijk.ledger.actions import account_close, account_open, account_set_limits
from heelwijk.ledger.errors import ClosedAccount, LimitExceeded
from heelwijk.ledger.locking import run_atomic
from heelwijk.ledger.models import Account
from heelwijk.ledger.money import MAX_MINOR
from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Household, Organisation, Person

from ..amounts import show
from ..models import (
    PAYMENT_CODE_ALPHABET,
    PAYMENT_CODE_LENGTH,
    Category,
    Currency,
    LimitChange,
    Payment,
    TrustRule,
    Wallet,
)

Holder = Household | Person | Organisation


def new_payment_code() -> str:
    """A fresh, unguessable payment code of 8 easily read characters."""
    for _attempt in range(20):
        code = "".join(secrets.choice(PAYMENT_CODE_ALPHABET) for _i in range(PAYMENT_CODE_LENGTH))
        if not Wallet.objects.filter(payment_code=code).exists():
            return code
    raise RuntimeError("no free payment code found")  # 32**8 codes: never in practice


def clean_payment_code(text: str) -> str:
    """A payment code as typed: spaces and dashes dropped, capitals."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -")


def _kind_of(holder: Holder) -> str:
    if isinstance(holder, Household):
        return Wallet.Kind.HOUSEHOLD
    if isinstance(holder, Person):
        return Wallet.Kind.PERSON
    if holder.kind == Organisation.Kind.SHOP:
        return Wallet.Kind.SHOP
    return Wallet.Kind.ORGANISATION


def _name_of(holder: Holder, actor: Any) -> str:
    if isinstance(holder, Person):
        return holder.full_name
    if isinstance(holder, Organisation):
        return holder.name
    me = access_for(actor).person
    if me is not None and me.household_id == holder.pk:
        return me.full_name
    member = holder.members.order_by("date_of_birth", "pk").first()
    if member is not None:
        return member.full_name
    return f"{holder.street} {holder.house_number}{holder.house_number_suffix}"


def _area_of(holder: Holder) -> int | None:
    if isinstance(holder, Household):
        return holder.area_id
    if isinstance(holder, Person) and holder.household_id:
        return holder.household.area_id
    return None


def resident_holder(*, currency: Currency, person: Person) -> Household | Person:
    """Whose wallet a resident opens: their household's or their own, as the currency says."""
    if currency.resident_wallets == Currency.ResidentWallets.HOUSEHOLD and person.household_id:
        return person.household
    return person


def wallet_of_holder(*, currency: Currency, holder: Holder) -> Wallet | None:
    field = {Household: "household", Person: "person", Organisation: "organisation"}[type(holder)]
    return (
        Wallet.objects.filter(currency=currency, **{field: holder})
        .exclude(kind=Wallet.Kind.COMMUNITY)
        .first()
    )


def wallet_open(
    *,
    currency: Currency,
    holder: Holder,
    actor: Any,
    payment_code: str | None = None,
    category: str | None = None,
    is_listed: bool = True,
    name: str | None = None,
) -> Wallet:
    """Open the wallet of a household, person or organisation, with the currency's default
    credit limit for its kind (logged as the first limit change)."""
    if holder.pk is None or holder.neighbourhood_id != currency.neighbourhood_id:
        raise ValidationError({"holder": _("Choose somebody of this neighbourhood.")})
    if not currency.is_active:
        raise ValidationError(
            _("%(currency)s is not in use, so no wallets can be opened.")
            % {"currency": currency.name}
        )
    if isinstance(holder, Organisation) and holder.kind == Organisation.Kind.WIJKBEDRIJF:
        raise ValidationError(
            {"holder": _("The wijkbedrijf uses the community account of the currency.")}
        )
    if wallet_of_holder(currency=currency, holder=holder) is not None:
        raise ValidationError(
            {
                "holder": _("%(holder)s already has a %(currency)s wallet.")
                % {"holder": _name_of(holder, actor), "currency": currency.name}
            }
        )
    kind = _kind_of(holder)
    name = (name or _name_of(holder, actor)).strip()[:160]
    if category is None:
        category = Category.OTHER if kind == Wallet.Kind.SHOP else Category.NEIGHBOURS
    if category not in Category.values:
        raise ValidationError({"category": _("Choose one of the categories.")})
    if payment_code is None:
        payment_code = new_payment_code()
    elif (
        len(payment_code) != PAYMENT_CODE_LENGTH
        or any(ch not in PAYMENT_CODE_ALPHABET for ch in payment_code)
        or Wallet.objects.filter(payment_code=payment_code).exists()
    ):
        raise ValidationError({"payment_code": _("This payment code cannot be used.")})
    limit = currency.default_limit(kind)
    owner_kind, field = {
        Wallet.Kind.HOUSEHOLD: (Account.OwnerKind.HOUSEHOLD, "household"),
        Wallet.Kind.PERSON: (Account.OwnerKind.PERSON, "person"),
        Wallet.Kind.SHOP: (Account.OwnerKind.ORGANISATION, "organisation"),
        Wallet.Kind.ORGANISATION: (Account.OwnerKind.ORGANISATION, "organisation"),
    }[kind]
    letter = {"household": "H", "person": "P", "organisation": "O"}[field]

    def work() -> Wallet:
        account = account_open(
            neighbourhood=currency.neighbourhood,
            unit=currency.unit,
            code=f"{currency.code}-{letter}{holder.pk}",
            name=f"{currency.code} {name}"[:160],
            type=Account.Type.LIABILITY,
            owner_kind=owner_kind,
            owner=holder,
            lower_limit=-limit,
            actor=actor,
        )
        wallet = Wallet.objects.create(
            currency=currency,
            neighbourhood_id=currency.neighbourhood_id,
            account=account,
            kind=kind,
            name=name,
            area_id=_area_of(holder),
            payment_code=payment_code,
            category=category,
            is_listed=bool(is_listed),
            **{field: holder},
        )
        LimitChange.objects.create(
            wallet=wallet,
            old_limit=None,
            new_limit=limit,
            source=LimitChange.Source.DEFAULT,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_wallet_open",
            obj=wallet,
            changes={"currency": currency.code, "kind": kind, "credit_limit": limit},
        )
        return wallet

    return run_atomic(work)


def wallet_update(
    *,
    wallet: Wallet,
    actor: Any,
    name: str | None = None,
    category: str | None = None,
    is_listed: bool | None = None,
) -> Wallet:
    """Change the name others find a wallet by, its category, or whether it is listed."""
    changes: dict[str, Any] = {}
    if name is not None:
        name = name.strip()
        if not name or len(name) > 160:
            raise ValidationError({"name": _("A name has 1 to 160 characters.")})
        changes["name"] = name
    if category is not None:
        if category not in Category.values:
            raise ValidationError({"category": _("Choose one of the categories.")})
        changes["category"] = category
    if is_listed is not None:
        changes["is_listed"] = bool(is_listed)
    changed = {k: [getattr(wallet, k), v] for k, v in changes.items() if getattr(wallet, k) != v}
    if not changed:
        return wallet

    def work() -> Wallet:
        for field, (_old, new) in changed.items():
            setattr(wallet, field, new)
        wallet.save(update_fields=list(changed))
        audit(
            neighbourhood=wallet.currency.neighbourhood,
            actor=actor,
            action="currency_wallet_update",
            obj=wallet,
            changes=changed,
        )
        return wallet

    return run_atomic(work)


def _check_limit(wallet: Wallet, credit_limit: int | None) -> None:
    if credit_limit is None:
        if not (wallet.is_community and wallet.currency.allows_credit):
            raise ValidationError({"credit_limit": _("Give a credit limit (0 or more).")})
        return
    if isinstance(credit_limit, bool) or not isinstance(credit_limit, int):
        raise ValidationError({"credit_limit": _("Give a credit limit (0 or more).")})
    if credit_limit < 0 or credit_limit > MAX_MINOR:
        raise ValidationError({"credit_limit": _("A credit limit is zero or more.")})
    if credit_limit and not wallet.currency.allows_credit:
        raise ValidationError(
            {
                "credit_limit": _(
                    "Units of a euro-backed voucher or a reward coin are never lent: the credit "
                    "limit must be 0."
                )
            }
        )


def wallet_set_limit(
    *,
    wallet: Wallet,
    credit_limit: int | None,
    actor: Any,
    reason: str,
    source: str = LimitChange.Source.MANUAL,
) -> Wallet:
    """Set how far below zero a wallet may go (minor units; None: no limit, only for the
    community account of a credit currency). Logged with the reason."""
    _check_limit(wallet, credit_limit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the credit limit changes.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    old = wallet.credit_limit
    if old == credit_limit:
        return wallet

    def work() -> Wallet:
        account_set_limits(
            account=wallet.account,
            lower_limit=None if credit_limit is None else -credit_limit,
            upper_limit=wallet.account.upper_limit,
            actor=actor,
            reason=reason,
        )
        LimitChange.objects.create(
            wallet=wallet,
            old_limit=old,
            new_limit=credit_limit,
            source=source,
            reason=reason,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        return wallet

    try:
        return run_atomic(work)
    except LimitExceeded as exc:
        raise ValidationError(
            {
                "credit_limit": _(
                    "The balance is %(balance)s now, below the new limit: give a credit limit "
                    "of at least %(needed)s."
                )
                % {
                    "balance": show(exc.new_balance, wallet.currency),
                    "needed": show(-exc.new_balance, wallet.currency),
                }
            }
        ) from None


def wallet_close(*, wallet: Wallet, actor: Any) -> Wallet:
    """Close an empty wallet: nothing can be paid to or from it any more."""
    if wallet.is_community:
        raise ValidationError(_("The community account stays open as long as the currency."))
    try:
        account_close(account=wallet.account, actor=actor)
    except ClosedAccount:
        raise ValidationError(
            _("Only an empty wallet can be closed; this one holds %(balance)s.")
            % {"balance": show(wallet.account.balance, wallet.currency)}
        ) from None
    return wallet


def completed_trades(wallet: Wallet) -> int:
    """Payments the wallet made or received."""
    return Payment.objects.filter(Q(payer=wallet) | Q(payee=wallet)).count()


def trust_apply(
    *, wallet: Wallet, actor: Any = None, rules: list[TrustRule] | None = None
) -> LimitChange | None:
    """Raise the wallet's credit limit when a trust rule of its currency says so.
    ``rules``: the currency's rules when the caller has them already."""
    currency = wallet.currency
    if not currency.allows_credit or wallet.is_community:
        return None
    if rules is None:
        rules = list(TrustRule.objects.filter(currency=currency))
    rules = sorted(
        (r for r in rules if r.wallet_kind == wallet.kind), key=lambda r: -r.credit_limit
    )
    if not rules:
        return None
    current = wallet.credit_limit
    candidates = [r for r in rules if current is not None and r.credit_limit > current]
    if not candidates:
        return None
    trades = completed_trades(wallet)
    earned = [r for r in candidates if trades >= r.min_trades]
    if not earned:
        return None
    rule = earned[0]
    reason = _("Trust: %(trades)s completed trades (rule: from %(min)s trades).") % {
        "trades": trades,
        "min": rule.min_trades,
    }
    wallet_set_limit(
        wallet=wallet,
        credit_limit=rule.credit_limit,
        actor=actor,
        reason=reason,
        source=LimitChange.Source.TRUST,
    )
    return wallet.limit_changes.order_by("-at", "-pk").first()
