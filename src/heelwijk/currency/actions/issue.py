"""Earning and issuing: volunteering credits, euro deposits and exchanges back to euros.

Where the units come from depends on the model (see ``models``): a time credit, a mutual credit
and a euro-backed voucher pay volunteering from the community account (for the voucher the
community account must hold units bought with euros); a reward coin is issued new. A euro
deposit issues units 1:1 against the euro reserve; a redemption takes them back and pays the
euros out of the reserve minus the fee, so the reserve always equals the units in circulation.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from heelwijk.ledger import selectors as ledger_selectors
from heelwijk.ledger.actions import PostingLine, post_transaction, transfer
from heelwijk.ledger.errors import LedgerError
from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Organisation

from ..amounts import check_minor, show
from ..models import (
    CreditAuthorisation,
    Currency,
    CurrencyModel,
    ReserveMovement,
    VolunteerCredit,
    Wallet,
)
from ._common import (
    LEDGER_KEY_PREFIX,
    clean_key,
    closed_message,
    explain_ledger_error,
    fingerprint,
    replay,
    run_idempotent,
)

DEBIT, CREDIT = "D", "C"
MAX_HOURS = Decimal("200")


def _check_wallet(wallet: Wallet, currency: Currency, field: str = "wallet") -> None:
    if wallet.currency_id != currency.pk:
        raise ValidationError(
            {field: _("This wallet does not hold %(currency)s.") % {"currency": currency.name}}
        )
    if not wallet.account.is_open:
        raise closed_message(wallet=wallet, field=field)


def _check_active(currency: Currency) -> None:
    if not currency.is_active:
        raise ValidationError(
            _("%(currency)s is not in use at the moment.") % {"currency": currency.name}
        )


def _clean_hours(hours: Any) -> Decimal:
    try:
        value = Decimal(str(hours).strip().replace(",", ".")) if hours is not None else None
    except InvalidOperation:
        value = None
    if value is None or isinstance(hours, (bool, float)) or not value.is_finite():
        raise ValidationError({"hours": _("Give the hours as a number, such as 2 or 1,5.")})
    if value <= 0:
        raise ValidationError({"hours": _("Give more than zero hours.")})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({"hours": _("Give the hours with at most two decimals.")})
    if value > MAX_HOURS:
        raise ValidationError(
            {"hours": _("Credit at most %(max)s hours at a time.") % {"max": MAX_HOURS}}
        )
    return value.quantize(Decimal("0.01"))


def _clean_text(value: str | None, field: str, max_length: int, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("Keep this under %(max)s characters.") % {"max": max_length}}
        )
    return value


def volunteer_credit_create(
    *,
    currency: Currency,
    wallet: Wallet,
    hours: Decimal | str,
    activity: str,
    reason: str,
    actor: Any,
    organisation: Organisation | None = None,
    activity_date: date | None = None,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> VolunteerCredit:
    """Credit ``hours`` of volunteering to ``wallet``. ``organisation``: the authorised
    organisation on whose behalf a representative credits (None: the wijkbedrijf's staff)."""
    key = clean_key(idempotency_key)
    hours = _clean_hours(hours)
    activity = _clean_text(activity, "activity", 120, required=True)
    reason = _clean_text(reason, "reason", 500, required=True)
    today = timezone.localdate()
    activity_date = activity_date or today
    if activity_date > today:
        raise ValidationError({"activity_date": _("The activity cannot be in the future.")})
    amount = int((hours * currency.units_per_hour).to_integral_value(rounding=ROUND_HALF_UP))
    request_hash = request_hash or fingerprint(
        "credit",
        currency.pk,
        wallet.pk,
        hours,
        activity,
        reason,
        organisation.pk if organisation else None,
        activity_date,
    )
    earlier = replay(
        VolunteerCredit,
        neighbourhood_id=currency.neighbourhood_id,
        key=key,
        request_hash=request_hash,
    )
    if earlier is not None:
        return earlier
    _check_active(currency)
    _check_wallet(wallet, currency)
    if wallet.is_community:
        raise ValidationError({"wallet": _("Choose the wallet of the volunteer.")})
    check_minor(amount, field="hours")
    if organisation is not None:
        _check_authorised(currency, organisation, hours, activity_date)
    memo = f"{activity} ({hours} h)"

    def work() -> VolunteerCredit:
        ledger_key = f"{LEDGER_KEY_PREFIX}{key}" if key else None
        if currency.model == CurrencyModel.REWARD_COIN:
            txn = post_transaction(
                neighbourhood=currency.neighbourhood,
                kind="currency.volunteering",
                memo=memo,
                actor=actor,
                lines=[
                    PostingLine(currency.issuance_account, DEBIT, amount),
                    PostingLine(wallet.account, CREDIT, amount),
                ],
                idempotency_key=ledger_key,
                request_hash=request_hash if key else None,
                effective_date=activity_date,
            )
        else:
            txn = transfer(
                source=currency.community_account,
                destination=wallet.account,
                amount=amount,
                kind="currency.volunteering",
                memo=memo,
                actor=actor,
                idempotency_key=ledger_key,
                request_hash=request_hash if key else None,
                effective_date=activity_date,
            )
        credit = VolunteerCredit.objects.create(
            currency=currency,
            neighbourhood_id=currency.neighbourhood_id,
            wallet=wallet,
            hours=hours,
            amount=amount,
            activity=activity,
            reason=reason,
            activity_date=activity_date,
            organisation=organisation,
            transaction=txn,
            credited_by=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=key,
            request_hash=request_hash if key else "",
        )
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_volunteer_credit",
            obj=credit,
            changes={"hours": str(hours), "amount": amount, "wallet": wallet.pk},
        )
        return credit

    try:
        return run_idempotent(
            work,
            model=VolunteerCredit,
            neighbourhood_id=currency.neighbourhood_id,
            key=key,
            request_hash=request_hash,
        )
    except LedgerError as exc:
        raise explain_ledger_error(exc, currency=currency, wallets={"wallet": wallet}) from None


