"""Collective purchasing: categories, preferred suppliers, campaigns, offers, pledges, results.

Yearly amounts are integer cents; prices per unit are integer micro-euros (see money.py).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.models import Area, Household, Neighbourhood, Organisation

from .categories import BUILTIN_CATEGORIES


class UsageUnit(models.TextChoices):
    KWH = "kwh", _("kWh")
    M3 = "m3", _("m³")
    PERSON = "person", _("person")
    HOUSEHOLD = "household", _("household")
    MONTH = "month", _("month")


class Feature(models.TextChoices):
    """What an offer guarantees; a household can require any of these as a hard constraint."""

    GREEN = "green", _("100 % green energy")
    LOCAL = "local", _("produced or delivered locally")
    MONTHLY_CANCEL = "monthly_cancel", _("can be cancelled every month")
    FIBRE = "fibre", _("fibre connection")


class Category(models.Model):
    """What is bought together. Built-in categories have no neighbourhood; staff add their own."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="purchasing_categories",
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    usage_unit = models.CharField(_("usage unit"), max_length=12, choices=UsageUnit.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(neighbourhood__isnull=True),
                name="category_builtin_code",
            ),
            models.UniqueConstraint(
                fields=["neighbourhood", "code"],
                condition=Q(neighbourhood__isnull=False),
                name="category_unique_code",
            ),
        ]

    def __str__(self) -> str:
        return str(self.display_name)

    @property
    def is_builtin(self) -> bool:
        return self.neighbourhood_id is None

    @property
    def display_name(self):
        if self.is_builtin and self.code in BUILTIN_CATEGORIES:
            return BUILTIN_CATEGORIES[self.code][0]
        return self.name


