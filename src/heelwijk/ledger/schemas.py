"""Request and response shapes of the ledger's JSON API.

Amounts travel as decimal strings in the account's unit ("12.50" euro, "1.250" kWh), never as
JSON numbers: a JSON number is a binary float to most clients. Each amount in an answer also
comes as whole minor units (``*_minor``). Input is strict (exact JSON types, no unknown
fields); an amount that looks like a number but does not fit its unit (too many decimals, zero,
negative) passes the schema and is refused by the ledger with 400 and a clear message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator

from heelwijk.neighbourhood.schemas import (
    MAX_LIMIT,
    InputSchema,
    IsoDate,
    ObjectId,
    Search,
    _error,
    text,
)

from .models import Account, Unit

AMOUNT_PATTERN = "^-?[0-9]{1,18}(\\.[0-9]{1,12})?$"
IDEMPOTENCY_KEY_PATTERN = "^[!-~]{1,128}$"
KIND_PATTERN = "^[a-z0-9][a-z0-9_.:-]{0,39}$"
MAX_STATEMENT_PER_PAGE = 100
MAX_LINES = 50


def _amount_text(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _error(
            "amount_type",
            _("Send an amount as a string with a dot, e.g. “12.50”, never as a JSON number."),
        )
    return value


Amount = Annotated[
    str,
    BeforeValidator(_amount_text),
    Field(
        pattern=AMOUNT_PATTERN,
        max_length=32,
        description=(
            "A decimal string with a dot, in the account's unit, e.g. “12.50” (euro) or "
            "“1.250” (kWh). More than zero and with at most the unit's decimals."
        ),
        examples=["12.50"],
    ),
]
Side = Literal["D", "C"]
AccountType = Literal[tuple(Account.Type.values)]
OwnerKind = Literal[tuple(Account.OwnerKind.values)]
UnitKind = Literal[tuple(Unit.Kind.values)]
Kind = Annotated[
    str,
    Field(
        pattern=KIND_PATTERN,
        max_length=40,
        description="A short code of what kind of movement this is, e.g. “dues” or “purchase”.",
    ),
]


# --- shared ---------------------------------------------------------------------------------------


class LedgerErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the caller's language.")
    code: str | None = Field(
        None,
        description=(
            "For refusals by the ledger: invalid_amount, unbalanced, limit_exceeded, "
            "closed_account, unit_mismatch, idempotency_conflict, already_reversed, ledger_error."
        ),
    )
    errors: dict[str, list[str]] | list[dict[str, Any]] | None = Field(
        None, description="Per field messages (400) or schema errors (422)."
    )


class LedgerUnitOut(Schema):
    code: str
    name: str
    symbol: str
    decimals: int
    kind: UnitKind


class LedgerAccountOut(Schema):
    id: int
    code: str
    name: str
    type: AccountType
    owner_kind: OwnerKind
    owner_id: int | None = Field(description="The household, person or organisation that owns it.")
    unit: str = Field(description="The unit's code, e.g. EUR.")
    balance: str = Field(description="The balance now, on the account's normal side.")
    balance_minor: int
    lower_limit: str | None
    upper_limit: str | None
    is_open: bool


class LedgerAccountPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LedgerAccountOut]


class LedgerAccountFilters(Schema):
    limit: int = Field(25, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, le=10**9, description="Rows to skip.")
    search: Search = ""
    unit: str = Field(
        "", max_length=16, pattern="^[A-Z0-9_]*$", description="Only accounts in this unit (code)."
    )


class LedgerBalanceOut(Schema):
    account_id: int
    code: str
    unit: str
    at: date | None = Field(description="The date asked for; null means now.")
    balance: str
    balance_minor: int


class LedgerAtParams(Schema):
    at: IsoDate | None = Field(
        None, description="A date (YYYY-MM-DD): the balance after every posting up to that day."
    )


class LedgerStatementParams(Schema):
    page: int = Field(1, ge=1, le=10**9)
    per_page: int = Field(25, ge=1, le=MAX_STATEMENT_PER_PAGE)
    since: IsoDate | None = Field(None, description="Only postings on or after this date.")
    until: IsoDate | None = Field(None, description="Only postings on or before this date.")
    newest_first: bool = False


class LedgerStatementRowOut(Schema):
    transaction_id: int
    seq: int
    date: date
    kind: str
    memo: str
    side: Side
    amount: str
    change: str = Field(description="The signed effect on the balance.")
    change_minor: int
    balance: str = Field(description="The running balance after this posting.")
    balance_minor: int
    counter_accounts: list[str]
    reverses_id: int | None


class LedgerStatementOut(Schema):
    account: LedgerAccountOut
    page: int
    per_page: int
    count: int
    num_pages: int
    opening_balance: str
    closing_balance: str
    rows: list[LedgerStatementRowOut]


class LedgerTrialBalanceRowOut(Schema):
    account_id: int
    code: str
    name: str
    type: AccountType
    balance: str
    debit: str
    credit: str


class LedgerTypeTotalOut(Schema):
    type: AccountType
    debit: str
    credit: str


class LedgerUnitTrialBalanceOut(Schema):
    unit: LedgerUnitOut
    debit: str
    credit: str
    balanced: bool
    by_type: list[LedgerTypeTotalOut]
    rows: list[LedgerTrialBalanceRowOut]


class LedgerTrialBalanceOut(Schema):
    at: date | None
    units: list[LedgerUnitTrialBalanceOut]


class LedgerTrialBalanceParams(LedgerAtParams):
    unit: str = Field(
        "", max_length=16, pattern="^[A-Z0-9_]*$", description="Only this unit (code)."
    )


class LedgerPostingOut(Schema):
    account_id: int
    account_code: str
    account_name: str
    side: Side
    amount: str
    amount_minor: int
    unit: str


class LedgerTransactionOut(Schema):
    """A posted transaction. Immutable, so a replayed idempotent request gets the same JSON."""

    id: int
    seq: int
    kind: str
    memo: str
    effective_date: date
    created_at: datetime
    actor_id: int | None
    reverses_id: int | None
    reason: str
    hash: str
    postings: list[LedgerPostingOut]


class LedgerTransactionDetailOut(LedgerTransactionOut):
    reversed_by_id: int | None = Field(description="The transaction that reversed this one.")


class LedgerTransactionSummaryOut(Schema):
    id: int
    seq: int
    kind: str
    memo: str
    effective_date: date
    created_at: datetime
    reverses_id: int | None
    reversed_by_id: int | None
    posting_count: int


class LedgerTransactionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LedgerTransactionSummaryOut]


class LedgerTransactionFilters(Schema):
    limit: int = Field(25, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, le=10**9, description="Rows to skip.")
    search: Search = ""
    kind: str = Field("", max_length=40, pattern="^[a-z0-9_.:-]*$")


# --- writes ---------------------------------------------------------------------------------------


class LedgerTransferIn(InputSchema):
    source_account_id: ObjectId = Field(description="The account whose balance goes down.")
    destination_account_id: ObjectId = Field(description="The account whose balance goes up.")
    amount: Amount
    memo: text(255, required=False) = ""
    effective_date: IsoDate | None = Field(None, description="Defaults to today.")


class LedgerLineIn(InputSchema):
    account_id: ObjectId
    side: Side = Field(description="“D” for debit, “C” for credit.")
    amount: Amount


class LedgerTransactionIn(InputSchema):
    kind: Kind
    memo: text(255, required=False) = ""
    effective_date: IsoDate | None = Field(None, description="Defaults to today.")
    lines: list[LedgerLineIn] = Field(
        min_length=2, max_length=MAX_LINES, description="At least two; debits equal credits."
    )


class LedgerReverseIn(InputSchema):
    reason: text(1000) = Field(description="Why the transaction is reversed; required.")
    effective_date: IsoDate | None = Field(
        None, description="The day the reversal counts in the books; defaults to today."
    )
