"""The journal: units, accounts, transactions and their postings, and the hash-chain head.

Conventions (chosen once, relied on everywhere):

- Amounts are integers in the unit's minor units (cents, thousandths of a kWh, ...). Every
  ``Posting.amount`` is > 0 and has an explicit ``side``: "D" (debit) or "C" (credit).
- An account's ``balance`` is kept on its *normal side*. Debit-normal types (asset, expense):
  balance = debits - credits. Credit-normal types (liability, income, equity): balance =
  credits - debits. So a household's deposit held by the wijkbedrijf (a liability) shows +25,00
  after 25,00 was credited to it, and the bank account (an asset) +25,00 after the matching debit.
- ``lower_limit`` / ``upper_limit`` (nullable, minor units) bound that balance; a credit limit is
  a lower limit below zero. The database also checks them, as a last line of defence.
- Every row carries its neighbourhood: the scope of every query and the future shard key.

Write rules: ``Transaction`` and ``Posting`` rows are append-only. ``save()`` of an existing row,
``delete()``, and querysets' ``update()``/``delete()`` raise ``TransactionImmutable``; new rows
may only be added inside ``heelwijk.ledger.actions`` (which opens ``journal_writes()``). On
PostgreSQL a trigger refuses UPDATE and DELETE of those tables as well (migration 0002).
``Account.balance`` changes only through the actions: ``Account.save()`` never writes it and
``Account.objects.update(balance=...)`` is refused outside them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.models import Household, Neighbourhood, Organisation, Person

from .errors import TransactionImmutable
from .types import BatchTransaction, PostingLine

__all__ = [
    "Account",
    "BatchTransaction",
    "LedgerHead",
    "Posting",
    "PostingLine",
    "Transaction",
    "Unit",
    "journal_writes",
]

_JOURNAL_WRITES: ContextVar[bool] = ContextVar("heelwijk_ledger_journal_writes", default=False)


@contextmanager
def journal_writes() -> Iterator[None]:
    """Open the model guards for the duration of one action. Only ``ledger.actions`` uses it."""
    token = _JOURNAL_WRITES.set(True)
    try:
        yield
    finally:
        _JOURNAL_WRITES.reset(token)


def journal_writes_open() -> bool:
    return _JOURNAL_WRITES.get()


class Unit(models.Model):
    """What an amount counts: euros, a local currency, hours of time credit, kWh."""

    class Kind(models.TextChoices):
        EUR = "eur", _("euro")
        LOCAL_CURRENCY = "local_currency", _("local currency")
        HOUR = "hour", _("hours (time credit)")
        KWH = "kwh", _("kilowatt-hours")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="ledger_units"
    )
    code = models.CharField(
        _("code"), max_length=16, help_text=_("Short capitals, e.g. EUR, HOUR, KWH.")
    )
    name = models.CharField(_("name"), max_length=80)
    symbol = models.CharField(_("symbol"), max_length=12, blank=True)
    decimals = models.PositiveSmallIntegerField(
        _("decimals"), help_text=_("Digits after the decimal point: 2 for euros, 3 for kWh.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "code"], name="ledger_unit_unique"),
            models.CheckConstraint(
                condition=Q(decimals__gte=0, decimals__lte=6), name="ledger_unit_decimals_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class AccountQuerySet(models.QuerySet["Account"]):
    def update(self, **kwargs: Any) -> int:
        if "balance" in kwargs and not journal_writes_open():
            raise TransactionImmutable(
                _("An account's balance changes only by posting a transaction.")
            )
        return super().update(**kwargs)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        if any(account.balance != 0 for account in objs):
            raise TransactionImmutable(_("A new account starts with a balance of zero."))
        return super().bulk_create(objs, *args, **kwargs)


class Account(models.Model):
    """A place value is kept: one unit, one type, one owner, optional limits."""

    class Type(models.TextChoices):
        ASSET = "asset", _("asset")
        LIABILITY = "liability", _("liability")
        INCOME = "income", _("income")
        EXPENSE = "expense", _("expense")
        EQUITY = "equity", _("equity")

    class OwnerKind(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")
        FUND = "fund", _("fund")
        WIJKBEDRIJF = "wijkbedrijf", _("wijkbedrijf")
        SYSTEM = "system", _("system")

    DEBIT_NORMAL: ClassVar[frozenset[str]] = frozenset({Type.ASSET, Type.EXPENSE})

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("unit")
    )
    code = models.CharField(
        _("code"), max_length=40, help_text=_("Unique in the neighbourhood, e.g. 1100 or HH-12.")
    )
    name = models.CharField(_("name"), max_length=160)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    owner_kind = models.CharField(_("owner"), max_length=16, choices=OwnerKind.choices)
    owner_household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("household"),
    )
    owner_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("person"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("organisation"),
    )
    lower_limit = models.BigIntegerField(
        _("lower limit"),
        null=True,
        blank=True,
        help_text=_("In minor units; below zero for a credit limit. Empty: no limit."),
    )
    upper_limit = models.BigIntegerField(
        _("upper limit"), null=True, blank=True, help_text=_("In minor units. Empty: no limit.")
    )
    balance = models.BigIntegerField(_("balance"), default=0, editable=False)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "code"], name="ledger_account_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(lower_limit__isnull=True)
                | Q(upper_limit__isnull=True)
                | Q(lower_limit__lte=F("upper_limit")),
                name="ledger_account_limits_ordered",
            ),
            models.CheckConstraint(
                condition=Q(lower_limit__isnull=True) | Q(balance__gte=F("lower_limit")),
                name="ledger_account_balance_above_lower_limit",
            ),
            models.CheckConstraint(
                condition=Q(upper_limit__isnull=True) | Q(balance__lte=F("upper_limit")),
                name="ledger_account_balance_below_upper_limit",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        owner_kind="household",
                        owner_household__isnull=False,
                        owner_person__isnull=True,
                        owner_organisation__isnull=True,
                    )
                    | Q(
                        owner_kind="person",
                        owner_household__isnull=True,
                        owner_person__isnull=False,
                        owner_organisation__isnull=True,
                    )
                    | Q(
                        owner_kind="organisation",
                        owner_household__isnull=True,
                        owner_person__isnull=True,
                        owner_organisation__isnull=False,
                    )
                    | Q(
                        owner_kind="wijkbedrijf",
                        owner_household__isnull=True,
                        owner_person__isnull=True,
                    )
                    | Q(
                        owner_kind__in=["fund", "system"],
                        owner_household__isnull=True,
                        owner_person__isnull=True,
                        owner_organisation__isnull=True,
                    )
                ),
                name="ledger_account_owner_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "unit", "code"], name="ledger_account_by_unit")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A stale in-memory balance must never overwrite the stored one (a lost update): saving
        # an existing account writes every field except the balance.
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None:
                kwargs["update_fields"] = [
                    f.name
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.name != "balance"
                ]
            elif "balance" in fields:
                raise TransactionImmutable(
                    _("An account's balance changes only by posting a transaction.")
                )
        elif self.balance != 0:
            raise TransactionImmutable(_("A new account starts with a balance of zero."))
        super().save(*args, **kwargs)

    @property
    def is_debit_normal(self) -> bool:
        return self.type in self.DEBIT_NORMAL

    @property
    def normal_side(self) -> str:
        return Posting.Side.DEBIT if self.is_debit_normal else Posting.Side.CREDIT

    def effect(self, side: str, amount: int) -> int:
        """How a posting of ``amount`` on ``side`` changes this account's balance."""
        return amount if side == self.normal_side else -amount

    @property
    def owner(self) -> Household | Person | Organisation | None:
        return self.owner_household or self.owner_person or self.owner_organisation


