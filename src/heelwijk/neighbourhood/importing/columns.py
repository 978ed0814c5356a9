"""The columns an import file may have per kind, their Dutch and English headers, and matching."""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import Household, Organisation, Person


class ImportKind(models.TextChoices):
    HOUSEHOLDS = "households", _("households")
    PEOPLE = "people", _("people")
    ORGANISATIONS = "organisations", _("organisations")


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case ASCII words joined by '_': 'E-mailadres ' and 'e_mailadres' become equal."""
    text = str(text).replace("\ufeff", "")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_WORD.sub("_", text.lower()).strip("_")


@functools.cache
def choice_lookup(choices: tuple["Choice", ...]) -> dict[str, str]:
    """Every accepted word of a choice column, normalised, with the value it stands for."""
    return {normalise(word): str(c.value) for c in choices for word in c.words()}


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice column and the words a file may use for it."""

    value: str
    english: tuple[str, ...]
    dutch: tuple[str, ...]

    def words(self) -> tuple[str, ...]:
        return (self.value, *self.english, *self.dutch)

    def shown(self) -> str:
        """The word a person writing in the active language would use."""
        return self.dutch[0] if (get_language() or "nl").startswith("nl") else self.value


COMPOSITIONS = (
    Choice(
        Household.Composition.SINGLE,
        ("single person", "alone"),
        ("alleenstaand", "alleenstaande", "eenpersoons", "eenpersoonshuishouden"),
    ),
    Choice(
        Household.Composition.COUPLE,
        ("couple without children", "pair"),
        ("stel", "stel zonder kinderen", "paar", "echtpaar"),
    ),
    Choice(
        Household.Composition.FAMILY,
        ("couple with children", "family with children"),
        ("gezin", "gezin met kinderen", "stel met kinderen"),
    ),
    Choice(
        Household.Composition.SINGLE_PARENT,
        ("single parent family",),
        ("eenoudergezin", "eenouder", "alleenstaande ouder"),
    ),
    Choice(
        Household.Composition.SHARED,
        ("shared house", "house share"),
        ("woongroep", "gedeelde woning", "studentenhuis", "gedeeld"),
    ),
    Choice(Household.Composition.OTHER, (), ("anders", "overig")),
)

CONTACT_PREFERENCES = (
    Choice(Person.ContactPreference.EMAIL, ("e-mail", "mail"), ("e-mail", "mail")),
    Choice(Person.ContactPreference.PHONE, ("telephone", "call"), ("telefoon", "bellen")),
    Choice(Person.ContactPreference.POST, ("letter", "mail by post"), ("brief", "post")),
    Choice(
        Person.ContactPreference.IN_PERSON,
        ("in person", "visit"),
        ("persoonlijk", "langskomen", "aan de deur"),
    ),
)

LANGUAGES = (
    Choice("nl", ("dutch",), ("nederlands",)),
    Choice("en", ("english",), ("engels",)),
)

ORGANISATION_KINDS = (
    Choice(Organisation.Kind.MUNICIPALITY, (), ("gemeente",)),
    Choice(
        Organisation.Kind.HOUSING,
        ("housing corporation", "housing association"),
        ("woningcorporatie", "corporatie", "woningbouwvereniging"),
    ),
    Choice(
        Organisation.Kind.CARE,
        ("care or welfare organisation", "welfare"),
        ("zorg", "zorgorganisatie", "welzijn", "welzijnsorganisatie"),
    ),
    Choice(Organisation.Kind.SCHOOL, (), ("school", "onderwijs")),
    Choice(
        Organisation.Kind.COMPANY,
        ("company or supplier", "supplier", "business"),
        ("bedrijf", "leverancier"),
    ),
    Choice(Organisation.Kind.SHOP, ("store",), ("winkel",)),
    Choice(
        Organisation.Kind.FOUNDATION,
        ("foundation or association", "association"),
        ("stichting", "vereniging"),
    ),
    Choice(Organisation.Kind.WIJKBEDRIJF, (), ("wijkbedrijf",)),
)


