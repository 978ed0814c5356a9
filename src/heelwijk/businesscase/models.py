"""Opgaven (physical tasks) with social goals, versioned reference values and business cases."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.models import Area, Neighbourhood, Organisation

from .engine.model import LOCAL_WORK, PROJECT

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
MAX_HORIZON = 50


class Opgave(models.Model):
    """A physical task that has to be done anyway: a sewer, a renovation, public space."""

    class Status(models.TextChoices):
        IDEA = "idea", _("idea")
        PREPARATION = "preparation", _("in preparation")
        TENDER = "tender", _("tendering")
        EXECUTION = "execution", _("in execution")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="opgaven"
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    commissioner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="opgaven",
        verbose_name=_("commissioning organisation"),
    )
    budget_cents = models.BigIntegerField(
        _("budget"), help_text=_("The whole budget for the task, in euros.")
    )
    contract_value_cents = models.BigIntegerField(
        _("contract value"),
        help_text=_("The value of the contract that is (or will be) awarded, in euros."),
    )
    labour_share = models.DecimalField(
        _("labour share"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_(
            "Share of labour in the contract value, in %. Below 30 % a lower social "
            "return percentage applies."
        ),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    areas = models.ManyToManyField(
        Area, related_name="opgaven", blank=True, verbose_name=_("areas")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARATION
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opgave")
        verbose_name_plural = _("opgaven")
        ordering = ["-start_date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "title"], name="opgave_unique_title"),
            models.CheckConstraint(condition=Q(budget_cents__gte=0), name="opgave_budget_gte_0"),
            models.CheckConstraint(
                condition=Q(contract_value_cents__gte=0), name="opgave_contract_value_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="opgave_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(labour_share__isnull=True)
                | Q(labour_share__gte=0, labour_share__lte=100),
                name="opgave_labour_share_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.budget_cents is not None and self.budget_cents < 0:
            errors["budget_cents"] = _("The budget cannot be negative.")
        if self.contract_value_cents is not None and self.contract_value_cents < 0:
            errors["contract_value_cents"] = _("The contract value cannot be negative.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end cannot be before the start.")
        if (
            self.commissioner_id
            and self.neighbourhood_id
            and self.commissioner.neighbourhood_id != self.neighbourhood_id
        ):
            errors["commissioner"] = _("Choose an organisation of this neighbourhood.")
        if errors:
            raise ValidationError(errors)

    @property
    def duration_months(self) -> int:
        """Whole months from start to end, counting a started month as a month."""
        months = (self.end_date.year - self.start_date.year) * 12
        months += self.end_date.month - self.start_date.month
        return months + (1 if self.end_date.day >= self.start_date.day else 0)


class SocialGoal(models.Model):
    """A social goal tied to an opgave, with the indicator that shows progress and a target."""

    class Kind(models.TextChoices):
        JOBS = "jobs", _("jobs for residents on welfare")
        TRAINING = "training", _("training places")
        POVERTY = "poverty", _("less poverty")
        LONELINESS = "loneliness", _("less loneliness")
        ENERGY = "energy", _("lower energy bills")
        OTHER = "other", _("other")

    opgave = models.ForeignKey(Opgave, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("goal"), max_length=12, choices=Kind.choices)
    indicator = models.CharField(
        _("indicator"),
        max_length=200,
        help_text=_("What you count, e.g. 'residents on welfare with a paid job'."),
    )
    target = models.DecimalField(
        _("target"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. residents"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("social goal")
        verbose_name_plural = _("social goals")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="goal_target_gte_0"),
        ]

    def __str__(self) -> str:
        return self.indicator


class ReferenceUnit(models.TextChoices):
    EUR = "eur", _("euro")
    EUR_PER_YEAR = "eur_year", _("euro per year")
    EUR_PER_MONTH = "eur_month", _("euro per month")
    EUR_PER_HOUR = "eur_hour", _("euro per hour")
    PERCENT = "percent", _("percent")
    PERCENT_PER_YEAR = "percent_year", _("percent per year")
    MONTHS = "months", _("months")
    KWH_PER_YEAR = "kwh_year", _("kWh per year")
    M3_PER_YEAR = "m3_year", _("m³ gas per year")


# Every value is stored as a whole number of the unit's smallest step: cents for euros,
# hundredths for percentages, whole months, kWh and m³.
UNIT_DECIMALS = {
    ReferenceUnit.EUR: 2,
    ReferenceUnit.EUR_PER_YEAR: 2,
    ReferenceUnit.EUR_PER_MONTH: 2,
    ReferenceUnit.EUR_PER_HOUR: 2,
    ReferenceUnit.PERCENT: 2,
    ReferenceUnit.PERCENT_PER_YEAR: 2,
    ReferenceUnit.MONTHS: 0,
    ReferenceUnit.KWH_PER_YEAR: 0,
    ReferenceUnit.M3_PER_YEAR: 0,
}
MONEY_UNITS = {
    ReferenceUnit.EUR,
    ReferenceUnit.EUR_PER_YEAR,
    ReferenceUnit.EUR_PER_MONTH,
    ReferenceUnit.EUR_PER_HOUR,
}


class ReferenceSet(models.Model):
    """One frozen version of all reference values.

    The national sets (no neighbourhood) come from published figures; a neighbourhood gets its
    own chain of versions the first time its staff change a value. A business case points at
    the version it used, and a version never changes once made, so its report can be redone.
    """

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reference_sets",
    )
    version = models.PositiveIntegerField(_("version"))
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reference set")
        verbose_name_plural = _("reference sets")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "version"],
                condition=Q(neighbourhood__isnull=False),
                name="reference_set_unique_version",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(neighbourhood__isnull=True),
                name="reference_set_unique_national_version",
            ),
        ]

    def __str__(self) -> str:
        owner = self.neighbourhood.name if self.neighbourhood_id else _("national")
        return f"{owner} v{self.version}"

    @property
    def is_national(self) -> bool:
        return self.neighbourhood_id is None


class ReferenceValue(models.Model):
    """A financial proxy, unit cost or rule with its value, unit, year and source."""

    class Category(models.TextChoices):
        PROXY = "proxy", _("financial proxy")
        UNIT_COST = "unit_cost", _("unit cost")
        PLACEMENT = "placement", _("social return placement")
        RULE = "rule", _("rule or norm")
        CONTEXT = "context", _("background figure")

    reference_set = models.ForeignKey(ReferenceSet, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("A short fixed code, e.g. welfare_benefit_cost. Lines refer to it."),
    )
    name = models.CharField(_("name"), max_length=160)
    category = models.CharField(_("kind"), max_length=12, choices=Category.choices)
    value_minor = models.BigIntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=12, choices=ReferenceUnit.choices)
    per = models.CharField(
        _("per"), max_length=60, blank=True, help_text=_("e.g. per household or per placement")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["reference_set", "key"], name="reference_value_key"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="reference_value_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A version is frozen: a changed figure goes into a new reference set.
        if self.pk is not None:
            raise ValueError("Reference values are never changed; make a new reference set.")
        super().save(*args, **kwargs)

    @property
    def decimals(self) -> int:
        return UNIT_DECIMALS[self.unit]

    @property
    def value(self) -> Decimal:
        return Decimal(self.value_minor).scaleb(-self.decimals)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_UNITS

    def annual_value(self) -> Decimal | None:
        """The value per year for use as a financial proxy; None when it is not money per year."""
        if self.unit in (ReferenceUnit.EUR, ReferenceUnit.EUR_PER_YEAR):
            return self.value
        if self.unit == ReferenceUnit.EUR_PER_MONTH:
            return self.value * 12
        return None

    def is_valid_in(self, year: int) -> bool:
        if self.valid_from and self.valid_from.year > year:
            return False
        return not (self.valid_to and self.valid_to.year < year)


class BusinessCase(models.Model):
    """A social business case for an opgave: who pays, who gains, and what it returns."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="business_cases"
    )
    opgave = models.ForeignKey(
        Opgave, on_delete=models.PROTECT, related_name="business_cases", verbose_name=_("opgave")
    )
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("A few sentences for the readers of the report.")
    )
    reference_set = models.ForeignKey(
        ReferenceSet,
        on_delete=models.PROTECT,
        related_name="business_cases",
        verbose_name=_("reference values"),
    )
    discount_rate = models.DecimalField(
        _("discount rate"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
        help_text=_("Percent per year. The Dutch standard for MKBA is 2.25 %."),
    )
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON)],
        help_text=_("How many years the case looks ahead."),
    )
    base_year = models.PositiveSmallIntegerField(
        _("base year"),
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text=_("The calendar year of year 0; amounts are in prices of this year."),
    )
    sensitivity_percent = models.DecimalField(
        _("sensitivity range"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text=_("How far each assumption is moved up and down, in %."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The headline figures at the moment of publishing, so a reader can see the report was
    # reproduced exactly.
    published_figures = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["opgave", "title"], name="business_case_unique_title"),
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0, discount_rate__lte=100),
                name="business_case_discount_percent",
            ),
            models.CheckConstraint(
                condition=Q(horizon_years__gte=1, horizon_years__lte=MAX_HORIZON),
                name="business_case_horizon_range",
            ),
            models.CheckConstraint(
                condition=Q(sensitivity_percent__gt=0, sensitivity_percent__lte=100),
                name="business_case_sensitivity_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Scenario(models.TextChoices):
    PROJECT = PROJECT, _("project")
    LOCAL_WORK = LOCAL_WORK, _("only with local work")


class CaseActor(models.Model):
    """A party in a business case that pays or gains."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        HOUSING = "housing", _("housing corporation")
        WIJKBEDRIJF = "wijkbedrijf", _("wijkbedrijf")
        RESIDENTS = "residents", _("residents")
        NATIONAL = "national", _("national government")
        CARE = "care", _("care or welfare organisation")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="actors")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.OTHER)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["business_case", "name"], name="case_actor_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CostLine(models.Model):
    """An input: what one actor pays in one year of the case."""

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="costs")
    actor = models.ForeignKey(
        CaseActor, on_delete=models.CASCADE, related_name="costs", verbose_name=_("paid by")
    )
    label = models.CharField(_("what"), max_length=160)
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("0 is the start (not discounted), 1 the first year after it.")
    )
    amount_cents = models.BigIntegerField(_("amount"))
    scenario = models.CharField(
        _("scenario"), max_length=12, choices=Scenario.choices, default=Scenario.PROJECT
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gte=0), name="cost_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return self.label


class CaseOutcome(models.Model):
    """An outcome valued with a financial proxy, credited to the actor who gains."""

    business_case = models.ForeignKey(
        BusinessCase, on_delete=models.CASCADE, related_name="outcomes"
    )
    beneficiary = models.ForeignKey(
        CaseActor, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("gained by")
    )
    label = models.CharField(_("outcome"), max_length=160)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=4, validators=[MinValueValidator(0)]
    )
    proxy_key = models.SlugField(
        _("reference value"),
        max_length=60,
        blank=True,
        help_text=_(
            "A financial proxy from the reference values, or leave empty and enter your own value."
        ),
    )
    proxy_value_cents = models.BigIntegerField(_("own proxy value"), null=True, blank=True)
    proxy_source = models.CharField(_("source of own value"), max_length=300, blank=True)
    duration_years = models.PositiveSmallIntegerField(
        _("duration"), validators=[MinValueValidator(1)]
    )
    deadweight = models.DecimalField(
        _("deadweight"), max_digits=5, decimal_places=2, default=0, validators=PERCENT_VALIDATORS
    )
    displacement = models.DecimalField(
        _("displacement"), max_digits=5, decimal_places=2, default=0, validators=PERCENT_VALIDATORS
    )
    attribution = models.DecimalField(
        _("attribution"), max_digits=5, decimal_places=2, default=0, validators=PERCENT_VALIDATORS
    )
    drop_off = models.DecimalField(
        _("drop-off"), max_digits=5, decimal_places=2, default=0, validators=PERCENT_VALIDATORS
    )
    adjustment_source = models.CharField(_("source of the adjustments"), max_length=300, blank=True)
    scenario = models.CharField(
        _("scenario"), max_length=12, choices=Scenario.choices, default=Scenario.PROJECT
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="outcome_quantity_gte_0"),
            models.CheckConstraint(
                condition=~Q(proxy_key="") | Q(proxy_value_cents__isnull=False),
                name="outcome_has_proxy",
            ),
            models.CheckConstraint(
                condition=Q(proxy_value_cents__isnull=True) | Q(proxy_value_cents__gte=0),
                name="outcome_proxy_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(duration_years__gte=1), name="outcome_duration_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(deadweight__gte=0, deadweight__lte=100)
                & Q(displacement__gte=0, displacement__lte=100)
                & Q(attribution__gte=0, attribution__lte=100)
                & Q(drop_off__gte=0, drop_off__lte=100),
                name="outcome_adjustments_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.label
