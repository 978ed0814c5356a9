"""JSON API of the local currency: currencies, wallets, payments, requests, earning and issuing.

Everything works inside the caller's neighbourhood (the token's, or the session's): an id of
another neighbourhood answers 404 (in the path) or 400 (in a body). Bad input gets 400 with a
message per field, in the caller's language, and nothing is posted.

Writes that move units take an ``Idempotency-Key`` header, as the ledger does: the same key
with the same body answers with the first result (same status, same body) and posts nothing
new; the same key with another body is refused with 409. Keys are per user.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Header, Router, Status
from ninja.errors import HttpError

from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.models import Household, Organisation, Person

from . import actions, selectors
from .amounts import parse_amount, plain_decimal
from .errors import RequestConflict
from .models import (
    CreditAuthorisation,
    Currency,
    Payment,
    PaymentRequest,
    ReserveMovement,
    TrustRule,
    VolunteerCredit,
    Wallet,
)
from .reporting import report_document
from .rules import holds_wallet
from .schemas import (
    AuthorisationIn,
    AuthorisationOut,
    CirculationOut,
    CreditIn,
    CreditOut,
    CurrencyIn,
    CurrencyOut,
    CurrencyPatch,
    DemurrageRunOut,
    DepositIn,
    ErrorOut,
    IdempotencyKey,
    LimitChangeOut,
    LimitIn,
    ObjectId,
    PaymentIn,
    PaymentOut,
    RecipientOut,
    RedemptionIn,
    RequestIn,
    RequestOut,
    RequestPayIn,
    ReserveMoveOut,
    StatementOut,
    TrustRuleIn,
    TrustRuleOut,
    WalletOpenIn,
    WalletOut,
    WalletPage,
    WalletPatch,
)

router = Router(tags=["currency"])

READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, **READ_ERRORS}
MOVE_ERRORS = {400: ErrorOut, 409: ErrorOut, **READ_ERRORS}
KEY_HEADER = {
    "alias": "Idempotency-Key",
    "description": "Send the same key again to get the first answer instead of paying twice.",
}
IdemHeader = Header[IdempotencyKey | None, KEY_HEADER]


# --- helpers ---------------------------------------------------------------------------------


def _neighbourhood(request: HttpRequest):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise PermissionDenied(_("Your account is not linked to a neighbourhood."))
    return neighbourhood


def _require(request: HttpRequest, permission: str, obj: Any) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def _currency(
    request: HttpRequest, code: str, *, field: str | None = None, lean: bool = False
) -> Currency:
    """The currency ``code`` of the caller's neighbourhood: 404 for a path, 400 for a body.
    ``lean``: only what paying needs (fewer joins on the hot path)."""
    neighbourhood = _neighbourhood(request)
    read = selectors.currency_by_code if lean else selectors.currency_get
    try:
        return read(neighbourhood=neighbourhood, code=code)
    except Currency.DoesNotExist:
        if field is None:
            raise Http404 from None
    here = ", ".join(c.name for c in selectors.currency_list(neighbourhood=neighbourhood))
    if selectors.currency_exists_elsewhere(neighbourhood=neighbourhood, code=code):
        message = _(
            "%(code)s is the currency of another neighbourhood. In %(neighbourhood)s you can "
            "use: %(here)s."
        )
    else:
        message = _("%(neighbourhood)s has no currency %(code)s. You can use: %(here)s.")
    raise ValidationError(
        {
            field: message
            % {
                "code": code.upper(),
                "neighbourhood": neighbourhood.name,
                "here": here or _("none yet"),
            }
        }
    )


def _wallet(request: HttpRequest, wallet_id: int, *, field: str | None = None) -> Wallet:
    try:
        return selectors.wallet_get(neighbourhood=_neighbourhood(request), wallet_id=wallet_id)
    except Wallet.DoesNotExist:
        if field is None:
            raise Http404 from None
        raise ValidationError(
            {field: _("There is no wallet %(id)s here.") % {"id": wallet_id}}
        ) from None


def _amount(text: str, currency: Currency, field: str = "amount") -> int:
    return parse_amount(text, currency, field=field)


def _units(text: str | None, currency: Currency, field: str) -> int:
    """A setting in units ("50.00") as minor units; zero allowed."""
    if text is None:
        return 0
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("Give a number such as 50.00.")}) from None
    if value < 0:
        raise ValidationError({field: _("Give zero or more.")})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Give at most two decimals.")})
    return int(value.scaleb(currency.unit.decimals if currency else 2))


def _decimal(text: str | None, field: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("Give a number such as 0.5.")}) from None


def _body_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b" " + request.path.encode() + b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _key(request: HttpRequest, key: str | None) -> str | None:
    return None if key is None else f"api:{request.user.pk}:{key}"


def _replayed(model: type[Model], request: HttpRequest, key: str | None, body_hash: str):
    """The record made earlier with this key and body; 409 when the body differs."""
    if key is None:
        return None
    found = model._default_manager.filter(
        neighbourhood=_neighbourhood(request), idempotency_key=key
    ).first()
    if found is not None and found.request_hash != body_hash:
        raise HttpError(409, str(RequestConflict(key.split(":", 2)[-1]).messages[0]))
    return found


def _moving(write):
    """Run a write that moves units; a reused key with another request answers 409."""
    try:
        return write()
    except RequestConflict as exc:
        raise HttpError(409, exc.messages[0]) from None


def _money(amount: int | None, currency: Currency) -> str | None:
    return None if amount is None else plain_decimal(amount, currency)


def _page(queryset, limit: int, offset: int) -> dict:
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": list(queryset[offset : offset + limit]),
    }


# --- shapes ----------------------------------------------------------------------------------


def currency_out(request: HttpRequest, currency: Currency) -> dict:
    community = selectors.community_wallet(currency=currency)
    return {
        "code": currency.code,
        "name": currency.name,
        "symbol": currency.symbol,
        "model": currency.model,
        "description": currency.description,
        "is_active": currency.is_active,
        "decimals": currency.unit.decimals,
        "resident_wallets": currency.resident_wallets,
        "limit_household": _money(currency.limit_household, currency),
        "limit_person": _money(currency.limit_person, currency),
        "limit_shop": _money(currency.limit_shop, currency),
        "limit_organisation": _money(currency.limit_organisation, currency),
        "units_per_hour": _money(currency.units_per_hour, currency),
        "demurrage_rate": str(currency.demurrage_rate),
        "demurrage_period": currency.demurrage_period,
        "demurrage_after_days": currency.demurrage_after_days,
        "demurrage_start": currency.demurrage_start,
        "expiry_days": currency.expiry_days,
        "redemption_enabled": currency.redemption_enabled,
        "redemption_fee_percent": str(currency.redemption_fee_percent),
        "community_wallet_id": community.pk,
        "circulation_url": request.build_absolute_uri(
            reverse("currency:circulation", args=[currency.neighbourhood.slug, currency.code])
        ),
    }


def wallet_out(wallet: Wallet) -> dict:
    currency = wallet.currency
    limit = wallet.credit_limit
    balance = wallet.account.balance
    return {
        "id": wallet.pk,
        "currency": currency.code,
        "kind": wallet.kind,
        "name": wallet.name,
        "area": wallet.area.name if wallet.area_id else None,
        "payment_code": wallet.payment_code,
        "category": wallet.category,
        "is_listed": wallet.is_listed,
        "is_open": wallet.account.is_open,
        "balance": _money(balance, currency),
        "credit_limit": _money(limit, currency),
        "available": None if limit is None else _money(balance + limit, currency),
    }


def payment_out(request: HttpRequest, payment: Payment) -> dict:
    currency = payment.currency
    user = request.user
    if holds_wallet(user, payment.payer):
        mine = payment.payer_balance_after
    elif holds_wallet(user, payment.payee):
        mine = payment.payee_balance_after
    else:
        mine = None
    return {
        "id": payment.pk,
        "currency": currency.code,
        "amount": _money(payment.amount, currency),
        "payer": {"wallet_id": payment.payer_id, "name": payment.payer.name},
        "payee": {"wallet_id": payment.payee_id, "name": payment.payee.name},
        "description": payment.description,
        "category": payment.category,
        "transaction": payment.transaction.seq,
        "effective_date": payment.effective_date,
        "created_at": payment.created_at,
        "your_balance_after": _money(mine, currency),
        "request_token": payment.request.token if payment.request_id else None,
    }


def request_out(request: HttpRequest, payment_request: PaymentRequest) -> dict:
    currency = payment_request.currency
    payment = (
        Payment.objects.filter(request=payment_request).values_list("pk", flat=True).first()
        if payment_request.status == PaymentRequest.Status.PAID
        else None
    )
    return {
        "token": payment_request.token,
        "url": request.build_absolute_uri(
            reverse("currency:request", args=[payment_request.token])
        ),
        "currency": currency.code,
        "amount": _money(payment_request.amount, currency),
        "description": payment_request.description,
        "status": "expired" if payment_request.is_expired else payment_request.status,
        "payee": {"wallet_id": payment_request.payee_id, "name": payment_request.payee.name},
        "created_at": payment_request.created_at,
        "expires_at": payment_request.expires_at,
        "payment_id": payment,
    }


def credit_out(credit: VolunteerCredit) -> dict:
    currency = credit.currency
    return {
        "id": credit.pk,
        "currency": currency.code,
        "wallet_id": credit.wallet_id,
        "hours": str(credit.hours),
        "amount": _money(credit.amount, currency),
        "activity": credit.activity,
        "reason": credit.reason,
        "activity_date": credit.activity_date,
        "organisation_id": credit.organisation_id,
        "transaction": credit.transaction.seq,
    }


def reserve_out(move: ReserveMovement) -> dict:
    currency = move.currency
    return {
        "id": move.pk,
        "kind": move.kind,
        "currency": currency.code,
        "wallet_id": move.wallet_id,
        "amount": _money(move.amount, currency),
        "fee_eur": plain_decimal(move.fee, currency),
        "net_eur": plain_decimal(move.net, currency),
        "transaction": move.transaction.seq,
    }


def circulation_out(figures: selectors.Circulation) -> dict:
    currency = figures.currency
    return {
        "currency": currency.code,
        "neighbourhood": currency.neighbourhood.slug,
        "as_of": figures.as_of,
        "in_circulation": _money(figures.in_circulation, currency),
        "wallets": figures.wallets,
        "active_wallets": figures.active_wallets,
        "payments": figures.payments,
        "volume": _money(figures.volume, currency),
        "velocity": None if figures.velocity is None else str(figures.velocity),
        "categories": [
            {
                "key": c.key,
                "label": c.label,
                "payments": c.payments,
                "amount": _money(c.amount, currency),
                "share": str(c.share),
            }
            for c in figures.categories
        ],
        "months": [
            {
                "month": m.month,
                "payments": m.payments,
                "volume": _money(m.volume, currency),
                "credited": _money(m.credited, currency),
                "active_wallets": m.active_wallets,
                "circulation": _money(m.circulation, currency),
            }
            for m in figures.months
        ],
    }


# --- currencies ------------------------------------------------------------------------------


@router.get("/currencies", response={200: list[CurrencyOut], **READ_ERRORS})
def currency_index(request):
    neighbourhood = _neighbourhood(request)
    _require(request, "currency.use_wallets", neighbourhood)
    return [currency_out(request, c) for c in selectors.currency_list(neighbourhood=neighbourhood)]


@router.post("/currencies", response={201: CurrencyOut, **WRITE_ERRORS})
def currency_add(request, payload: CurrencyIn):
    neighbourhood = _neighbourhood(request)
    _require(request, "currency.manage_currency", neighbourhood)
    data = payload.dict()
    options = {
        name: _units(data.pop(name), None, name)
        for name in (
            "limit_household",
            "limit_person",
            "limit_shop",
            "limit_organisation",
            "units_per_hour",
        )
    }
    community = data.pop("community_limit")
    currency = actions.currency_create(
        neighbourhood=neighbourhood,
        actor=request.user,
        code=data.pop("code"),
        name=data.pop("name"),
        symbol=data.pop("symbol"),
        model=data.pop("model"),
        community_limit=None if community is None else _units(community, None, "community_limit"),
        demurrage_rate=_decimal(data.pop("demurrage_rate"), "demurrage_rate"),
        redemption_fee_percent=_decimal(
            data.pop("redemption_fee_percent"), "redemption_fee_percent"
        ),
        **options,
        **data,
    )
    return Status(201, currency_out(request, currency))


@router.get("/currencies/{code}", response={200: CurrencyOut, **READ_ERRORS})
def currency_detail(request, code: str):
    currency = _currency(request, code)
    _require(request, "currency.use_wallets", currency.neighbourhood)
    return currency_out(request, currency)


@router.patch("/currencies/{code}", response={200: CurrencyOut, **WRITE_ERRORS})
def currency_change(request, code: str, payload: CurrencyPatch):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    changes = payload.dict(exclude_unset=True)
    for name in (
        "limit_household",
        "limit_person",
        "limit_shop",
        "limit_organisation",
        "units_per_hour",
    ):
        if name in changes:
            changes[name] = _units(changes[name], currency, name)
    for name in ("demurrage_rate", "redemption_fee_percent"):
        if name in changes:
            changes[name] = _decimal(changes[name], name)
    for name in (
        "name",
        "symbol",
        "is_active",
        "resident_wallets",
        "demurrage_period",
        "demurrage_after_days",
        "redemption_enabled",
        "description",
    ):
        if name in changes and changes[name] is None:
            raise ValidationError({name: _("This field cannot be null.")})
    currency = actions.currency_update(currency=currency, actor=request.user, **changes)
    return currency_out(request, currency)


@router.get("/currencies/{code}/circulation", response={200: CirculationOut, **READ_ERRORS})
def currency_circulation(request, code: str, as_of: date | None = None):
    currency = _currency(request, code)
    _require(request, "currency.view_circulation", currency)
    return circulation_out(selectors.circulation(currency=currency, as_of=as_of))


@router.get(
    "/public/{slug}/{code}/circulation",
    response={200: CirculationOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
)
def public_circulation(request, slug: str, code: str, as_of: date | None = None):
    """The public figures of a currency; no login needed."""
    try:
        currency = selectors.public_currency(slug=slug, code=code)
    except Currency.DoesNotExist:
        raise Http404 from None
    return circulation_out(selectors.circulation(currency=currency, as_of=as_of))


@router.get(
    "/currencies/{code}/demurrage-runs", response={200: list[DemurrageRunOut], **READ_ERRORS}
)
def demurrage_runs(request, code: str):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    return [
        {
            "period_start": run.period_start,
            "period_end": run.period_end,
            "rate": str(run.rate),
            "wallets_charged": run.wallets_charged,
            "total": _money(run.total, currency),
        }
        for run in currency.demurrage_runs.order_by("period_start")
    ]


@router.get("/currencies/{code}/report", response={200: dict[str, Any], **READ_ERRORS})
def currency_report(request, code: str, as_of: date | None = None):
    """Everything staff need to check a currency: circulation, activity, zero sum (credit
    currencies), euro reserve against circulation (euro-backed), demurrage charged."""
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    return report_document(currency, selectors.report(currency=currency, as_of=as_of))


@router.get("/currencies/{code}/trust-rules", response={200: list[TrustRuleOut], **READ_ERRORS})
def trust_rule_index(request, code: str):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    return [_rule_out(rule, currency) for rule in selectors.trust_rules(currency=currency)]


def _rule_out(rule: TrustRule, currency: Currency) -> dict:
    return {
        "id": rule.pk,
        "wallet_kind": rule.wallet_kind,
        "min_trades": rule.min_trades,
        "credit_limit": _money(rule.credit_limit, currency),
    }


@router.post("/currencies/{code}/trust-rules", response={201: TrustRuleOut, **WRITE_ERRORS})
def trust_rule_create(request, code: str, payload: TrustRuleIn):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    rule = actions.trust_rule_add(
        currency=currency,
        actor=request.user,
        wallet_kind=payload.wallet_kind,
        min_trades=payload.min_trades,
        credit_limit=_units(payload.credit_limit, currency, "credit_limit"),
    )
    return Status(201, _rule_out(rule, currency))


@router.delete("/currencies/{code}/trust-rules/{rule_id}", response={204: None, **READ_ERRORS})
def trust_rule_remove(request, code: str, rule_id: ObjectId):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    rule = TrustRule.objects.filter(currency=currency, pk=rule_id).first()
    if rule is None:
        raise Http404
    actions.trust_rule_delete(rule=rule, actor=request.user)
    return Status(204, None)


def _grant_out(grant: CreditAuthorisation) -> dict:
    cap = grant.monthly_hours_cap
    return {
        "id": grant.pk,
        "organisation_id": grant.organisation_id,
        "organisation": grant.organisation.name,
        "monthly_hours_cap": None if cap is None else str(cap),
        "is_active": grant.is_active,
    }


@router.get(
    "/currencies/{code}/authorisations", response={200: list[AuthorisationOut], **READ_ERRORS}
)
def authorisation_index(request, code: str):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    return [_grant_out(g) for g in selectors.authorisations(currency=currency)]


@router.post("/currencies/{code}/authorisations", response={201: AuthorisationOut, **WRITE_ERRORS})
def authorisation_create(request, code: str, payload: AuthorisationIn):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    organisation = Organisation.objects.filter(
        neighbourhood=currency.neighbourhood, pk=payload.organisation_id
    ).first()
    if organisation is None:
        raise ValidationError(
            {"organisation_id": _("Choose an organisation of this neighbourhood.")}
        )
    grant = actions.authorisation_grant(
        currency=currency,
        organisation=organisation,
        actor=request.user,
        monthly_hours_cap=_decimal(payload.monthly_hours_cap, "monthly_hours_cap"),
    )
    return Status(201, _grant_out(grant))


@router.delete(
    "/currencies/{code}/authorisations/{grant_id}", response={200: AuthorisationOut, **READ_ERRORS}
)
def authorisation_remove(request, code: str, grant_id: ObjectId):
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    grant = currency.authorisations.select_related("organisation").filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    return _grant_out(actions.authorisation_revoke(grant=grant, actor=request.user))


@router.get("/currencies/{code}/wallets", response={200: WalletPage, **READ_ERRORS})
def wallet_index(request, code: str, q: str = "", kind: str = "", limit: int = 25, offset: int = 0):
    """Every wallet of the currency (staff)."""
    currency = _currency(request, code)
    _require(request, "currency.manage_currency", currency.neighbourhood)
    limit, offset = max(1, min(limit, 100)), max(0, min(offset, 10**9))
    page = _page(
        selectors.wallet_list(currency=currency, search=q[:100], kind=kind[:16]), limit, offset
    )
    page["items"] = [wallet_out(w) for w in page["items"]]
    return page


@router.get("/currencies/{code}/recipients", response={200: list[RecipientOut], **READ_ERRORS})
def recipients(request, code: str, q: str = "", area_id: int | None = None):
    """Wallets one may pay, found by name and area (shops first)."""
    currency = _currency(request, code)
    _require(request, "currency.use_wallets", currency.neighbourhood)
    mine = selectors.wallet_for_user(user=request.user, currency=currency)
    found = selectors.recipient_search(
        currency=currency, search=q[:100], area_id=area_id, exclude=mine
    )
    return [
        {
            "id": w.pk,
            "name": w.name,
            "kind": w.kind,
            "area": w.area.name if w.area_id else None,
            "payment_code": w.payment_code,
        }
        for w in found
    ]


# --- wallets ---------------------------------------------------------------------------------


@router.get("/wallets", response={200: list[WalletOut], **READ_ERRORS})
def my_wallets(request):
    """The wallets you hold (yours, your household's, your organisation's)."""
    neighbourhood = _neighbourhood(request)
    _require(request, "currency.use_wallets", neighbourhood)
    return [
        wallet_out(w)
        for w in selectors.wallets_for_user(user=request.user, neighbourhood=neighbourhood)
    ]


@router.post("/wallets", response={201: WalletOut, **WRITE_ERRORS})
def wallet_open(request, payload: WalletOpenIn):
    """Open a wallet: your own (no ids), your organisation's, or (staff) anyone's."""
    neighbourhood = _neighbourhood(request)
    _require(request, "currency.use_wallets", neighbourhood)
    currency = _currency(request, payload.currency, field="currency")
    given = [
        (field, model, value)
        for field, model, value in (
            ("household_id", Household, payload.household_id),
            ("person_id", Person, payload.person_id),
            ("organisation_id", Organisation, payload.organisation_id),
        )
        if value is not None
    ]
    if len(given) > 1:
        raise ValidationError(_("Give at most one of household_id, person_id, organisation_id."))
    if not given:
        person = access_for(request.user).person
        if person is None or person.neighbourhood_id != neighbourhood.pk:
            raise ValidationError(_("Only a resident has a wallet of their own; give an id."))
        holder = actions.resident_holder(currency=currency, person=person)
    else:
        field, model, value = given[0]
        holder = model.objects.filter(neighbourhood=neighbourhood, pk=value).first()
        if holder is None:
            raise ValidationError({field: _("There is nobody with this id here.")})
        staff = request.user.has_perm("currency.manage_currency", neighbourhood)
        own_org = isinstance(holder, Organisation) and holder.pk in access_for(
            request.user
        ).organisation_ids(neighbourhood.pk)
        if not (staff or own_org):
            raise PermissionDenied(_("You do not have permission to do this."))
    wallet = actions.wallet_open(currency=currency, holder=holder, actor=request.user)
    wallet = selectors.wallet_get(neighbourhood=neighbourhood, wallet_id=wallet.pk)
    return Status(201, wallet_out(wallet))


@router.get("/wallets/{wallet_id}", response={200: WalletOut, **READ_ERRORS})
def wallet_detail(request, wallet_id: ObjectId):
    wallet = _wallet(request, wallet_id)
    _require(request, "currency.view_wallet", wallet)
    return wallet_out(wallet)


@router.patch("/wallets/{wallet_id}", response={200: WalletOut, **WRITE_ERRORS})
def wallet_change(request, wallet_id: ObjectId, payload: WalletPatch):
    wallet = _wallet(request, wallet_id)
    _require(request, "currency.change_wallet", wallet)
    actions.wallet_update(wallet=wallet, actor=request.user, **payload.dict(exclude_unset=True))
    return wallet_out(wallet)


@router.get("/wallets/{wallet_id}/statement", response={200: StatementOut, **READ_ERRORS})
def wallet_statement(request, wallet_id: ObjectId, page: int = 1, per_page: int = 25):
    wallet = _wallet(request, wallet_id)
    _require(request, "currency.view_wallet", wallet)
    currency = wallet.currency
    sheet = selectors.wallet_statement(
        wallet=wallet, page=max(1, min(page, 10**6)), per_page=max(1, min(per_page, 100))
    )
    return {
        "wallet_id": wallet.pk,
        "page": sheet.page,
        "num_pages": sheet.num_pages,
        "count": sheet.count,
        "items": [
            {
                "date": line.row.effective_date,
                "kind": line.kind,
                "description": line.description,
                "counterparty": line.counterparty,
                "amount": _money(line.row.change, currency),
                "balance": _money(line.row.balance, currency),
                "transaction": line.row.seq,
                "payment_id": line.payment_id,
            }
            for line in sheet.lines
        ],
    }


@router.put("/wallets/{wallet_id}/credit-limit", response={200: WalletOut, **WRITE_ERRORS})
def wallet_limit(request, wallet_id: ObjectId, payload: LimitIn):
    """Set how far below zero a wallet may go (staff); logged with the reason."""
    wallet = _wallet(request, wallet_id)
    _require(request, "currency.manage_currency", wallet.neighbourhood)
    limit = payload.credit_limit
    actions.wallet_set_limit(
        wallet=wallet,
        credit_limit=None if limit is None else _units(limit, wallet.currency, "credit_limit"),
        actor=request.user,
        reason=payload.reason,
    )
    return wallet_out(wallet)


@router.get(
    "/wallets/{wallet_id}/limit-changes", response={200: list[LimitChangeOut], **READ_ERRORS}
)
def wallet_limit_changes(request, wallet_id: ObjectId):
    wallet = _wallet(request, wallet_id)
    _require(request, "currency.view_wallet", wallet)
    currency = wallet.currency
    return [
        {
            "at": change.at,
            "old_limit": _money(change.old_limit, currency),
            "new_limit": _money(change.new_limit, currency),
            "source": change.source,
            "reason": change.reason,
        }
        for change in selectors.limit_changes(wallet=wallet)[:100]
    ]


# --- paying ----------------------------------------------------------------------------------


def _payer(request: HttpRequest, currency: Currency, wallet_id: int | None) -> Wallet:
    if wallet_id is None:
        payer = selectors.paying_wallet(user=request.user, currency=currency)
        if payer is None:
            raise ValidationError(
                {
                    "from_wallet_id": _("You have no %(currency)s wallet yet: open one first.")
                    % {"currency": currency.name}
                }
            )
    else:
        try:  # lean: the rule needs only the holder ids, the payment the ledger account
            payer = selectors.wallet_for_paying(currency=currency, wallet_id=wallet_id)
        except Wallet.DoesNotExist:
            raise ValidationError(
                {"from_wallet_id": _("There is no wallet %(id)s here.") % {"id": wallet_id}}
            ) from None
    _require(request, "currency.pay_from_wallet", payer)
    return payer


@router.post("/payments", response={201: PaymentOut, **MOVE_ERRORS})
def payment_add(request, payload: PaymentIn, idempotency_key: IdemHeader = None):
    """Pay a wallet, chosen by id or payment code."""
    body_hash = _body_hash(request)
    key = _key(request, idempotency_key)
    earlier = _replayed(Payment, request, key, body_hash)
    if earlier is not None:
        return Status(201, payment_out(request, earlier))
    currency = _currency(request, payload.currency, field="currency", lean=True)
    if (payload.to_wallet_id is None) == (payload.to_payment_code is None):
        raise ValidationError({"to": _("Give either to_wallet_id or to_payment_code.")})
    payer = _payer(request, currency, payload.from_wallet_id)
    amount = _amount(payload.amount, currency)
    try:
        payee = selectors.wallet_for_paying(
            currency=currency,
            wallet_id=payload.to_wallet_id,
            payment_code=actions.clean_payment_code(payload.to_payment_code or ""),
        )
    except ObjectDoesNotExist:
        raise ValidationError(
            {
                "to": _("There is no such wallet in %(currency)s. Check the payment code.")
                % {"currency": currency.name}
            }
        ) from None
    payment = _moving(
        lambda: actions.payment_create(
            payer=payer,
            payee=payee,
            amount=amount,
            actor=request.user,
            description=payload.description,
            category=payload.category,
            idempotency_key=key,
            request_hash=body_hash if key else None,
        )
    )
    return Status(201, payment_out(request, payment))


@router.get("/payments/{payment_id}", response={200: PaymentOut, **READ_ERRORS})
def payment_detail(request, payment_id: ObjectId):
    try:
        payment = selectors.payment_get(
            neighbourhood=_neighbourhood(request), payment_id=payment_id
        )
    except Payment.DoesNotExist:
        raise Http404 from None
    _require(request, "currency.view_payment", payment)
    return payment_out(request, payment)


@router.post("/payment-requests", response={201: RequestOut, **WRITE_ERRORS})
def payment_request_add(request, payload: RequestIn):
    wallet = _wallet(request, payload.wallet_id, field="wallet_id")
    _require(request, "currency.request_payment", wallet)
    payment_request = actions.payment_request_create(
        payee=wallet,
        amount=_amount(payload.amount, wallet.currency),
        description=payload.description,
        actor=request.user,
    )
    return Status(201, request_out(request, payment_request))


def _payment_request(request: HttpRequest, token: str) -> PaymentRequest:
    try:
        payment_request = selectors.request_get(
            neighbourhood=_neighbourhood(request), token=token[:64]
        )
    except PaymentRequest.DoesNotExist:
        raise Http404 from None
    _require(request, "currency.view_payment_request", payment_request)
    return payment_request


@router.get("/payment-requests/{token}", response={200: RequestOut, **READ_ERRORS})
def payment_request_detail(request, token: str):
    return request_out(request, _payment_request(request, token))


@router.post("/payment-requests/{token}/pay", response={201: PaymentOut, **MOVE_ERRORS})
def payment_request_pay(
    request, token: str, payload: RequestPayIn, idempotency_key: IdemHeader = None
):
    """Confirm a payment request: pay its amount to the wallet that asked."""
    body_hash = _body_hash(request)
    key = _key(request, idempotency_key)
    earlier = _replayed(Payment, request, key, body_hash)
    if earlier is not None:
        return Status(201, payment_out(request, earlier))
    payment_request = _payment_request(request, token)
    payer = _payer(request, payment_request.currency, payload.from_wallet_id)
    payment = _moving(
        lambda: actions.payment_request_pay(
            request=payment_request,
            payer=payer,
            actor=request.user,
            idempotency_key=key,
            request_hash=body_hash if key else None,
        )
    )
    return Status(201, payment_out(request, payment))


@router.post("/payment-requests/{token}/cancel", response={200: RequestOut, **WRITE_ERRORS})
def payment_request_cancel(request, token: str):
    payment_request = _payment_request(request, token)
    _require(request, "currency.cancel_payment_request", payment_request)
    actions.payment_request_cancel(request=payment_request, actor=request.user)
    return request_out(request, payment_request)


# --- earning and issuing ---------------------------------------------------------------------


@router.post("/volunteer-credits", response={201: CreditOut, **MOVE_ERRORS})
def volunteer_credit_add(request, payload: CreditIn, idempotency_key: IdemHeader = None):
    """Credit volunteering hours (staff, or an organisation staff authorised)."""
    body_hash = _body_hash(request)
    key = _key(request, idempotency_key)
    earlier = _replayed(VolunteerCredit, request, key, body_hash)
    if earlier is not None:
        return Status(201, credit_out(earlier))
    currency = _currency(request, payload.currency, field="currency")
    _require(request, "currency.credit_hours", currency)
    organisation = None
    if payload.organisation_id is not None:
        organisation = (
            selectors.authorised_organisations(user=request.user, currency=currency)
            .filter(pk=payload.organisation_id)
            .first()
        )
        if organisation is None:
            raise ValidationError(
                {"organisation_id": _("You cannot credit hours for this organisation.")}
            )
    elif not request.user.has_perm("currency.manage_currency", currency.neighbourhood):
        raise ValidationError(
            {"organisation_id": _("Say for which organisation you credit the hours.")}
        )
    wallet = _wallet(request, payload.wallet_id, field="wallet_id")
    credit = _moving(
        lambda: actions.volunteer_credit_create(
            currency=currency,
            wallet=wallet,
            hours=payload.hours,
            activity=payload.activity,
            reason=payload.reason,
            activity_date=payload.activity_date,
            organisation=organisation,
            actor=request.user,
            idempotency_key=key,
            request_hash=body_hash if key else None,
        )
    )
    return Status(201, credit_out(credit))


@router.post("/deposits", response={201: ReserveMoveOut, **MOVE_ERRORS})
def deposit_add(request, payload: DepositIn, idempotency_key: IdemHeader = None):
    """Record euros paid in; the same number of units goes to the wallet (staff)."""
    body_hash = _body_hash(request)
    key = _key(request, idempotency_key)
    earlier = _replayed(ReserveMovement, request, key, body_hash)
    if earlier is not None:
        return Status(201, reserve_out(earlier))
    currency = _currency(request, payload.currency, field="currency")
    _require(request, "currency.manage_currency", currency.neighbourhood)
    wallet = _wallet(request, payload.wallet_id, field="wallet_id")
    move = _moving(
        lambda: actions.euro_deposit(
            currency=currency,
            wallet=wallet,
            amount=_amount(payload.amount, currency),
            note=payload.note,
            actor=request.user,
            idempotency_key=key,
            request_hash=body_hash if key else None,
        )
    )
    return Status(201, reserve_out(move))


@router.post("/redemptions", response={201: ReserveMoveOut, **MOVE_ERRORS})
def redemption_add(request, payload: RedemptionIn, idempotency_key: IdemHeader = None):
    """A shop exchanges units for euros minus the fee."""
    body_hash = _body_hash(request)
    key = _key(request, idempotency_key)
    earlier = _replayed(ReserveMovement, request, key, body_hash)
    if earlier is not None:
        return Status(201, reserve_out(earlier))
    wallet = _wallet(request, payload.wallet_id, field="wallet_id")
    _require(request, "currency.redeem_wallet", wallet)
    move = _moving(
        lambda: actions.redemption_create(
            wallet=wallet,
            amount=_amount(payload.amount, wallet.currency),
            actor=request.user,
            idempotency_key=key,
            request_hash=body_hash if key else None,
        )
    )
    return Status(201, reserve_out(move))