class LedgerHead(models.Model):
    """The end of a neighbourhood's hash chain. Writers lock this row to append to the chain."""

    neighbourhood = models.OneToOneField(
        Neighbourhood, on_delete=models.PROTECT, related_name="ledger_head"
    )
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger heads")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class JournalQuerySet(models.QuerySet[Any]):
    """Querysets of journal rows refuse update() and delete(); bulk_create only in actions."""

    def update(self, **kwargs: Any) -> int:
        raise TransactionImmutable()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TransactionImmutable()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        if not journal_writes_open():
            raise TransactionImmutable()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise TransactionImmutable()


class JournalRow(models.Model):
    """Shared guard: a journal row is inserted once, by an action, and never changed."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or not journal_writes_open():
            raise TransactionImmutable()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TransactionImmutable()


class Transaction(JournalRow):
    """One balanced, immutable event in the journal, linked into its neighbourhood's chain."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="ledger_transactions",
        db_index=False,  # the (neighbourhood, seq) unique index serves lookups
    )
    seq = models.BigIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=40)
    memo = models.CharField(_("description"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    effective_date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("entered at"))
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("reverses"),
        db_index=False,  # the partial unique index "ledger_txn_reversed_once" serves lookups
    )
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = JournalQuerySet.as_manager()

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["neighbourhood", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "seq"], name="ledger_txn_unique_seq"),
            models.UniqueConstraint(
                fields=["neighbourhood", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="ledger_txn_unique_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(reverses__isnull=False),
                name="ledger_txn_reversed_once",
            ),
            models.CheckConstraint(condition=Q(seq__gte=1), name="ledger_txn_seq_positive"),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "effective_date"], name="ledger_txn_by_date")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.memo}"


class Posting(JournalRow):
    """One side of a transaction on one account: a positive amount, debit or credit."""

    class Side(models.TextChoices):
        DEBIT = "D", _("debit")
        CREDIT = "C", _("credit")

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="postings")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="postings",
        db_index=False,  # the statement index starts with account
    )
    side = models.CharField(_("side"), max_length=1, choices=Side.choices)
    amount = models.BigIntegerField(_("amount"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Copied from the transaction so statements and balances at a date read one index.
    effective_date = models.DateField(_("date"))

    objects = JournalQuerySet.as_manager()

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["transaction", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_posting_amount_pos"),
            models.CheckConstraint(condition=Q(side__in=["D", "C"]), name="ledger_posting_side"),
        ]
        indexes = [
            models.Index(
                fields=["account", "effective_date", "id"], name="ledger_posting_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.amount} {self.account_id}"