@dataclass(frozen=True)
class Column:
    """One column of an import file. `key` is the English header, `dutch` the Dutch one."""

    key: str
    dutch: str
    label: Promise
    help: Promise
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None

    def names(self) -> set[str]:
        return {normalise(n) for n in (self.key, self.dutch, *self.aliases)}

    def choice_words(self) -> str:
        return ", ".join(c.shown() for c in self.choices)


_POSTCODE = Column(
    "postcode",
    "postcode",
    _("postcode"),
    _("Dutch postcode, for example 1234 AB (1234ab is fine too)."),
    required=True,
    aliases=("postal_code", "zip", "zipcode", "zip_code"),
)
_HOUSE_NUMBER = Column(
    "house_number",
    "huisnummer",
    _("house number"),
    _("Number of the house; an addition may be written with it, as in 12a."),
    required=True,
    aliases=("housenumber", "number", "huisnr", "nummer", "nr"),
)
_ADDITION = Column(
    "addition",
    "toevoeging",
    _("addition"),
    _("Letter or addition to the house number, for example A or 2-hoog."),
    aliases=("house_number_suffix", "suffix", "huisnummertoevoeging", "huisletter"),
    max_length=10,
)
_EMAIL = Column(
    "email",
    "e-mailadres",
    _("e-mail address"),
    _("E-mail address."),
    aliases=("e_mail", "email_address", "e_mail_address", "mail", "emailadres", "e_mail_adres"),
    max_length=254,
)
_PHONE = Column(
    "phone",
    "telefoon",
    _("phone"),
    _("Phone number: digits, spaces, + and - only."),
    aliases=("telephone", "phone_number", "telefoonnummer", "tel", "mobiel"),
    max_length=20,
)

HOUSEHOLD_COLUMNS = (
    Column(
        "street",
        "straat",
        _("street"),
        _("Street name."),
        required=True,
        aliases=("straatnaam", "street_name"),
        max_length=120,
    ),
    _HOUSE_NUMBER,
    _ADDITION,
    _POSTCODE,
    Column(
        "town",
        "plaats",
        _("town"),
        _("Town or city."),
        required=True,
        aliases=("city", "woonplaats", "plaatsnaam"),
        max_length=120,
    ),
    Column(
        "area",
        "buurt",
        _("area"),
        _("Name of the area (buurt). It must already exist in this neighbourhood."),
        required=True,
        aliases=("buurtnaam", "area_name"),
    ),
    Column(
        "composition",
        "samenstelling",
        _("composition"),
        _("Who lives there. One of:"),
        aliases=("household_composition", "huishoudsamenstelling", "type_huishouden"),
        choices=COMPOSITIONS,
    ),
    Column(
        "size",
        "aantal_personen",
        _("number of people"),
        _("Everyone living at the address, a number from 1 to 99."),
        aliases=("household_size", "people", "number_of_people", "personen", "aantal_bewoners"),
    ),
)