class SupplierAgreement(models.Model):
    """An organisation is a preferred supplier of the neighbourhood under this agreement."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="supplier_agreements"
    )
    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="supplier_agreements",
        verbose_name=_("supplier"),
    )
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="agreements",
        verbose_name=_("categories"),
        help_text=_("What this supplier may offer. Empty: every category."),
    )
    terms = models.TextField(_("terms"), help_text=_("The main agreements, in plain language."))
    service_levels = models.TextField(
        _("service levels"),
        blank=True,
        help_text=_("For example response times and opening hours."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    kickback_per_contract_cents = models.PositiveBigIntegerField(
        _("kickback per contract (cents a year)"),
        default=0,
        help_text=_("What the supplier pays the local fund for every contract, each year."),
    )
    participation_fee_cents = models.PositiveBigIntegerField(
        _("participation fee (cents)"),
        default=0,
        help_text=_("What the supplier pays the local fund once per campaign it wins."),
    )
    contact_name = models.CharField(_("contact person"), max_length=160)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preferred supplier agreement")
        verbose_name_plural = _("preferred supplier agreements")
        ordering = ["supplier__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="agreement_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["neighbourhood", "supplier", "starts_on"], name="agreement_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return self.supplier.name

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class Campaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open for pledges")
        PROPOSED = "proposed", _("proposal ready: households decide")
        FINAL = "final", _("final allocation made")
        CONTRACTED = "contracted", _("contracts started")
        CANCELLED = "cancelled", _("cancelled")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="purchasing_campaigns"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    registration_opens_on = models.DateField(_("registration opens on"))
    registration_closes_on = models.DateField(_("registration closes on"))
    contracts_start_on = models.DateField(
        _("contracts start on"), help_text=_("The day new contracts take effect.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-registration_opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes_on__gte=F("registration_opens_on")),
                name="campaign_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def registration_is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and self.registration_opens_on <= today <= self.registration_closes_on
        )


class TierBasis(models.TextChoices):
    VOLUME = "volume", _("total usage of all households")
    HOUSEHOLDS = "households", _("number of households")


class Offer(models.Model):
    """A supplier's offer in a campaign; a community arrangement is a bundle for everyone."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="purchasing_offers"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="offers")
    agreement = models.ForeignKey(
        SupplierAgreement,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("preferred supplier"),
    )
    supplier = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="purchasing_offers"
    )
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    is_community_arrangement = models.BooleanField(
        _("community arrangement"),
        default=False,
        help_text=_("A bundle for the whole neighbourhood, such as a maintenance subscription."),
    )
    tier_basis = models.CharField(
        _("tiers count"), max_length=12, choices=TierBasis.choices, default=TierBasis.VOLUME
    )
    min_households = models.PositiveIntegerField(
        _("minimum households"), default=1, help_text=_("The offer only goes ahead with this many.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity (households)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    features = models.JSONField(_("features"), default=list, blank=True)
    areas = models.ManyToManyField(
        Area,
        blank=True,
        related_name="+",
        verbose_name=_("only in these areas"),
        help_text=_("Empty: the whole neighbourhood."),
    )
    min_usage = models.PositiveIntegerField(_("minimum usage"), null=True, blank=True)
    max_usage = models.PositiveIntegerField(_("maximum usage"), null=True, blank=True)
    kickback_per_contract_cents = models.PositiveBigIntegerField(
        _("kickback per contract (cents a year)"), default=0
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["supplier__name", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_households__gte=1), name="offer_min_households"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=F("min_households")),
                name="offer_capacity_covers_minimum",
            ),
            models.CheckConstraint(
                condition=Q(min_usage__isnull=True)
                | Q(max_usage__isnull=True)
                | Q(max_usage__gte=F("min_usage")),
                name="offer_usage_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.supplier.name})"

    @property
    def feature_labels(self) -> list:
        labels = dict(Feature.choices)
        return [labels.get(code, code) for code in self.features]


class OfferTier(models.Model):
    """An all-units price tier: reached when the offer's quantity lies in [min, max]."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField()
    min_quantity = models.PositiveBigIntegerField(_("from"))
    max_quantity = models.PositiveBigIntegerField(_("up to and including"), null=True, blank=True)
    unit_price_micros = models.PositiveBigIntegerField(_("price per unit (micro-euros)"))
    fixed_fee_cents = models.PositiveBigIntegerField(_("fixed fee a year (cents)"))

    class Meta:
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        ordering = ["offer", "position"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "position"], name="tier_unique_position"),
            models.CheckConstraint(
                condition=Q(max_quantity__isnull=True) | Q(max_quantity__gte=F("min_quantity")),
                name="tier_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}#{self.position}"


class Pledge(models.Model):
    """A household's conditional promise to join; binding only once the household confirms."""

    class Status(models.TextChoices):
        CONDITIONAL = "conditional", _("conditional")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="purchasing_pledges"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="pledges")
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="purchasing_pledges"
    )
    current_supplier = models.CharField(_("current supplier"), max_length=160, blank=True)
    current_yearly_cost_cents = models.PositiveBigIntegerField(_("current yearly cost (cents)"))
    usage = models.PositiveIntegerField(_("yearly usage"))
    required_features = models.JSONField(_("hard conditions"), default=list, blank=True)
    accepts_any_offer = models.BooleanField(_("accept any suitable offer"), default=True)
    accepted_offers = models.ManyToManyField(
        Offer, blank=True, related_name="accepting_pledges", verbose_name=_("accepted offers")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONDITIONAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["campaign", "household__street", "household__house_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="pledge_one_per_household"
            ),
            models.CheckConstraint(condition=Q(usage__gte=1), name="pledge_usage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} - {self.household}"

    @property
    def required_feature_labels(self) -> list:
        labels = dict(Feature.choices)
        return [labels.get(code, code) for code in self.required_features]


class AllocationRun(models.Model):
    """One solved and checked allocation of a campaign: a proposal, or the final one."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("proposal")
        FINAL = "final", _("final allocation")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="purchasing_runs"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_current = models.BooleanField(default=True)
    solver_status = models.CharField(max_length=20)
    solve_milliseconds = models.PositiveIntegerField(default=0)
    gap_ppm = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=0,
        help_text="Proven gap, parts per million; empty when the solver proved no bound.",
    )
    households_considered = models.PositiveIntegerField(default=0)
    households_placed = models.PositiveIntegerField(default=0)
    total_saving_cents = models.BigIntegerField(default=0)
    total_kickback_cents = models.BigIntegerField(default=0)
    greedy_households_placed = models.PositiveIntegerField(default=0)
    greedy_saving_cents = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind"], condition=Q(is_current=True), name="run_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} - {self.get_kind_display()}"

    @property
    def gap_percent(self) -> Decimal | None:
        """The proven gap in per cent (None: no bound was proven)."""
        return None if self.gap_ppm is None else Decimal(self.gap_ppm) / 10_000


class OfferOutcome(models.Model):
    """Whether an offer goes ahead in a run, at which tier, with how many households."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="outcomes")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="outcomes")
    tier_position = models.PositiveSmallIntegerField(null=True, blank=True)
    households = models.PositiveIntegerField(default=0)
    volume = models.PositiveBigIntegerField(default=0)
    saving_cents = models.BigIntegerField(default=0)
    kickback_cents = models.BigIntegerField(default=0)
    greedy_tier_position = models.PositiveSmallIntegerField(null=True, blank=True)
    greedy_households = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "offer__supplier__name", "offer__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "offer"], name="outcome_one_per_offer")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.offer_id}"

    @property
    def goes_ahead(self) -> bool:
        return self.tier_position is not None


class AllocationResult(models.Model):
    """What a run proposes for one pledge; `reason` says why when no offer is proposed."""

    class Reason(models.TextChoices):
        PLACED = "placed", _("placed")
        NO_MATCH = "no_match", _("no offer meets your conditions")
        COSTS_MORE = "costs_more", _("every suitable offer costs more than you pay now")
        NOT_GOING_AHEAD = "not_going_ahead", _("the suitable offers did not reach their minimum")
        FULL = "full", _("the suitable offers were full")

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="results")
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="results")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="results"
    )
    tier_position = models.PositiveSmallIntegerField(null=True, blank=True)
    yearly_cost_cents = models.BigIntegerField(null=True, blank=True)
    saving_cents = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.PLACED)
    greedy_offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    greedy_saving_cents = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["run", "household__street", "household__house_number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "pledge"], name="result_one_per_pledge")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.pledge_id} -> {self.offer_id}"


class Contract(models.Model):
    """A household's contract with a supplier, started from the final allocation."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="purchasing_contracts"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contracts")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="contracts")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="contract")
    tier_position = models.PositiveSmallIntegerField()
    usage = models.PositiveIntegerField()
    yearly_cost_cents = models.BigIntegerField()
    saving_cents = models.BigIntegerField()
    kickback_cents = models.BigIntegerField()
    starts_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["campaign", "supplier__name", "household__street", "household__house_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="contract_one_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.household_id} - {self.offer_id}"


class SupplierSettlement(models.Model):
    """What a supplier owes the local fund for one campaign, and the ledger transfers made."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="purchasing_settlements"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="settlements")
    supplier = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    contracts = models.PositiveIntegerField()
    kickback_cents = models.BigIntegerField()
    participation_fee_cents = models.BigIntegerField()
    kickback_reference = models.CharField(max_length=80, blank=True)
    fee_reference = models.CharField(max_length=80, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "supplier__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "supplier"], name="settlement_one_per_supplier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.supplier_id}"
