"""Setting up a currency: its ledger unit and accounts, its options, trust rules and which
organisations may credit volunteering hours. Staff only; every write is audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.ledger.actions import account_open, unit_ensure
from heelwijk.ledger.locking import run_atomic
from heelwijk.ledger.models import Account, Unit
from heelwijk.ledger.selectors import units_of
from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Neighbourhood, Organisation

from ..models import (
    CreditAuthorisation,
    Currency,
    CurrencyModel,
    LimitChange,
    TrustRule,
    Wallet,
)
from .wallets import new_payment_code

# The settings a staff member may change after the currency exists (code and model stay).
EDITABLE = (
    "name",
    "symbol",
    "description",
    "is_active",
    "resident_wallets",
    "limit_household",
    "limit_person",
    "limit_shop",
    "limit_organisation",
    "units_per_hour",
    "demurrage_rate",
    "demurrage_period",
    "demurrage_after_days",
    "demurrage_start",
    "expiry_days",
    "redemption_enabled",
    "redemption_fee_percent",
)
RESERVED_CODES = frozenset({"EUR", "HOUR", "KWH"})
# A community account that pays volunteering credits in a credit currency starts with room for
# 1,000 units; staff can change it like any credit limit.
DEFAULT_COMMUNITY_LIMIT = 100_000


def _validate(currency: Currency, *, exclude: list[str]) -> None:
    """Field checks plus the rules that tie the options to the model."""
    errors: dict[str, list[Any]] = {}
    try:
        currency.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    # Stored with fixed decimals; the object must say what the database will say.
    for field, places in (("demurrage_rate", "0.001"), ("redemption_fee_percent", "0.01")):
        value = getattr(currency, field)
        if isinstance(value, Decimal) and value.is_finite() and field not in errors:
            setattr(currency, field, value.quantize(Decimal(places)))
    for field in ("limit_household", "limit_person", "limit_shop", "limit_organisation"):
        value = getattr(currency, field)
        if isinstance(value, int) and value < 0:
            errors.setdefault(field, []).append(_("A credit limit is zero or more."))
        elif currency.is_issued and value:
            errors.setdefault(field, []).append(
                _(
                    "Units of a euro-backed voucher or a reward coin are never lent: the credit "
                    "limit must be 0."
                )
            )
    if isinstance(currency.units_per_hour, int) and currency.units_per_hour <= 0:
        errors.setdefault("units_per_hour", []).append(_("An hour earns more than zero."))
    if currency.redemption_enabled and currency.model != CurrencyModel.EURO_BACKED:
        errors.setdefault("redemption_enabled", []).append(
            _("Only a euro-backed voucher has a euro reserve to exchange units from.")
        )
    if currency.model == CurrencyModel.TIME_CREDIT and currency.units_per_hour != 100:
        errors.setdefault("units_per_hour", []).append(
            _("In a time credit one hour is always one unit.")
        )
    if errors:
        raise ValidationError(errors)


def currency_create(
    *,
    neighbourhood: Neighbourhood,
    actor: Any,
    code: str,
    name: str,
    symbol: str,
    model: str,
    community_limit: int | None = None,
    community_payment_code: str | None = None,
    **options: Any,
) -> Currency:
    """Create a currency with its ledger unit, community account and, depending on the model,
    the issuance account and the euro reserve accounts. ``community_payment_code``: a fixed
    payment code for the community account (imports, the demo); default a fresh one."""
    unknown = set(options) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown currency options: {sorted(unknown)}")
    code = (code or "").strip().upper()
    currency = Currency(
        neighbourhood=neighbourhood,
        code=code,
        name=(name or "").strip(),
        symbol=(symbol or "").strip(),
        model=model,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **options,
    )
    if currency.demurrage_rate and currency.demurrage_start is None:
        currency.demurrage_start = timezone.localdate()
    _validate(
        currency,
        exclude=[
            "unit",
            "community_account",
            "issuance_account",
            "reserve_account",
            "outstanding_account",
            "fee_cash_account",
            "fee_income_account",
            "created_by",
        ],
    )
    if code in RESERVED_CODES or units_of(neighbourhood=neighbourhood).filter(code=code).exists():
        raise ValidationError(
            {"code": _("The code %(code)s is already in use here.") % {"code": code}}
        )
    if community_limit is None:
        community_limit = DEFAULT_COMMUNITY_LIMIT if currency.allows_credit else 0
    if currency.is_issued and community_limit:
        raise ValidationError(
            {"community_limit": _("The community account of this model cannot go below zero.")}
        )
    wijkbedrijf = Organisation.objects.filter(
        neighbourhood=neighbourhood, kind=Organisation.Kind.WIJKBEDRIJF
    ).first()

    def work() -> Currency:
        kind = Unit.Kind.HOUR if model == CurrencyModel.TIME_CREDIT else Unit.Kind.LOCAL_CURRENCY
        unit = unit_ensure(
            neighbourhood=neighbourhood,
            code=code,
            name=currency.name,
            symbol=currency.symbol,
            decimals=2,
            kind=str(kind),
            actor=actor,
        )
        eur = None
        if currency.is_euro_backed:
            eur = unit_ensure(
                neighbourhood=neighbourhood,
                code="EUR",
                name="euro",
                symbol="€",
                decimals=2,
                kind=str(Unit.Kind.EUR),
                actor=actor,
            )

        def open_(suffix: str, title: str, type_: str, account_unit: Unit, **kw: Any) -> Account:
            return account_open(
                neighbourhood=neighbourhood,
                unit=account_unit,
                code=f"{code}-{suffix}",
                name=f"{currency.name}: {title}",
                type=type_,
                owner_kind=kw.pop("owner_kind", Account.OwnerKind.WIJKBEDRIJF),
                owner=kw.pop("owner", wijkbedrijf),
                actor=actor,
                **kw,
            )

        currency.unit = unit
        currency.community_account = open_(
            "COMMUNITY",
            _("community account"),
            Account.Type.LIABILITY,
            unit,
            lower_limit=-community_limit if community_limit is not None else None,
        )
        if currency.is_issued:
            currency.issuance_account = open_(
                "ISSUED", _("units issued"), Account.Type.ASSET, unit, lower_limit=0
            )
        if eur is not None:
            currency.reserve_account = open_(
                "EUR-RESERVE", _("euro reserve"), Account.Type.ASSET, eur, lower_limit=0
            )
            currency.outstanding_account = open_(
                "EUR-OUT",
                _("units outstanding in euros"),
                Account.Type.LIABILITY,
                eur,
                lower_limit=0,
            )
            currency.fee_cash_account = open_(
                "EUR-FEECASH", _("exchange fees received"), Account.Type.ASSET, eur
            )
            currency.fee_income_account = open_(
                "EUR-FEES", _("exchange fee income"), Account.Type.INCOME, eur
            )
        currency.save()
        community = Wallet.objects.create(
            currency=currency,
            neighbourhood=neighbourhood,
            account=currency.community_account,
            kind=Wallet.Kind.COMMUNITY,
            organisation=wijkbedrijf,
            name=wijkbedrijf.name if wijkbedrijf else neighbourhood.name,
            payment_code=community_payment_code or new_payment_code(),
            category="other",
            is_listed=True,
        )
        LimitChange.objects.create(
            wallet=community,
            old_limit=None,
            new_limit=community_limit,
            source=LimitChange.Source.DEFAULT,
            actor=currency.created_by,
        )
        audit(
            neighbourhood=neighbourhood,
            actor=actor,
            action="currency_create",
            obj=currency,
            changes={"code": code, "model": model},
        )
        return currency

    return run_atomic(work)


def currency_update(*, currency: Currency, actor: Any, **changes: Any) -> Currency:
    """Change a currency's name, symbol or options; code and model never change."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These settings cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    before = {field: getattr(currency, field) for field in changes}
    for field, value in changes.items():
        setattr(currency, field, value)
    if currency.demurrage_rate and currency.demurrage_start is None:
        currency.demurrage_start = timezone.localdate()
        changes["demurrage_start"] = currency.demurrage_start
    try:
        _validate(
            currency,
            exclude=[
                "code",
                "model",
                "unit",
                "community_account",
                "issuance_account",
                "reserve_account",
                "outstanding_account",
                "fee_cash_account",
                "fee_income_account",
                "created_by",
            ],
        )
    except ValidationError:
        for field, value in before.items():
            setattr(currency, field, value)
        raise
    changed = {
        field: [_jsonable(before.get(field)), _jsonable(value)]
        for field, value in changes.items()
        if before.get(field) != value
    }
    if not changed:
        return currency

    def work() -> Currency:
        if "name" in changed or "symbol" in changed:
            unit_ensure(
                neighbourhood=currency.neighbourhood,
                code=currency.code,
                name=currency.name,
                symbol=currency.symbol,
                decimals=currency.unit.decimals,
                kind=currency.unit.kind,
                actor=actor,
            )
        currency.save(update_fields=list(changes))
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_update",
            obj=currency,
            changes=changed,
        )
        return currency

    currency = run_atomic(work)
    currency.unit.refresh_from_db()
    return currency


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def trust_rule_add(
    *, currency: Currency, actor: Any, wallet_kind: str, min_trades: int, credit_limit: int
) -> TrustRule:
    """After ``min_trades`` completed trades a wallet of ``wallet_kind`` gets at least
    ``credit_limit`` (minor units) of credit."""
    if not currency.allows_credit:
        raise ValidationError(
            _("Only a time credit or a mutual credit lends units, so only they have trust rules.")
        )
    rule = TrustRule(
        currency=currency,
        wallet_kind=wallet_kind,
        min_trades=min_trades,
        credit_limit=credit_limit,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    errors: dict[str, list[Any]] = {}
    try:
        rule.full_clean(exclude=["currency", "created_by"], validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if isinstance(credit_limit, int) and credit_limit < 0:
        errors.setdefault("credit_limit", []).append(_("A credit limit is zero or more."))
    if (
        not errors
        and currency.trust_rules.filter(wallet_kind=wallet_kind, min_trades=min_trades).exists()
    ):
        errors.setdefault("min_trades", []).append(
            _("There is already a rule for this kind of wallet after this many trades.")
        )
    if errors:
        raise ValidationError(errors)

    def work() -> TrustRule:
        rule.save()
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_trust_rule_add",
            obj=rule,
            changes={"kind": wallet_kind, "min_trades": min_trades, "limit": credit_limit},
        )
        return rule

    return run_atomic(work)


def trust_rule_delete(*, rule: TrustRule, actor: Any) -> None:
    def work() -> None:
        audit(
            neighbourhood=rule.currency.neighbourhood,
            actor=actor,
            action="currency_trust_rule_delete",
            obj=rule,
            changes={"kind": rule.wallet_kind, "min_trades": rule.min_trades},
        )
        rule.delete()

    run_atomic(work)


def authorisation_grant(
    *,
    currency: Currency,
    organisation: Organisation,
    actor: Any,
    monthly_hours_cap: Decimal | None = None,
) -> CreditAuthorisation:
    """Let the representatives of ``organisation`` credit volunteering hours."""
    if organisation.neighbourhood_id != currency.neighbourhood_id:
        raise ValidationError({"organisation": _("Choose an organisation of this neighbourhood.")})
    if organisation.kind == Organisation.Kind.WIJKBEDRIJF:
        raise ValidationError(
            {"organisation": _("The staff of the wijkbedrijf can credit hours already.")}
        )
    if monthly_hours_cap is not None and not (
        isinstance(monthly_hours_cap, Decimal) and Decimal("0.25") <= monthly_hours_cap <= 10000
    ):
        raise ValidationError(
            {"monthly_hours_cap": _("Give a maximum from 0.25 to 10,000 hours, or none.")}
        )

    def work() -> CreditAuthorisation:
        grant, _created = CreditAuthorisation.objects.update_or_create(
            currency=currency,
            organisation=organisation,
            defaults={
                "monthly_hours_cap": monthly_hours_cap,
                "is_active": True,
                "granted_by": actor if getattr(actor, "is_authenticated", False) else None,
                "granted_at": timezone.now(),
            },
        )
        audit(
            neighbourhood=currency.neighbourhood,
            actor=actor,
            action="currency_authorisation_grant",
            obj=grant,
            changes={"organisation": organisation.pk, "cap": _jsonable(monthly_hours_cap)},
        )
        return grant

    return run_atomic(work)


def authorisation_revoke(*, grant: CreditAuthorisation, actor: Any) -> CreditAuthorisation:
    if not grant.is_active:
        return grant

    def work() -> CreditAuthorisation:
        grant.is_active = False
        grant.save(update_fields=["is_active"])
        audit(
            neighbourhood=grant.currency.neighbourhood,
            actor=actor,
            action="currency_authorisation_revoke",
            obj=grant,
        )
        return grant

    return run_atomic(work)
