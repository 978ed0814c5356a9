"""Why the ledger refused a write: every refusal is a LedgerError with a translatable message.

``LedgerError`` is a :class:`django.core.exceptions.ValidationError`, so forms, the JSON API
(400 with ``{"detail", "errors"}``) and the CLI show its message without special handling. Each
subclass also keeps the facts behind the message as attributes (the account, the limit, ...),
so an interface can react to them without parsing text. Messages are formatted lazily: they
appear in the language active where they are shown.

Subclasses:

- ``InvalidAmount``: an amount that is a float, has more decimals than its unit, or is not > 0.
- ``Unbalanced``: debits and credits of a unit differ, or a transaction has fewer than two lines.
- ``LimitExceeded``: a balance would pass an account's lower or upper limit.
- ``ClosedAccount``: a posting to a closed account, or closing one that is not empty.
- ``UnitMismatch``: accounts or amounts of different units where one unit is needed.
- ``IdempotencyConflict``: an idempotency key reused for a different request.
- ``AlreadyReversed``: a second reversal of the same transaction.
- ``TransactionImmutable``: an attempt to change or delete journal rows, or to write them
  outside ``heelwijk.ledger.actions``.
- ``BatchRejected``: ``post_batch`` refused one or more of its transactions; ``errors`` lists
  ``(index, LedgerError)`` pairs and nothing was written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Account, Transaction


class LedgerError(ValidationError):
    """A write the ledger refused. Nothing was written."""

    default_code = "ledger_error"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(cast(str, message), code=code or self.default_code, params=params)

    def __str__(self) -> str:
        return " ".join(str(m) for m in self.messages)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class InvalidAmount(LedgerError):
    default_code = "invalid_amount"


class Unbalanced(LedgerError):
    default_code = "unbalanced"


class LimitExceeded(LedgerError):
    """A balance would pass a limit. ``which`` is "lower" or "upper"; amounts in minor units."""

    default_code = "limit_exceeded"

    def __init__(
        self, *, account: Account, limit: int, new_balance: int, which: str, new: bool = False
    ) -> None:
        """``new=True``: a limit being set that the current balance ``new_balance`` breaks."""
        from .money import format_amount_lazy as format_amount

        self.account = account
        self.limit = limit
        self.new_balance = new_balance
        self.which = which
        params = {
            "code": account.code,
            "name": account.name,
            "balance": format_amount(new_balance, account.unit),
            "limit": format_amount(limit, account.unit),
        }
        if new and which == "lower":
            message = _(
                "Refused: the balance of account %(code)s “%(name)s” is %(balance)s, below the "
                "new lower limit of %(limit)s."
            )
        elif new:
            message = _(
                "Refused: the balance of account %(code)s “%(name)s” is %(balance)s, above the "
                "new upper limit of %(limit)s."
            )
        elif which == "lower":
            message = _(
                "Refused: the balance of account %(code)s “%(name)s” would become "
                "%(balance)s, below its lower limit of %(limit)s."
            )
        else:
            message = _(
                "Refused: the balance of account %(code)s “%(name)s” would become "
                "%(balance)s, above its upper limit of %(limit)s."
            )
        super().__init__(message, params=params)


class ClosedAccount(LedgerError):
    default_code = "closed_account"

    def __init__(
        self, message: str | Promise, *, account: Account, extra: dict[str, Any] | None = None
    ) -> None:
        self.account = account
        params = {"code": account.code, "name": account.name, **(extra or {})}
        super().__init__(message, params=params)


class UnitMismatch(LedgerError):
    default_code = "unit_mismatch"


class IdempotencyConflict(LedgerError):
    default_code = "idempotency_conflict"

    def __init__(self, *, key: str, existing: Transaction) -> None:
        self.key = key
        self.existing = existing
        super().__init__(
            _(
                "The idempotency key “%(key)s” was already used for another request "
                "(transaction #%(seq)s)."
            ),
            params={"key": key, "seq": existing.seq},
        )


class AlreadyReversed(LedgerError):
    default_code = "already_reversed"

    def __init__(self, *, transaction: Transaction) -> None:
        self.transaction = transaction
        super().__init__(
            _("Transaction #%(seq)s has already been reversed."),
            params={"seq": transaction.seq},
        )


class TransactionImmutable(LedgerError):
    default_code = "transaction_immutable"

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(
            message
            or _(
                "Journal entries are never changed or deleted, and only the ledger actions add "
                "them. Correct a mistake with a reversing transaction."
            )
        )


class BatchRejected(LedgerError):
    default_code = "batch_rejected"

    def __init__(self, *, errors: list[tuple[int, LedgerError]], total: int) -> None:
        self.errors = errors
        self.total = total
        super().__init__(
            _("%(refused)s of %(total)s transactions were refused; nothing was posted."),
            params={"refused": len(errors), "total": total},
        )
