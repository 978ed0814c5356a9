"""Every write of the ledger. Other apps post through these functions and nothing else.

All arguments are keyword-only. Each write is one database transaction: as the outermost block
``transaction.atomic(durable=True)`` with bounded, jittered retries of serialization failures,
deadlocks and SQLite's "database is locked"; inside a caller's atomic block it joins that
transaction (a savepoint) and the caller retries — see ``heelwijk.ledger.locking.run_atomic``.
Each locks the touched accounts in id order, checks balance per unit, open status and limits,
then takes the neighbourhood's ``LedgerHead`` lock (held to commit, so taken last) and in as few
statements as possible adds the changes to the stored balances, extends the hash chain and
writes an audit entry (raw SQL from the models' ``_meta``: ``actions/_journal_sql.py``). A
refusal raises a ``LedgerError`` subclass (``heelwijk.ledger.errors``) and writes nothing.

- ``unit_ensure(*, neighbourhood, code, name, symbol, decimals, kind, actor=None) -> Unit``
- ``account_open(*, neighbourhood, unit, code, name, type, owner_kind, owner=None,
  lower_limit=None, upper_limit=None, actor=None) -> Account``
- ``account_set_limits(*, account, lower_limit, upper_limit, actor, reason) -> Account``
- ``account_close(*, account, actor) -> Account``
- ``post_transaction(*, neighbourhood, kind, memo, actor, lines, idempotency_key=None,
  request_hash=None, effective_date=None) -> Transaction`` with ``lines`` a sequence of
  ``PostingLine(account, side, amount)``
- ``reverse_transaction(*, transaction, actor, reason, effective_date=None) -> Transaction``
- ``transfer(*, source, destination, amount, kind, memo, actor, idempotency_key=None,
  request_hash=None, effective_date=None) -> Transaction``
- ``post_batch(*, neighbourhood, kind, actor, transactions) -> list[Transaction]`` with
  ``transactions`` a sequence of ``BatchTransaction(memo, lines, effective_date=None,
  idempotency_key=None, request_hash=None)``
- ``ensure_standard_units(*, neighbourhood, actor=None) -> dict[str, Unit]``: EUR, HOUR, KWH.

Worked example (a member pays 25,00 dues into the bank)::

    eur = unit_ensure(neighbourhood=n, code="EUR", name="euro", symbol="€", decimals=2,
                      kind="eur")
    bank = account_open(neighbourhood=n, unit=eur, code="1100", name="Bank",
                        type="asset", owner_kind="wijkbedrijf")
    dues = account_open(neighbourhood=n, unit=eur, code="8000", name="Contributie",
                        type="income", owner_kind="wijkbedrijf")
    post_transaction(neighbourhood=n, kind="dues", memo="Contributie 2026", actor=staff,
                     lines=[PostingLine(bank, "D", to_minor("25.00", eur)),
                            PostingLine(dues, "C", 2500)])
    # bank.balance == 2500 (asset: debits - credits); dues.balance == 2500 (income: credits -
    # debits)
"""

from __future__ import annotations

from typing import Any

from heelwijk.neighbourhood.models import Neighbourhood

from ..models import Unit
from ..types import BatchTransaction, PostingLine
from .accounts import account_close, account_open, account_set_limits, unit_ensure
from .batch import post_batch
from .journal import post_transaction, reverse_transaction, transfer

__all__ = [
    "BatchTransaction",
    "PostingLine",
    "account_close",
    "account_open",
    "account_set_limits",
    "ensure_standard_units",
    "post_batch",
    "post_transaction",
    "reverse_transaction",
    "transfer",
    "unit_ensure",
]


def ensure_standard_units(*, neighbourhood: Neighbourhood, actor: Any = None) -> dict[str, Unit]:
    """The units every neighbourhood has: euros, hours of time credit and kWh."""
    specs = [
        ("EUR", "euro", "€", 2, Unit.Kind.EUR),
        ("HOUR", "uur", "u", 2, Unit.Kind.HOUR),
        ("KWH", "kilowattuur", "kWh", 3, Unit.Kind.KWH),
    ]
    return {
        code: unit_ensure(
            neighbourhood=neighbourhood,
            code=code,
            name=name,
            symbol=symbol,
            decimals=decimals,
            kind=str(kind),
            actor=actor,
        )
        for code, name, symbol, decimals, kind in specs
    }
