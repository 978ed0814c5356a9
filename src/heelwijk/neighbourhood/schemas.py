"""Request and response shapes of the JSON API for the neighbourhood app.

Input schemas are strict about types (a number is not a string, `true` is not 1), forbid unknown
fields and say in their OpenAPI what they accept (lengths, patterns, choices), so that anything
the schema calls invalid is refused with 422 before it reaches an action. Rules that need the
database (the area belongs to this neighbourhood, an address is not taken) are checked later and
answered with 400 or 409.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict
from pydantic_core import PydanticCustomError

from .models import Household, Neighbourhood, Organisation, Person

# Ids are 64-bit in the database; a larger number could never match and would overflow SQLite.
MAX_ID = 2**63 - 1
MAX_OFFSET = 10**9
MAX_LIMIT = 100
DEFAULT_LIMIT = 25
MAX_SEARCH_LENGTH = 100
MAX_SEARCH_WORDS = 8

# A JSON string may hold NUL or a lone surrogate; neither can be stored (PostgreSQL refuses NUL,
# UTF-8 refuses surrogates), so text with them is refused up front.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
NO_NUL = "^[^\\x00]*$"
NOT_BLANK = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"


def _error(kind: str, message) -> PydanticCustomError:
    # The message is translated now (it may be lazy) and passed as context, so that braces in it
    # are never taken for a format string.
    return PydanticCustomError(kind, "{message}", {"message": str(message)})


def _storable_text(max_length: int):
    """Text as sent in JSON: a string, storable, not too long; returned without outer spaces.

    The length counts what was sent, as the schema's maxLength does."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _error("string_type", _("Send text (a JSON string)."))
        if _UNSTORABLE.search(value):
            raise _error("unstorable_character", _("Remove the control character from this text."))
        if len(value) > max_length:
            raise _error(
                "too_long",
                _("Use at most %(max)d characters (now %(count)d).")
                % {"max": max_length, "count": len(value)},
            )
        return value.strip()

    return check


def _not_blank(value: str) -> str:
    if not value:
        raise _error("blank", _("This field cannot be empty."))
    return value


def _full_match(regex: str, kind: str, message):
    def check(value: str) -> str:
        if value and not re.fullmatch(regex, value):
            raise _error(kind, message)
        return value

    return check


def text(
    max_length: int,
    *,
    required: bool = True,
    shape: str | None = None,
    kind: str = "",
    message=None,
):
    """A string of at most `max_length` characters, stripped of outer spaces, with translated
    messages. `shape` is a regular expression the stripped text must match when not empty; the
    OpenAPI pattern says the same, outer spaces allowed, so schema and server agree."""
    if shape:
        pattern = rf"^\s*(?:{shape}){'' if required else '?'}\s*$"
    else:
        pattern = NOT_BLANK if required else NO_NUL
    metadata = [BeforeValidator(_storable_text(max_length))]
    if required:
        metadata.append(AfterValidator(_not_blank))
    if shape:
        metadata.append(AfterValidator(_full_match(shape, kind, message)))
    limits = {"maxLength": max_length, "pattern": pattern, **({"minLength": 1} if required else {})}
    metadata.append(Field(json_schema_extra=limits))
    return Annotated[(str, *metadata)]


def _check_postcode(value: str) -> str:
    match = re.fullmatch(r"([1-9][0-9]{3})\s*([A-Za-z]{2})", value)
    if not match:
        raise _error("postcode", _("Enter a Dutch postcode such as 1234 AB."))
    digits, letters = match.groups()
    return f"{digits} {letters.upper()}"


Postcode = Annotated[
    str,
    BeforeValidator(_storable_text(20)),
    AfterValidator(_check_postcode),
    Field(
        json_schema_extra={
            "pattern": r"^\s*[1-9][0-9]{3}\s*[A-Za-z]{2}\s*$",
            "maxLength": 20,
            "description": "A Dutch postcode, e.g. '1234 AB' or '1234ab'; stored as '1234 AB'.",
        }
    ),
]


def _check_with(validator, kind: str, message):
    def check(value: str) -> str:
        if value:
            try:
                validator(value)
            except DjangoValidationError:
                raise _error(kind, message) from None
        return value

    return check