def _check_authorised(
    currency: Currency, organisation: Organisation, hours: Decimal, activity_date: date
) -> None:
    grant = CreditAuthorisation.objects.filter(
        currency=currency, organisation=organisation, is_active=True
    ).first()
    if grant is None:
        raise ValidationError(
            {
                "organisation": _("%(name)s may not credit hours in %(currency)s.")
                % {"name": organisation.name, "currency": currency.name}
            }
        )
    if grant.monthly_hours_cap is None:
        return
    month_start = activity_date.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    used = VolunteerCredit.objects.filter(
        currency=currency,
        organisation=organisation,
        activity_date__gte=month_start,
        activity_date__lt=next_month,
    ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if used + hours > grant.monthly_hours_cap:
        raise ValidationError(
            {
                "hours": _(
                    "%(name)s may credit %(cap)s hours a month; %(used)s are used already this "
                    "month."
                )
                % {
                    "name": organisation.name,
                    "cap": number_format(grant.monthly_hours_cap, decimal_pos=2),
                    "used": number_format(used, decimal_pos=2),
                }
            }
        )


def euro_deposit(
    *,
    currency: Currency,
    wallet: Wallet,
    amount: int,
    actor: Any,
    note: str = "",
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    effective_date: date | None = None,
) -> ReserveMovement:
    """Somebody paid ``amount`` euro cents into the reserve: issue as many units to their
    wallet (1 euro = 1 unit)."""
    key = clean_key(idempotency_key)
    if not currency.is_euro_backed:
        raise ValidationError({"currency": _("Only a euro-backed voucher is bought with euros.")})
    check_minor(amount)
    note = _clean_text(note, "note", 200, required=False)
    request_hash = request_hash or fingerprint(
        "deposit", currency.pk, wallet.pk, amount, note, effective_date
    )
    earlier = replay(
        ReserveMovement,
        neighbourhood_id=currency.neighbourhood_id,
        key=key,
        request_hash=request_hash,
    )
    if earlier is not None:
        return earlier
    _check_active(currency)
    _check_wallet(wallet, currency)
    memo = note or _("Euro deposit")

    def work() -> ReserveMovement:
        txn = post_transaction(
            neighbourhood=currency.neighbourhood,
            kind="currency.deposit",
            memo=memo,
            actor=actor,
            lines=[
                PostingLine(currency.issuance_account, DEBIT, amount),
                PostingLine(wallet.account, CREDIT, amount),
                PostingLine(currency.reserve_account, DEBIT, amount),
                PostingLine(currency.outstanding_account, CREDIT, amount),
            ],
            idempotency_key=f"{LEDGER_KEY_PREFIX}{key}" if key else None,
            request_hash=request_hash if key else None,
            effective_date=effective_date,
        )
        move = ReserveMovement.objects.create(
            effective_date=txn.effective_date,
            currency=currency,
            neighbourhood_id=currency.neighbourhood_id,
            kind=ReserveMovement.Kind.DEPOSIT,
            wallet=wallet,
            amount=amount,
            fee=0,
            note=note,
            transaction=txn,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=key,
            request_hash=request_hash if key else "",
        )
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_euro_deposit",
            obj=move,
            changes={"amount": amount, "wallet": wallet.pk},
        )
        return move

    try:
        return run_idempotent(
            work,
            model=ReserveMovement,
            neighbourhood_id=currency.neighbourhood_id,
            key=key,
            request_hash=request_hash,
        )
    except LedgerError as exc:
        raise explain_ledger_error(exc, currency=currency, wallets={"wallet": wallet}) from None


