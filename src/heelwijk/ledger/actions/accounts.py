"""Units and accounts: create them, set their limits, close them. Every write is audited."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Household, Neighbourhood, Organisation, Person

from ..errors import ClosedAccount, LedgerError, LimitExceeded, UnitMismatch
from ..hashchain import GENESIS
from ..locking import lock_accounts, run_atomic
from ..models import Account, LedgerHead, Unit
from ..money import MAX_MINOR
from ..money import format_amount_lazy as format_amount

UNIT_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
OWNER_MODELS: dict[str, type[Household] | type[Person] | type[Organisation]] = {
    Account.OwnerKind.HOUSEHOLD: Household,
    Account.OwnerKind.PERSON: Person,
    Account.OwnerKind.ORGANISATION: Organisation,
    Account.OwnerKind.WIJKBEDRIJF: Organisation,
}


def unit_ensure(
    *,
    neighbourhood: Neighbourhood,
    code: str,
    name: str,
    symbol: str,
    decimals: int,
    kind: str,
    actor: Any = None,
) -> Unit:
    """The neighbourhood's unit ``code``, created if missing. Name and symbol may change later;
    decimals and kind never do (``UnitMismatch`` when they differ from the existing unit)."""
    if not isinstance(code, str) or not UNIT_CODE.match(code):
        raise LedgerError(
            _("A unit code is 1 to 16 capitals, digits or “_”, starting with a letter.")
        )
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise LedgerError(_("A unit has 0 to 6 decimals."))
    if kind not in Unit.Kind.values:
        raise LedgerError(_("“%(kind)s” is not a kind of unit."), params={"kind": kind})
    name, symbol = (name or "").strip(), (symbol or "").strip()
    if not name or len(name) > 80 or len(symbol) > 12:
        raise LedgerError(_("A unit needs a name (at most 80 characters) and a short symbol."))

    def work() -> Unit:
        unit = Unit.objects.filter(neighbourhood=neighbourhood, code=code).first()
        if unit is None:
            unit = Unit.objects.create(
                neighbourhood=neighbourhood,
                code=code,
                name=name,
                symbol=symbol,
                decimals=decimals,
                kind=kind,
            )
            audit(neighbourhood=neighbourhood, actor=actor, action="ledger_unit_create", obj=unit)
            return unit
        if unit.decimals != decimals or unit.kind != kind:
            raise UnitMismatch(
                _("Unit %(code)s already exists with %(decimals)s decimals and kind %(kind)s."),
                params={"code": code, "decimals": unit.decimals, "kind": unit.kind},
            )
        if (unit.name, unit.symbol) != (name, symbol):
            changes = {"name": [unit.name, name], "symbol": [unit.symbol, symbol]}
            unit.name, unit.symbol = name, symbol
            unit.save(update_fields=["name", "symbol"])
            audit(
                neighbourhood=neighbourhood,
                actor=actor,
                action="ledger_unit_update",
                obj=unit,
                changes=changes,
            )
        return unit

    try:
        return run_atomic(work)
    except IntegrityError:  # created concurrently: the second call finds it
        return run_atomic(work)


def _check_limit_value(value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_MINOR:
        raise LedgerError(_("A limit is a whole number of minor units, or empty for no limit."))


def _check_owner(neighbourhood: Neighbourhood, owner_kind: str, owner: Any) -> dict[str, Any]:
    """The owner foreign keys for ``owner_kind``; refuses an owner of the wrong kind."""
    if owner_kind not in Account.OwnerKind.values:
        raise LedgerError(_("“%(kind)s” is not a kind of owner."), params={"kind": owner_kind})
    model = OWNER_MODELS.get(owner_kind)
    if owner is None:
        if owner_kind in (Account.OwnerKind.FUND, Account.OwnerKind.SYSTEM) or (
            owner_kind == Account.OwnerKind.WIJKBEDRIJF
        ):
            return {}
        raise LedgerError(
            _("An account of a %(kind)s needs its owner."), params={"kind": owner_kind}
        )
    if model is None or not isinstance(owner, model) or owner.pk is None:
        raise LedgerError(
            _("This owner does not fit an account of kind “%(kind)s”."),
            params={"kind": owner_kind},
        )
    if owner.neighbourhood_id != neighbourhood.pk:
        raise LedgerError(_("The owner belongs to another neighbourhood."))
    if owner_kind == Account.OwnerKind.WIJKBEDRIJF and (
        owner.kind != Organisation.Kind.WIJKBEDRIJF
    ):
        raise LedgerError(_("The owner of a wijkbedrijf account must be the wijkbedrijf."))
    field = {
        Household: "owner_household",
        Person: "owner_person",
        Organisation: "owner_organisation",
    }[model]
    return {field: owner}


def account_open(
    *,
    neighbourhood: Neighbourhood,
    unit: Unit,
    code: str,
    name: str,
    type: str,
    owner_kind: str,
    owner: Household | Person | Organisation | None = None,
    lower_limit: int | None = None,
    upper_limit: int | None = None,
    actor: Any = None,
) -> Account:
    """Open an account with balance zero. ``owner`` is the Household, Person or Organisation
    for those owner kinds, optionally the wijkbedrijf Organisation, and None for funds and
    system accounts. Limits are minor units around zero (a credit limit is a negative lower
    limit)."""
    if unit.neighbourhood_id != neighbourhood.pk:
        raise UnitMismatch(_("The unit belongs to another neighbourhood."))
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 40:
        raise LedgerError(_("An account code is 1 to 40 characters."))
    if not name or len(name) > 160:
        raise LedgerError(_("An account needs a name of at most 160 characters."))
    if type not in Account.Type.values:
        raise LedgerError(_("“%(type)s” is not a type of account."), params={"type": type})
    owner_fields = _check_owner(neighbourhood, owner_kind, owner)
    _check_limit_value(lower_limit)
    _check_limit_value(upper_limit)
    if (lower_limit is not None and lower_limit > 0) or (
        upper_limit is not None and upper_limit < 0
    ):
        raise LedgerError(
            _(
                "A new account starts at zero, so its lower limit must be at most zero and its "
                "upper limit at least zero."
            )
        )

    def work() -> Account:
        if Account.objects.filter(neighbourhood=neighbourhood, code=code).exists():
            raise LedgerError(
                _("There is already an account with code %(code)s."), params={"code": code}
            )
        LedgerHead.objects.get_or_create(
            neighbourhood=neighbourhood, defaults={"seq": 0, "hash": GENESIS}
        )
        account = Account.objects.create(
            neighbourhood=neighbourhood,
            unit=unit,
            code=code,
            name=name,
            type=type,
            owner_kind=owner_kind,
            lower_limit=lower_limit,
            upper_limit=upper_limit,
            **owner_fields,
        )
        audit(
            neighbourhood=neighbourhood,
            actor=actor,
            action="ledger_account_open",
            obj=account,
            changes={"code": code, "unit": unit.code, "type": type, "owner_kind": owner_kind},
        )
        return account

    try:
        return run_atomic(work)
    except IntegrityError:
        if Account.objects.filter(neighbourhood=neighbourhood, code=code).exists():
            raise LedgerError(
                _("There is already an account with code %(code)s."), params={"code": code}
            ) from None
        raise


def account_set_limits(
    *,
    account: Account,
    lower_limit: int | None,
    upper_limit: int | None,
    actor: Any,
    reason: str,
) -> Account:
    """Change an account's limits (audited with the reason); refused when the current balance
    would be outside them."""
    _check_limit_value(lower_limit)
    _check_limit_value(upper_limit)
    if lower_limit is not None and upper_limit is not None and lower_limit > upper_limit:
        raise LedgerError(_("The lower limit must not be above the upper limit."))
    if not isinstance(reason, str) or not reason.strip():
        raise LedgerError(_("Give a reason for changing the limits."))

    def work() -> Account:
        locked = lock_accounts([account.pk])[account.pk]
        balance = locked.balance
        if lower_limit is not None and balance < lower_limit:
            raise LimitExceeded(
                account=locked, limit=lower_limit, new_balance=balance, which="lower", new=True
            )
        if upper_limit is not None and balance > upper_limit:
            raise LimitExceeded(
                account=locked, limit=upper_limit, new_balance=balance, which="upper", new=True
            )
        changes = {
            "lower_limit": [locked.lower_limit, lower_limit],
            "upper_limit": [locked.upper_limit, upper_limit],
            "reason": reason.strip(),
        }
        Account.objects.filter(pk=locked.pk).update(
            lower_limit=lower_limit, upper_limit=upper_limit
        )
        audit(
            neighbourhood=locked.neighbourhood,
            actor=actor,
            action="ledger_account_set_limits",
            obj=locked,
            changes=changes,
        )
        return locked

    locked = run_atomic(work)
    account.lower_limit, account.upper_limit = lower_limit, upper_limit
    account.balance = locked.balance
    return account


def account_close(*, account: Account, actor: Any) -> Account:
    """Close an account whose balance is zero; nothing can be posted to it afterwards."""

    def work() -> Account:
        locked = lock_accounts([account.pk])[account.pk]
        if not locked.is_open:
            return locked
        if locked.balance != 0:
            raise ClosedAccount(
                _(
                    "Account %(code)s “%(name)s” still holds %(balance)s; only an empty "
                    "account can be closed."
                ),
                account=locked,
                extra={"balance": format_amount(locked.balance, locked.unit)},
            )
        Account.objects.filter(pk=locked.pk).update(is_open=False)
        audit(
            neighbourhood=locked.neighbourhood,
            actor=actor,
            action="ledger_account_close",
            obj=locked,
        )
        locked.is_open = False
        return locked

    locked = run_atomic(work)
    account.is_open = locked.is_open
    account.balance = locked.balance
    return account