Email = Annotated[
    text(254, required=False),
    AfterValidator(
        _check_with(EmailValidator(), "email", gettext_lazy("Enter a valid e-mail address."))
    ),
]
Website = Annotated[
    text(200, required=False),
    AfterValidator(
        _check_with(
            URLValidator(schemes=["http", "https"]),
            "url",
            gettext_lazy("Enter a web address that starts with http:// or https://."),
        )
    ),
]
Phone = text(
    20,
    required=False,
    shape=r"[0-9 +()-]*",
    kind="phone",
    message=gettext_lazy("A phone number holds only digits, spaces and + ( ) -."),
)
Slug = text(
    60,
    shape=r"[-a-zA-Z0-9_]+",
    kind="slug",
    message=gettext_lazy("Use only letters, digits, hyphens and underscores."),
)
NeighbourhoodCbsCode = text(
    10,
    required=False,
    shape=r"(WK|GM)[0-9]{4,8}",
    kind="cbs_code",
    message=gettext_lazy("A CBS code looks like WK036301."),
)
AreaCbsCode = text(
    12,
    required=False,
    shape=r"BU[0-9]{6,10}",
    kind="cbs_code",
    message=gettext_lazy("A CBS code looks like BU03630101."),
)
KvkNumber = text(
    8,
    required=False,
    shape=r"[0-9]{8}",
    kind="kvk_number",
    message=gettext_lazy("A KvK number has 8 digits."),
)


def _check_iso_date(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise _error("date_format", _("Give a date as YYYY-MM-DD, e.g. 1980-05-31."))
    return value


def _check_birth_date(value: date | None) -> date | None:
    if value is not None and not date(1900, 1, 1) <= value <= timezone.localdate():
        raise _error("date_of_birth", _("A date of birth lies between 1900-01-01 and today."))
    return value


IsoDate = Annotated[date, Strict(False), BeforeValidator(_check_iso_date)]
BirthDate = Annotated[IsoDate | None, AfterValidator(_check_birth_date)]
ObjectId = Annotated[int, Ge(1), Le(MAX_ID)]
HouseNumber = Annotated[int, Ge(1), Le(99999)]
HouseholdSize = Annotated[int, Ge(1), Le(999)]

NeighbourhoodKind = Literal[tuple(Neighbourhood.Kind.values)]
Composition = Literal[tuple(Household.Composition.values)]
OrganisationKind = Literal[tuple(Organisation.Kind.values)]
ContactPreference = Literal[tuple(Person.ContactPreference.values)]
Language = Literal["nl", "en"]


class InputSchema(Schema):
    """Strict input: exact JSON types and no unknown fields. (Text fields strip spaces.)"""

    model_config = ConfigDict(extra="forbid", strict=True)


# --- shared ---------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the caller's language.")
    errors: dict[str, list[str]] | list[dict[str, Any]] | None = Field(
        None, description="Per field messages (400, 409) or schema errors (422)."
    )


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


def _check_search(value: str) -> str:
    value = _storable_text(MAX_SEARCH_LENGTH)(value)
    if len(value.split()) > MAX_SEARCH_WORDS:
        raise _error(
            "too_many_words", _("Search for at most %(max)d words.") % {"max": MAX_SEARCH_WORDS}
        )
    return value


Search = Annotated[
    str,
    Field(
        max_length=MAX_SEARCH_LENGTH,
        description=(
            f"Words that must all match; at most {MAX_SEARCH_WORDS} words and "
            f"{MAX_SEARCH_LENGTH} characters."
        ),
        json_schema_extra={"pattern": NO_NUL},
    ),
    AfterValidator(_check_search),
]


# --- neighbourhoods -------------------------------------------------------------------------------


class NeighbourhoodOut(Schema):
    id: int
    name: str
    slug: str
    kind: NeighbourhoodKind
    municipality: str
    cbs_code: str
    created_at: datetime


class NeighbourhoodPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NeighbourhoodOut]


class NeighbourhoodIn(InputSchema):
    name: text(120)
    slug: Slug = Field(description="Short name used in addresses; unique.")
    kind: NeighbourhoodKind = Neighbourhood.Kind.WIJK.value
    municipality: text(120)
    cbs_code: NeighbourhoodCbsCode = ""


class NeighbourhoodPatch(InputSchema):
    name: text(120) = None
    slug: Slug = None
    kind: NeighbourhoodKind = None
    municipality: text(120) = None
    cbs_code: NeighbourhoodCbsCode = None


# --- areas ----------------------------------------------------------------------------------------


class AreaOut(Schema):
    id: int
    neighbourhood_id: int
    name: str
    cbs_code: str
    household_count: int

    @staticmethod
    def resolve_household_count(obj) -> int:
        count = getattr(obj, "household_count", None)
        return obj.households.count() if count is None else count


class AreaPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AreaOut]


class AreaIn(InputSchema):
    name: text(120)
    cbs_code: AreaCbsCode = ""


