"""Local currencies on the ledger: configuration, wallets and the records behind every movement.

Every unit of a currency lives in the ledger (``heelwijk.ledger``): a currency is a ledger
``Unit``, a wallet is a ledger ``Account`` (type liability, balance on the credit side, a credit
limit is its lower limit below zero). The rows here say what a movement *was* — a payment, a
volunteering credit, a euro deposit or redemption — and link to the ledger transaction that
moved the units. They are written only by ``heelwijk.currency.actions``.

How each model of currency is booked (all wallets are liability accounts of the currency unit):

- time credit and mutual credit: units are created by credit. Wallets may go below zero down to
  their credit limit; the community account pays volunteering credits. The sum of all wallets
  is always zero.
- reward coin: the wijkbedrijf issues coins for volunteering: debit the issuance account (an
  asset that counts the coins out there), credit the volunteer's wallet. Wallets never go below
  zero, so the sum of all wallets equals the issuance account.
- euro-backed voucher: a euro deposit books four lines: in the currency debit issuance, credit
  the wallet; in euros debit the reserve (asset), credit "units outstanding" (liability). A
  redemption reverses that and moves the fee from the reserve to the wijkbedrijf's own fee
  account, so the reserve always equals the units in circulation.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heelwijk.ledger.models import Account, Transaction, Unit
from heelwijk.neighbourhood.models import Area, Household, Neighbourhood, Organisation, Person

CODE_PATTERN = r"^[A-Z][A-Z0-9]{1,9}$"
PAYMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out
PAYMENT_CODE_LENGTH = 8


class CurrencyModel(models.TextChoices):
    TIME_CREDIT = "time_credit", _("time credit (1 hour = 1 unit)")
    MUTUAL_CREDIT = "mutual_credit", _("mutual credit")
    EURO_BACKED = "euro_backed", _("euro-backed voucher")
    REWARD_COIN = "reward_coin", _("reward coin issued by the wijkbedrijf")


class DemurragePeriod(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class Category(models.TextChoices):
    """What a payment was for; the circulation page shows the top categories."""

    GROCERIES = "groceries", _("groceries")
    FOOD_DRINK = "food_drink", _("food and drink")
    SERVICES = "services", _("services")
    REPAIRS = "repairs", _("odd jobs and repairs")
    CARE = "care", _("care and help")
    LEISURE = "leisure", _("leisure and culture")
    NEIGHBOURS = "neighbours", _("between neighbours")
    OTHER = "other", _("other")


# Not a payment category: the label the circulation page gives volunteering credits.
VOLUNTEERING = "volunteering"


class Currency(models.Model):
    """A local currency of one neighbourhood and how it works."""

    class ResidentWallets(models.TextChoices):
        HOUSEHOLD = "household", _("one wallet per household")
        PERSON = "person", _("one wallet per person")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="currencies"
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[RegexValidator(CODE_PATTERN, _("Use 2 to 10 capitals or digits, e.g. LINDE."))],
        help_text=_("2 to 10 capitals or digits, e.g. LINDE. Cannot be changed later."),
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("For example “Linde”."))
    symbol = models.CharField(_("symbol"), max_length=6, help_text=_("For example “L”."))
    model = models.CharField(
        _("model"),
        max_length=16,
        choices=CurrencyModel.choices,
        help_text=_("How units come into being. Cannot be changed later."),
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only a currency in use accepts payments.")
    )
    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="currency")
    community_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("community account")
    )
    issuance_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reserve_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outstanding_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fee_cash_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fee_income_account = models.OneToOneField(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident_wallets = models.CharField(
        _("wallets of residents"),
        max_length=10,
        choices=ResidentWallets.choices,
        default=ResidentWallets.HOUSEHOLD,
    )
    # Default credit limits for new wallets, in minor units (a limit of 5000 lets a wallet go
    # down to -50,00). Changing them leaves existing wallets as they are.
    limit_household = models.BigIntegerField(_("credit limit of a household"), default=0)
    limit_person = models.BigIntegerField(_("credit limit of a person"), default=0)
    limit_shop = models.BigIntegerField(_("credit limit of a shop"), default=0)
    limit_organisation = models.BigIntegerField(_("credit limit of an organisation"), default=0)
    units_per_hour = models.BigIntegerField(
        _("units per volunteering hour"),
        default=100,
        help_text=_("How much one hour of volunteering earns, in hundredths of a unit."),
    )
    demurrage_rate = models.DecimalField(
        _("demurrage (% per period)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
        help_text=_("0 means no demurrage."),
    )
    demurrage_period = models.CharField(
        _("demurrage period"),
        max_length=8,
        choices=DemurragePeriod.choices,
        default=DemurragePeriod.MONTH,
    )
    demurrage_after_days = models.PositiveIntegerField(
        _("demurrage after (days)"),
        default=90,
        validators=[MaxValueValidator(3650)],
        help_text=_("Only the part of a balance that was not spent for this many days is charged."),
    )
    demurrage_start = models.DateField(
        _("demurrage from"),
        null=True,
        blank=True,
        help_text=_("The first period charged is the first whole period on or after this date."),
    )
    expiry_days = models.PositiveIntegerField(
        _("balances expire after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_(
            "A balance on a wallet without any movement for this many days goes back to the "
            "community account. Empty: balances never expire."
        ),
    )
    redemption_enabled = models.BooleanField(_("shops can exchange units for euros"), default=False)
    redemption_fee_percent = models.DecimalField(
        _("exchange fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        ordering = ["neighbourhood", "name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "code"], name="currency_unique_code"),
            models.CheckConstraint(
                condition=Q(limit_household__gte=0)
                & Q(limit_person__gte=0)
                & Q(limit_shop__gte=0)
                & Q(limit_organisation__gte=0)
                & Q(units_per_hour__gt=0),
                name="currency_limits_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_issued(self) -> bool:
        """Units come from the issuance account (reward coin, euro-backed), not from credit."""
        return self.model in (CurrencyModel.EURO_BACKED, CurrencyModel.REWARD_COIN)

    @property
    def allows_credit(self) -> bool:
        return self.model in (CurrencyModel.TIME_CREDIT, CurrencyModel.MUTUAL_CREDIT)

    @property
    def is_euro_backed(self) -> bool:
        return self.model == CurrencyModel.EURO_BACKED

    @property
    def has_demurrage(self) -> bool:
        return self.demurrage_rate > 0 and self.demurrage_start is not None

    def default_limit(self, kind: str) -> int:
        return {
            Wallet.Kind.HOUSEHOLD: self.limit_household,
            Wallet.Kind.PERSON: self.limit_person,
            Wallet.Kind.SHOP: self.limit_shop,
            Wallet.Kind.ORGANISATION: self.limit_organisation,
        }.get(kind, 0)


class Wallet(models.Model):
    """Somebody's account in a currency: a household's or person's, a shop's, an
    organisation's, or the wijkbedrijf's community account."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("household")
        PERSON = "person", _("person")
        SHOP = "shop", _("shop")
        ORGANISATION = "organisation", _("organisation")
        COMMUNITY = "community", _("community account")

    RESIDENT_KINDS = frozenset({Kind.HOUSEHOLD, Kind.PERSON})

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="wallets")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="wallet")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="wallets"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="wallets"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="wallets"
    )
    name = models.CharField(_("name"), max_length=160)
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payment_code = models.CharField(_("payment code"), max_length=PAYMENT_CODE_LENGTH, unique=True)
    category = models.CharField(
        _("what is paid here"),
        max_length=16,
        choices=Category.choices,
        default=Category.NEIGHBOURS,
        help_text=_("Payments to this wallet count in this category."),
    )
    is_listed = models.BooleanField(_("others can find this wallet by name"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        ordering = ["currency", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "household"],
                condition=Q(household__isnull=False),
                name="currency_wallet_one_per_household",
            ),
            models.UniqueConstraint(
                fields=["currency", "person"],
                condition=Q(person__isnull=False),
                name="currency_wallet_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["currency", "organisation"],
                condition=Q(organisation__isnull=False) & ~Q(kind="community"),
                name="currency_wallet_one_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["currency"],
                condition=Q(kind="community"),
                name="currency_wallet_one_community",
            ),
        ]
        indexes = [models.Index(fields=["currency", "kind", "name"], name="currency_wallet_find")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_resident(self) -> bool:
        return self.kind in self.RESIDENT_KINDS

    @property
    def is_community(self) -> bool:
        return self.kind == self.Kind.COMMUNITY

    @property
    def credit_limit(self) -> int | None:
        """How far below zero the wallet may go (minor units); None: no limit."""
        lower = self.account.lower_limit
        return None if lower is None else -lower


class IdempotentRecord(models.Model):
    """A record that a client may create twice with the same key: the second time it gets the
    first one back (same key, same request) or is refused (same key, other request)."""

    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True


class PaymentRequest(models.Model):
    """A shop (or anyone with a wallet) asks for an amount; the payer confirms and pays it."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for payment")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="requests")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="requests")
    amount = models.BigIntegerField(_("amount"))
    description = models.CharField(_("description"), max_length=140, blank=True)
    token = models.CharField(max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="currency_request_amount_pos")
        ]

    def __str__(self) -> str:
        return f"{self.payee} {self.amount}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.OPEN and self.expires_at <= timezone.now()


class Payment(IdempotentRecord):
    """Units moved from one wallet to another because somebody paid."""

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="payments")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="payments_made")
    payee = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="payments_received")
    amount = models.BigIntegerField(_("amount"))
    description = models.CharField(_("description"), max_length=140, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    transaction = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField(
        PaymentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="payment"
    )
    payer_balance_after = models.BigIntegerField()
    payee_balance_after = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    effective_date = models.DateField()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="currency_payment_amount_pos"),
            models.CheckConstraint(
                condition=~Q(payer=models.F("payee")), name="currency_payment_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["neighbourhood", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="currency_payment_unique_key",
            ),
        ]
        indexes = [
            models.Index(fields=["payer", "created_at"], name="currency_payment_by_payer"),
            models.Index(fields=["payee", "created_at"], name="currency_payment_by_payee"),
            models.Index(fields=["currency", "effective_date"], name="currency_payment_by_date"),
        ]

    def __str__(self) -> str:
        return f"{self.payer} → {self.payee}: {self.amount}"


class CreditAuthorisation(models.Model):
    """Staff let an organisation credit volunteering hours in a currency."""

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="authorisations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="currency_authorisations"
    )
    monthly_hours_cap = models.DecimalField(
        _("at most hours per month"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("Empty: no maximum."),
    )
    is_active = models.BooleanField(default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("authorisation to credit hours")
        verbose_name_plural = _("authorisations to credit hours")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "organisation"], name="currency_authorisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} - {self.currency}"


class VolunteerCredit(IdempotentRecord):
    """Hours of volunteering credited to a wallet, with the reason and the activity."""

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="credits")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="credits")
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    amount = models.BigIntegerField(_("amount"))
    activity = models.CharField(_("activity"), max_length=120)
    reason = models.CharField(_("reason"), max_length=500)
    activity_date = models.DateField(_("date of the activity"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transaction = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="+")
    credited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("volunteering credit")
        verbose_name_plural = _("volunteering credits")
        ordering = ["-activity_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="currency_credit_amount_pos"),
            models.UniqueConstraint(
                fields=["neighbourhood", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="currency_credit_unique_key",
            ),
        ]
        indexes = [
            models.Index(fields=["currency", "activity_date"], name="currency_credit_by_date")
        ]

    def __str__(self) -> str:
        return f"{self.wallet}: {self.hours} h {self.activity}"


class ReserveMovement(IdempotentRecord):
    """Euros in or out of a euro-backed currency's reserve: a deposit issues units 1:1, a
    redemption takes them back and pays euros minus the fee."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("euro deposit")
        REDEMPTION = "redemption", _("exchange for euros")

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="reserve_moves")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="reserve_moves")
    amount = models.BigIntegerField(_("units"))
    fee = models.BigIntegerField(_("fee in euro cents"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    transaction = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    effective_date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("reserve movement")
        verbose_name_plural = _("reserve movements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="currency_reserve_amount_pos"),
            models.CheckConstraint(
                condition=Q(fee__gte=0) & Q(fee__lte=models.F("amount")),
                name="currency_reserve_fee_range",
            ),
            models.UniqueConstraint(
                fields=["neighbourhood", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="currency_reserve_unique_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.wallet}: {self.amount}"

    @property
    def net(self) -> int:
        """Euro cents paid out (redemption) or paid in (deposit)."""
        return self.amount - self.fee


class TrustRule(models.Model):
    """After this many completed trades a wallet of this kind gets at least this credit limit."""

    currency = models.ForeignKey(Currency, on_delete=models.CASCADE, related_name="trust_rules")
    wallet_kind = models.CharField(
        _("kind of wallet"),
        max_length=16,
        choices=[c for c in Wallet.Kind.choices if c[0] != Wallet.Kind.COMMUNITY],
    )
    min_trades = models.PositiveIntegerField(
        _("after completed trades"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    credit_limit = models.BigIntegerField(_("credit limit"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("trust rule")
        verbose_name_plural = _("trust rules")
        ordering = ["wallet_kind", "min_trades"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "wallet_kind", "min_trades"], name="currency_trust_unique"
            ),
            models.CheckConstraint(condition=Q(credit_limit__gte=0), name="currency_trust_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.wallet_kind} ≥ {self.min_trades}: {self.credit_limit}"


class LimitChange(models.Model):
    """Every change of a wallet's credit limit: when it was opened, by staff, or by trust."""

    class Source(models.TextChoices):
        DEFAULT = "default", _("default when opened")
        MANUAL = "manual", _("changed by staff")
        TRUST = "trust", _("raised by a trust rule")

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="limit_changes")
    old_limit = models.BigIntegerField(_("old credit limit"), null=True, blank=True)
    new_limit = models.BigIntegerField(_("new credit limit"), null=True, blank=True)
    source = models.CharField(_("why"), max_length=10, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("credit limit change")
        verbose_name_plural = _("credit limit changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.wallet}: {self.old_limit} → {self.new_limit}"


class DemurrageRun(models.Model):
    """Demurrage charged for one period of one currency. One row per period: a second run of
    the command finds it and charges nothing."""

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="demurrage_runs")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3)
    wallets_charged = models.PositiveIntegerField(_("wallets charged"), default=0)
    total = models.BigIntegerField(_("total charged"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    run_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demurrage run")
        verbose_name_plural = _("demurrage runs")
        ordering = ["currency", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "period_start"], name="currency_demurrage_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.currency.code} {self.period_start}..{self.period_end}"
