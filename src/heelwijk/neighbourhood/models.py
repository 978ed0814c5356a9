"""Neighbourhoods, their areas, households, people, organisations and roles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} ?[A-Z]{2}$",
    _("Enter a Dutch postcode such as 1234 AB."),
)


class Neighbourhood(models.Model):
    """A wijk or dorp. Every other domain row belongs to exactly one."""

    class Kind(models.TextChoices):
        WIJK = "wijk", _("neighbourhood (wijk)")
        DORP = "dorp", _("village (dorp)")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.WIJK)
    municipality = models.CharField(_("municipality"), max_length=120)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^(WK|GM)[0-9]{4,8}$", _("A CBS code looks like WK036301."))],
        help_text=_("The code Statistics Netherlands uses for this wijk, e.g. WK036301."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A buurt: a part of a neighbourhood."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=120)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^BU[0-9]{6,10}$", _("A CBS code looks like BU03630101."))],
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="area_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """One address where people live together; the unit Heelwijk counts in."""

    class Composition(models.TextChoices):
        SINGLE = "single", _("single person")
        COUPLE = "couple", _("couple without children")
        FAMILY = "family", _("couple with children")
        SINGLE_PARENT = "single_parent", _("single parent")
        SHARED = "shared", _("shared house")
        OTHER = "other", _("other")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="households"
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="households", verbose_name=_("area")
    )
    street = models.CharField(_("street"), max_length=120)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_suffix = models.CharField(_("addition"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[postcode_validator])
    city = models.CharField(_("town"), max_length=120)
    composition = models.CharField(
        _("composition"), max_length=16, choices=Composition.choices, default=Composition.OTHER
    )
    size = models.PositiveSmallIntegerField(
        _("number of people"), default=1, help_text=_("Everyone living at this address.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["street", "house_number", "house_number_suffix"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "postcode", "house_number", "house_number_suffix"],
                name="household_unique_address",
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="household_size_positive"),
        ]
        indexes = [models.Index(fields=["neighbourhood", "postcode"])]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        number = f"{self.house_number}{self.house_number_suffix}"
        return f"{self.street} {number}, {self.postcode} {self.city}"


class Person(models.Model):
    """A resident. May live in a household and may have a login."""

    class ContactPreference(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("phone")
        POST = "post", _("letter")
        IN_PERSON = "in_person", _("in person")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="people"
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=80)
    name_prefix = models.CharField(
        _("prefix"), max_length=20, blank=True, help_text=_("For example 'van der'.")
    )
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    contact_preference = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    member_since = models.DateField(
        _("member of the wijkbedrijf since"),
        null=True,
        blank=True,
        help_text=_("Empty when this person is not a member."),
    )
    erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        help_text=_("When the personal data were erased at the person's request (AVG/GDPR)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "email"],
                condition=~Q(email=""),
                name="person_unique_email",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    @property
    def is_member(self) -> bool:
        return self.member_since is not None


class Organisation(models.Model):
    """A party active in the neighbourhood, including the wijkbedrijf itself."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        HOUSING = "housing", _("housing corporation")
        CARE = "care", _("care or welfare organisation")
        SCHOOL = "school", _("school")
        COMPANY = "company", _("company or supplier")
        SHOP = "shop", _("shop")
        FOUNDATION = "foundation", _("foundation or association")
        WIJKBEDRIJF = "wijkbedrijf", _("wijkbedrijf")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8}$", _("A KvK number has 8 digits."))],
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="organisation_unique"),
            models.UniqueConstraint(
                fields=["neighbourhood"],
                condition=Q(kind="wijkbedrijf"),
                name="one_wijkbedrijf_per_neighbourhood",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """What a user may do in a neighbourhood besides being a resident."""

    class Kind(models.TextChoices):
        WIJKONDERNEMER = "wijkondernemer", _("wijkondernemer")
        STAFF = "staff", _("staff of the wijkbedrijf")
        REPRESENTATIVE = "representative", _("organisation representative")

    class Scale(models.TextChoices):
        OPERATIONAL = "operational", _("operational")
        TACTICAL = "tactical", _("tactical")
        STRATEGIC = "strategic", _("strategic")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("organisation"),
    )
    scale = models.CharField(_("scale"), max_length=12, choices=Scale.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="representative", organisation__isnull=False) & ~Q(scale=""))
                | (~Q(kind="representative") & Q(organisation__isnull=True)),
                name="role_representative_needs_organisation_and_scale",
            ),
            models.UniqueConstraint(
                fields=["user", "neighbourhood", "kind", "organisation"],
                name="role_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} ({self.neighbourhood})"

    @property
    def is_staff_role(self) -> bool:
        return self.kind in (self.Kind.WIJKONDERNEMER, self.Kind.STAFF)


class AuditEntry(models.Model):
    """An append-only record of a write done through an action."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="audit_entries",
        db_index=False,  # the (neighbourhood, object_type, object_id) index serves lookups
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField(null=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["neighbourhood", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"
