"""Request and response shapes of the currency API.

Amounts travel as JSON strings with a dot as decimal separator ("7.50"), never as numbers, so
no float ever touches them; a number is refused (422) with a message that says so. Amounts that
have the right shape but are zero, negative or too precise are refused by the actions (400).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from heelwijk.neighbourhood.schemas import ErrorOut, IsoDate, ObjectId, text

from .models import Category, CurrencyModel, DemurragePeriod, Wallet

__all__ = ["ErrorOut", "ObjectId"]

AMOUNT_PATTERN = r"^[+-]?[0-9]{1,16}([.,][0-9]{1,8})?$"
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9]{1,9}$"
PAYMENT_CODE_PATTERN = r"^[A-Za-z0-9 -]{8,12}$"
KEY_PATTERN = r"^[\x21-\x7e]{1,100}$"


def _amount_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "amount_type", "{message}", {"message": _("Send the amount as text, such as “7.50”.")}
        )
    return value.strip()


Amount = Annotated[
    str,
    BeforeValidator(_amount_text),
    Field(
        min_length=1,
        max_length=27,
        pattern=AMOUNT_PATTERN,
        description="An amount as text with a dot (or comma) for the decimals, e.g. '7.50'.",
        examples=["7.50"],
    ),
]
Percent = Annotated[
    str,
    BeforeValidator(_amount_text),
    Field(max_length=12, pattern=r"^[0-9]{1,3}([.,][0-9]{1,3})?$", examples=["0.5"]),
]
CurrencyCode = Annotated[
    str, Field(min_length=2, max_length=10, pattern=CODE_PATTERN, examples=["LINDE"])
]
PaymentCode = Annotated[
    str, Field(min_length=8, max_length=12, pattern=PAYMENT_CODE_PATTERN, examples=["ABCD2345"])
]
IdempotencyKey = Annotated[str, Field(min_length=1, max_length=100, pattern=KEY_PATTERN)]
CategoryChoice = Literal[tuple(Category.values)]
WalletKind = Literal[tuple(k for k in Wallet.Kind.values if k != "community")]


class StrictIn(Schema):
    """Exact JSON types (1 is not true, "1" is not 1) and no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)


# --- currencies ------------------------------------------------------------------------------


class CurrencyOut(Schema):
    code: str
    name: str
    symbol: str
    model: str
    description: str
    is_active: bool
    decimals: int
    resident_wallets: str
    limit_household: str
    limit_person: str
    limit_shop: str
    limit_organisation: str
    units_per_hour: str
    demurrage_rate: str
    demurrage_period: str
    demurrage_after_days: int
    demurrage_start: date | None
    expiry_days: int | None
    redemption_enabled: bool
    redemption_fee_percent: str
    community_wallet_id: int
    circulation_url: str


class CurrencyIn(StrictIn):
    code: CurrencyCode
    name: text(80)
    symbol: text(6)
    model: Literal[tuple(CurrencyModel.values)]
    description: text(2000, required=False) = ""
    is_active: bool = True
    resident_wallets: Literal["household", "person"] = "household"
    limit_household: Amount = "0"
    limit_person: Amount = "0"
    limit_shop: Amount = "0"
    limit_organisation: Amount = "0"
    units_per_hour: Amount = "1"
    demurrage_rate: Percent = "0"
    demurrage_period: Literal[tuple(DemurragePeriod.values)] = "month"
    demurrage_after_days: int = Field(90, ge=0, le=3650)
    demurrage_start: IsoDate | None = None
    expiry_days: int | None = Field(None, ge=30, le=3650)
    redemption_enabled: bool = False
    redemption_fee_percent: Percent = "0"
    community_limit: Amount | None = Field(
        None, description="Credit limit of the community account; default 1000 for credit models."
    )


class CurrencyPatch(StrictIn):
    name: text(80) | None = None
    symbol: text(6) | None = None
    description: text(2000, required=False) | None = None
    is_active: bool | None = None
    resident_wallets: Literal["household", "person"] | None = None
    limit_household: Amount | None = None
    limit_person: Amount | None = None
    limit_shop: Amount | None = None
    limit_organisation: Amount | None = None
    units_per_hour: Amount | None = None
    demurrage_rate: Percent | None = None
    demurrage_period: Literal[tuple(DemurragePeriod.values)] | None = None
    demurrage_after_days: int | None = Field(None, ge=0, le=3650)
    demurrage_start: IsoDate | None = None
    expiry_days: int | None = Field(None, ge=30, le=3650)
    redemption_enabled: bool | None = None
    redemption_fee_percent: Percent | None = None


class CategoryOut(Schema):
    key: str
    label: str
    payments: int
    amount: str
    share: str


class MonthOut(Schema):
    month: date
    payments: int
    volume: str
    credited: str
    active_wallets: int
    circulation: str


class CirculationOut(Schema):
    currency: str
    neighbourhood: str
    as_of: date
    in_circulation: str
    wallets: int
    active_wallets: int
    payments: int
    volume: str
    velocity: str | None
    categories: list[CategoryOut]
    months: list[MonthOut]