def redemption_fee(currency: Currency, amount: int) -> int:
    """The fee in euro cents for exchanging ``amount`` units, rounded half up to a cent."""
    fee = Decimal(amount) * currency.redemption_fee_percent / Decimal(100)
    return int(fee.to_integral_value(rounding=ROUND_HALF_UP))


def redemption_create(
    *,
    wallet: Wallet,
    amount: int,
    actor: Any,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    effective_date: date | None = None,
) -> ReserveMovement:
    """A shop exchanges ``amount`` units for euros: the units leave circulation, the reserve
    pays ``amount - fee`` euro cents to the shop and the fee goes to the wijkbedrijf."""
    currency = wallet.currency
    key = clean_key(idempotency_key)
    if not (currency.is_euro_backed and currency.redemption_enabled):
        raise ValidationError(
            _("%(currency)s cannot be exchanged for euros.") % {"currency": currency.name}
        )
    if wallet.kind != Wallet.Kind.SHOP:
        raise ValidationError({"wallet": _("Only shops can exchange units for euros.")})
    check_minor(amount)
    fee = redemption_fee(currency, amount)
    request_hash = request_hash or fingerprint(
        "redemption", currency.pk, wallet.pk, amount, fee, effective_date
    )
    earlier = replay(
        ReserveMovement,
        neighbourhood_id=currency.neighbourhood_id,
        key=key,
        request_hash=request_hash,
    )
    if earlier is not None:
        return earlier
    _check_active(currency)
    _check_wallet(wallet, currency)
    holds = ledger_selectors.balance(account=wallet.account)
    if amount > holds:
        raise ValidationError(
            {
                "amount": _("%(name)s holds %(balance)s; exchange at most that.")
                % {"name": wallet.name, "balance": show(holds, currency)}
            }
        )
    memo = _("Exchange for euros")

    def work() -> ReserveMovement:
        lines = [
            PostingLine(wallet.account, DEBIT, amount),
            PostingLine(currency.issuance_account, CREDIT, amount),
            PostingLine(currency.outstanding_account, DEBIT, amount),
            PostingLine(currency.reserve_account, CREDIT, amount),
        ]
        if fee:
            lines += [
                PostingLine(currency.fee_cash_account, DEBIT, fee),
                PostingLine(currency.fee_income_account, CREDIT, fee),
            ]
        txn = post_transaction(
            neighbourhood=currency.neighbourhood,
            kind="currency.redemption",
            memo=memo,
            actor=actor,
            lines=lines,
            idempotency_key=f"{LEDGER_KEY_PREFIX}{key}" if key else None,
            request_hash=request_hash if key else None,
            effective_date=effective_date,
        )
        move = ReserveMovement.objects.create(
            effective_date=txn.effective_date,
            currency=currency,
            neighbourhood_id=currency.neighbourhood_id,
            kind=ReserveMovement.Kind.REDEMPTION,
            wallet=wallet,
            amount=amount,
            fee=fee,
            transaction=txn,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=key,
            request_hash=request_hash if key else "",
        )
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_redemption",
            obj=move,
            changes={"amount": amount, "fee": fee, "wallet": wallet.pk},
        )
        return move

    try:
        return run_idempotent(
            work,
            model=ReserveMovement,
            neighbourhood_id=currency.neighbourhood_id,
            key=key,
            request_hash=request_hash,
        )
    except LedgerError as exc:
        raise explain_ledger_error(exc, currency=currency, wallets={"amount": wallet}) from None
