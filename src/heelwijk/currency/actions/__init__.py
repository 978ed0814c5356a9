"""Every write of the local currency. Units move only through ``heelwijk.ledger.actions``.

All arguments are keyword-only; amounts are integer minor units (parse typed amounts with
``heelwijk.currency.amounts.parse_amount``). A refusal is a ``ValidationError`` keyed by the
field to correct and nothing is written; ``RequestConflict`` means an idempotency key was
reused for another request.

Configuration (staff):
- ``currency_create(*, neighbourhood, actor, code, name, symbol, model, community_limit=None,
  **options) -> Currency``; ``currency_update(*, currency, actor, **changes) -> Currency``
- ``trust_rule_add(*, currency, actor, wallet_kind, min_trades, credit_limit)``,
  ``trust_rule_delete(*, rule, actor)``
- ``authorisation_grant(*, currency, organisation, actor, monthly_hours_cap=None)``,
  ``authorisation_revoke(*, grant, actor)``

Wallets:
- ``wallet_open(*, currency, holder, actor, payment_code=None, category=None, is_listed=True,
  name=None) -> Wallet`` (holder: Household, Person or Organisation)
- ``wallet_update(*, wallet, actor, name=None, category=None, is_listed=None)``
- ``wallet_set_limit(*, wallet, credit_limit, actor, reason, source="manual")``
- ``wallet_close(*, wallet, actor)``; ``trust_apply(*, wallet, actor=None)``

Paying:
- ``payment_create(*, payer, payee, amount, actor, description="", category=None,
  request=None, idempotency_key=None, effective_date=None) -> Payment``
- ``payment_request_create(*, payee, amount, actor, description="") -> PaymentRequest``
- ``payment_request_pay(*, request, payer, actor, idempotency_key=None) -> Payment``
- ``payment_request_cancel(*, request, actor) -> PaymentRequest``
- ``payments_import(*, currency, items, actor) -> list[Payment]``: many ``PaymentItem``s in one
  ledger batch, all or none

Earning and issuing:
- ``volunteer_credit_create(*, currency, wallet, hours, activity, reason, actor,
  organisation=None, activity_date=None, idempotency_key=None) -> VolunteerCredit``
- ``euro_deposit(*, currency, wallet, amount, actor, note="", idempotency_key=None,
  effective_date=None)``
- ``redemption_create(*, wallet, amount, actor, idempotency_key=None, effective_date=None)``

Periodic:
- ``demurrage_apply(*, currency, until, actor=None, dry_run=False) -> list[DemurrageResult]``
- ``expiry_apply(*, currency, as_of, actor=None) -> ExpiryResult``
"""

from .config import (
    authorisation_grant,
    authorisation_revoke,
    currency_create,
    currency_update,
    trust_rule_add,
    trust_rule_delete,
)
from .issue import euro_deposit, redemption_create, redemption_fee, volunteer_credit_create
from .payments import (
    PaymentItem,
    payment_create,
    payment_request_cancel,
    payment_request_create,
    payment_request_pay,
    payments_import,
)
from .periodic import (
    DemurrageResult,
    ExpiryResult,
    demurrage_apply,
    demurrage_periods,
    expiry_apply,
    period_containing,
)
from .wallets import (
    clean_payment_code,
    completed_trades,
    resident_holder,
    trust_apply,
    wallet_close,
    wallet_open,
    wallet_set_limit,
    wallet_update,
)

__all__ = [
    "DemurrageResult",
    "ExpiryResult",
    "PaymentItem",
    "authorisation_grant",
    "authorisation_revoke",
    "clean_payment_code",
    "completed_trades",
    "currency_create",
    "currency_update",
    "demurrage_apply",
    "demurrage_periods",
    "euro_deposit",
    "expiry_apply",
    "payment_create",
    "payment_request_cancel",
    "payment_request_create",
    "payment_request_pay",
    "payments_import",
    "period_containing",
    "redemption_create",
    "redemption_fee",
    "resident_holder",
    "trust_apply",
    "trust_rule_add",
    "trust_rule_delete",
    "volunteer_credit_create",
    "wallet_close",
    "wallet_open",
    "wallet_set_limit",
    "wallet_update",
]