PERSON_COLUMNS = (
    Column(
        "first_name",
        "voornaam",
        _("first name"),
        _("First name."),
        required=True,
        aliases=("firstname", "given_name", "roepnaam"),
        max_length=80,
    ),
    Column(
        "prefix",
        "tussenvoegsel",
        _("prefix"),
        _("Prefix of the last name, for example van der."),
        aliases=("name_prefix", "tussenvoegsels", "voorvoegsel"),
        max_length=20,
    ),
    Column(
        "last_name",
        "achternaam",
        _("last name"),
        _("Last name without the prefix."),
        required=True,
        aliases=("lastname", "surname", "family_name"),
        max_length=120,
    ),
    _EMAIL,
    _PHONE,
    Column(
        "date_of_birth",
        "geboortedatum",
        _("date of birth"),
        _("For example 31-12-1980 or 1980-12-31."),
        aliases=("birth_date", "birthdate", "dob"),
    ),
    Column(
        "contact_preference",
        "contactvoorkeur",
        _("preferred contact"),
        _("How this person likes to be contacted. One of:"),
        aliases=("contact", "preferred_contact", "voorkeur_contact"),
        choices=CONTACT_PREFERENCES,
    ),
    Column(
        "language",
        "taal",
        _("language"),
        _("Language for messages. One of:"),
        aliases=("preferred_language", "voorkeurstaal"),
        choices=LANGUAGES,
    ),
    Column(
        "postcode",
        "postcode",
        _("postcode"),
        _("Postcode of the household this person lives in; it must already exist."),
        aliases=("household_postcode", "postcode_huishouden", "postal_code", "zip", "zipcode"),
    ),
    Column(
        "house_number",
        "huisnummer",
        _("house number"),
        _("House number of that household."),
        aliases=("household_house_number", "huisnummer_huishouden", "housenumber", "huisnr"),
    ),
    Column(
        "addition",
        "toevoeging",
        _("addition"),
        _("Addition to the house number of that household."),
        aliases=("household_addition", "house_number_suffix", "huisnummertoevoeging"),
        max_length=10,
    ),
    Column(
        "member_since",
        "lid_sinds",
        _("member since"),
        _("Date this person became a member of the wijkbedrijf; empty for non-members."),
        aliases=("membership_since", "lid_vanaf", "lidmaatschap_sinds"),
    ),
)

ORGANISATION_COLUMNS = (
    Column(
        "name",
        "naam",
        _("name"),
        _("Name of the organisation; an organisation with this name is updated, not added."),
        required=True,
        aliases=("organisation", "organization", "organisatie", "organisatienaam"),
        max_length=160,
    ),
    Column(
        "kind",
        "soort",
        _("kind"),
        _("Kind of organisation. One of:"),
        required=True,
        aliases=("type", "category", "categorie"),
        choices=ORGANISATION_KINDS,
    ),
    Column(
        "kvk_number",
        "kvk_nummer",
        _("KvK number"),
        _("Chamber of Commerce number: 8 digits."),
        aliases=("kvk", "kvknummer", "chamber_of_commerce"),
    ),
    _EMAIL,
    _PHONE,
    Column(
        "website",
        "website",
        _("website"),
        _("Web address, for example https://bakkerij.nl."),
        aliases=("url", "webadres", "internetadres", "site"),
        max_length=200,
    ),
    Column(
        "address",
        "adres",
        _("address"),
        _("Address as one line of text."),
        aliases=("bezoekadres", "postadres"),
        max_length=200,
    ),
    Column(
        "description",
        "omschrijving",
        _("description"),
        _("What the organisation does."),
        aliases=("beschrijving",),
    ),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.HOUSEHOLDS: HOUSEHOLD_COLUMNS,
    ImportKind.PEOPLE: PERSON_COLUMNS,
    ImportKind.ORGANISATIONS: ORGANISATION_COLUMNS,
}


@dataclass
class HeaderMatch:
    """How the header row of a file fits one kind of import."""

    kind: str
    positions: dict[str, int] = field(default_factory=dict)  # column key -> index in the row
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header as written
    unknown: list[str] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)
    doubled: list[tuple[str, str]] = field(default_factory=list)  # two headers, one meaning

    @property
    def fits(self) -> bool:
        return not (self.unknown or self.missing or self.doubled)


def match_headers(kind: str, header: list[str]) -> HeaderMatch:
    columns = COLUMNS[kind]
    by_name = {name: column for column in columns for name in column.names()}
    match = HeaderMatch(kind=kind)
    for index, text in enumerate(header):
        if not text:
            continue
        column = by_name.get(normalise(text))
        if column is None:
            match.unknown.append(text)
        elif column.key in match.positions:
            match.doubled.append((match.headers[column.key], text))
        else:
            match.positions[column.key] = index
            match.headers[column.key] = text
    match.missing = [c for c in columns if c.required and c.key not in match.positions]
    return match