class AreaPatch(InputSchema):
    name: text(120) = None
    cbs_code: AreaCbsCode = None


# --- households -----------------------------------------------------------------------------------


class AreaRef(Schema):
    id: int
    name: str


class MemberRef(Schema):
    id: int
    full_name: str


class HouseholdOut(Schema):
    id: int
    neighbourhood_id: int
    area: AreaRef
    street: str
    house_number: int
    house_number_suffix: str
    postcode: str
    city: str
    address: str
    composition: Composition
    size: int
    member_count: int
    notes: str | None = Field(None, description="Staff notes; null for anyone who is not staff.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_notes(obj, context) -> str | None:
        # Notes are the wijkbedrijf's working notes, not for the residents themselves.
        user = context["request"].user
        return obj.notes if user.has_perm("neighbourhood.change_household", obj) else None

    @staticmethod
    def resolve_member_count(obj) -> int:
        count = getattr(obj, "member_count", None)
        return len(obj.members.all()) if count is None else count


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberRef]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())


class HouseholdPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HouseholdOut]


class HouseholdFilters(PageParams):
    search: Search = ""
    area: ObjectId = Field(None, description="Only households in this area (id).")
    composition: Composition = None


class HouseholdIn(InputSchema):
    area_id: ObjectId = Field(description="An area of this neighbourhood.")
    street: text(120)
    house_number: HouseNumber
    house_number_suffix: text(10, required=False) = ""
    postcode: Postcode
    city: text(120)
    composition: Composition = Household.Composition.OTHER.value
    size: HouseholdSize = 1
    notes: text(5000, required=False) = ""


class HouseholdPatch(InputSchema):
    area_id: ObjectId = None
    street: text(120) = None
    house_number: HouseNumber = None
    house_number_suffix: text(10, required=False) = None
    postcode: Postcode = None
    city: text(120) = None
    composition: Composition = None
    size: HouseholdSize = None
    notes: text(5000, required=False) = None


# --- people ---------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    neighbourhood_id: int
    household_id: int | None
    first_name: str
    name_prefix: str
    last_name: str
    full_name: str
    email: str
    phone: str
    date_of_birth: date | None
    contact_preference: ContactPreference
    preferred_language: Language
    member_since: date | None
    is_member: bool
    has_login: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_has_login(obj) -> bool:
        return obj.user_id is not None


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class PersonFilters(PageParams):
    search: Search = ""
    members_only: bool = Field(False, description="Only members of the wijkbedrijf.")


class PersonIn(InputSchema):
    household_id: ObjectId | None = Field(None, description="A household of this neighbourhood.")
    first_name: text(80)
    name_prefix: text(20, required=False) = ""
    last_name: text(120)
    email: Email = ""
    phone: Phone = ""
    date_of_birth: BirthDate = None
    contact_preference: ContactPreference = Person.ContactPreference.EMAIL.value
    preferred_language: Language = "nl"
    member_since: IsoDate | None = None


class PersonPatch(InputSchema):
    household_id: ObjectId | None = None
    first_name: text(80) = None
    name_prefix: text(20, required=False) = None
    last_name: text(120) = None
    email: Email = None
    phone: Phone = None
    date_of_birth: BirthDate = None
    contact_preference: ContactPreference = None
    preferred_language: Language = None
    member_since: IsoDate | None = None


# --- organisations --------------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    neighbourhood_id: int
    name: str
    kind: OrganisationKind
    kvk_number: str
    email: str
    phone: str
    website: str
    address: str
    description: str
    created_at: datetime
    updated_at: datetime


class OrganisationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrganisationOut]


class OrganisationFilters(PageParams):
    search: Search = ""
    kind: OrganisationKind = None


class OrganisationIn(InputSchema):
    name: text(160)
    kind: OrganisationKind
    kvk_number: KvkNumber = ""
    email: Email = ""
    phone: Phone = ""
    website: Website = ""
    address: text(200, required=False) = ""
    description: text(5000, required=False) = ""


class OrganisationPatch(InputSchema):
    name: text(160) = None
    kind: OrganisationKind = None
    kvk_number: KvkNumber = None
    email: Email = None
    phone: Phone = None
    website: Website = None
    address: text(200, required=False) = None
    description: text(5000, required=False) = None


# --- the caller -----------------------------------------------------------------------------------


class MeOut(Schema):
    user_id: int
    email: str
    full_name: str
    neighbourhood: NeighbourhoodOut | None
    person_id: int | None
    household_id: int | None
    is_staff: bool = Field(description="Staff of the wijkbedrijf of this neighbourhood.")
    organisation_ids: list[int] = Field(description="Organisations the caller represents here.")