class TrustRuleIn(StrictIn):
    wallet_kind: WalletKind
    min_trades: int = Field(ge=1, le=100000)
    credit_limit: Amount


class TrustRuleOut(Schema):
    id: int
    wallet_kind: str
    min_trades: int
    credit_limit: str


class AuthorisationIn(StrictIn):
    organisation_id: ObjectId
    monthly_hours_cap: Percent | None = None


class AuthorisationOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    monthly_hours_cap: str | None
    is_active: bool


class DemurrageRunOut(Schema):
    period_start: date
    period_end: date
    rate: str
    wallets_charged: int
    total: str


# --- wallets ---------------------------------------------------------------------------------


class WalletOut(Schema):
    id: int
    currency: str
    kind: str
    name: str
    area: str | None
    payment_code: str
    category: str
    is_listed: bool
    is_open: bool
    balance: str
    credit_limit: str | None = Field(description="How far below zero it may go; null: no limit.")
    available: str | None = Field(description="What can still be spent; null: no limit.")


class WalletPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[WalletOut]


class WalletOpenIn(StrictIn):
    currency: CurrencyCode
    household_id: ObjectId | None = Field(None, description="Staff: open for this household.")
    person_id: ObjectId | None = Field(None, description="Staff: open for this person.")
    organisation_id: ObjectId | None = Field(
        None, description="Open for this organisation (staff, or its representative)."
    )


class WalletPatch(StrictIn):
    name: text(160) | None = None
    category: CategoryChoice | None = None
    is_listed: bool | None = None


class RecipientOut(Schema):
    id: int
    name: str
    kind: str
    area: str | None
    payment_code: str


class StatementLineOut(Schema):
    date: date
    kind: str
    description: str
    counterparty: str
    amount: str
    balance: str
    transaction: int
    payment_id: int | None


class StatementOut(Schema):
    wallet_id: int
    page: int
    num_pages: int
    count: int
    items: list[StatementLineOut]


class LimitIn(StrictIn):
    credit_limit: Amount | None = Field(
        description="How far below zero the wallet may go, e.g. '50.00'; null: no limit "
        "(only the community account of a credit currency)."
    )
    reason: text(300)


class LimitChangeOut(Schema):
    at: datetime
    old_limit: str | None
    new_limit: str | None
    source: str
    reason: str


# --- paying ----------------------------------------------------------------------------------


class PartyOut(Schema):
    wallet_id: int
    name: str


class PaymentIn(StrictIn):
    currency: CurrencyCode
    amount: Amount
    to_wallet_id: ObjectId | None = Field(None, description="The receiver's wallet id, or…")
    to_payment_code: PaymentCode | None = Field(None, description="…its payment code.")
    from_wallet_id: ObjectId | None = Field(
        None, description="Pay from this wallet; default: your own (or your household's)."
    )
    description: text(140, required=False) = ""
    category: CategoryChoice | None = None


class PaymentOut(Schema):
    id: int
    currency: str
    amount: str
    payer: PartyOut
    payee: PartyOut
    description: str
    category: str
    transaction: int = Field(description="The number of the ledger transaction.")
    effective_date: date
    created_at: datetime
    your_balance_after: str | None = Field(
        description="The balance of your wallet right after this payment."
    )
    request_token: str | None


class RequestIn(StrictIn):
    wallet_id: ObjectId
    amount: Amount
    description: text(140, required=False) = ""


class RequestOut(Schema):
    token: str
    url: str
    currency: str
    amount: str
    description: str
    status: str
    payee: PartyOut
    created_at: datetime
    expires_at: datetime
    payment_id: int | None


class RequestPayIn(StrictIn):
    from_wallet_id: ObjectId | None = None


# --- earning and issuing ---------------------------------------------------------------------


class CreditIn(StrictIn):
    currency: CurrencyCode
    wallet_id: ObjectId
    hours: Annotated[
        str,
        BeforeValidator(_amount_text),
        Field(max_length=12, pattern=r"^[0-9]{1,3}([.,][0-9]{1,2})?$", examples=["1.5"]),
    ]
    activity: text(120)
    reason: text(500)
    activity_date: IsoDate | None = None
    organisation_id: ObjectId | None = Field(
        None, description="Credit on behalf of this authorised organisation."
    )


class CreditOut(Schema):
    id: int
    currency: str
    wallet_id: int
    hours: str
    amount: str
    activity: str
    reason: str
    activity_date: date
    organisation_id: int | None
    transaction: int


class DepositIn(StrictIn):
    currency: CurrencyCode
    wallet_id: ObjectId
    amount: Amount = Field(description="Euros received; the same number of units is issued.")
    note: text(200, required=False) = ""


class RedemptionIn(StrictIn):
    wallet_id: ObjectId
    amount: Amount


class ReserveMoveOut(Schema):
    id: int
    kind: str
    currency: str
    wallet_id: int
    amount: str = Field(description="Units in or out.")
    fee_eur: str
    net_eur: str = Field(description="Euros paid in (deposit) or paid out to the shop.")
    transaction: int


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
