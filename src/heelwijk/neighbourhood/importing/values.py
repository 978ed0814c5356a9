"""Turn the text of one cell into a value, or explain in the user's language what is wrong."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from .columns import Choice, choice_lookup, normalise


class CellError(Exception):
    """The text of a cell cannot be used; str(exc) is the message for the report."""


_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
_HOUSE_NUMBER = re.compile(r"^([0-9]{1,5})(?:\s*[-/ ]?\s*([A-Za-z0-9][A-Za-z0-9 -]*))?$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
_KVK = re.compile(r"^[0-9]{8}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
EARLIEST_DATE = dt.date(1900, 1, 1)


def text(value: str, *, max_length: int | None) -> str:
    if max_length is not None and len(value) > max_length:
        raise CellError(
            _("Too long: at most %(max)s characters, this has %(length)s.")
            % {"max": max_length, "length": len(value)}
        )
    return value


def postcode_key(value: str) -> str:
    """The form postcodes are compared in: '1234 ab' and '1234AB' both become '1234AB'."""
    return value.replace(" ", "").upper()


def postcode(value: str) -> str:
    match = _POSTCODE.match(value.strip())
    if not match:
        raise CellError(
            _(
                "“%(value)s” is not a Dutch postcode. Write it as four digits and two letters, "
                "like 1234 AB."
            )
            % {"value": value}
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def house_number(value: str) -> tuple[int, str]:
    """A house number, possibly with its addition written behind it (12a, 12-2, 12 bis)."""
    match = _HOUSE_NUMBER.match(value.strip())
    if not match or int(match.group(1)) < 1:
        raise CellError(
            _("“%(value)s” is not a house number. Write a number such as 12 or 12a.")
            % {"value": value}
        )
    suffix = (match.group(2) or "").strip()
    return int(match.group(1)), text(suffix, max_length=10)


def whole_number(value: str, *, minimum: int, maximum: int) -> int:
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    number = int(value)
    if not minimum <= number <= maximum:
        raise CellError(
            _("%(value)s is outside the range %(min)s to %(max)s.")
            % {"value": number, "min": minimum, "max": maximum}
        )
    return number


def date(value: str, *, today: dt.date | None = None) -> dt.date:
    """A date written as 31-12-1980, 31/12/1980, 31.12.1980 or 1980-12-31; never in the future."""
    for pattern in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        break
    else:
        raise CellError(
            _("“%(value)s” is not a date. Write it like 31-12-1980 or 1980-12-31.")
            % {"value": value}
        )
    today = today or timezone.localdate()
    if parsed > today:
        raise CellError(_("The date %(value)s lies in the future.") % {"value": value})
    if parsed < EARLIEST_DATE:
        raise CellError(_("The date %(value)s lies before 1900.") % {"value": value})
    return parsed


def email(value: str) -> str:
    try:
        EmailValidator()(value)
    except ValidationError as exc:
        raise CellError(_("“%(value)s” is not a valid e-mail address.") % {"value": value}) from exc
    return text(value, max_length=254)


def phone(value: str) -> str:
    if not _PHONE.match(value):
        raise CellError(
            _("“%(value)s” is not a phone number. Use digits, spaces, + and - only.")
            % {"value": value}
        )
    return value


def kvk_number(value: str) -> str:
    compact = re.sub(r"[\s.]", "", value)
    if not _KVK.match(compact):
        raise CellError(
            _("“%(value)s” is not a KvK number. A KvK number has 8 digits.") % {"value": value}
        )
    return compact


def website(value: str) -> str:
    url = value if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value) else f"https://{value}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise CellError(_("“%(value)s” is not a web address.") % {"value": value}) from exc
    return text(url, max_length=200)


def choice(value: str, choices: tuple[Choice, ...]) -> str:
    found = choice_lookup(choices).get(normalise(value))
    if found is not None:
        return found
    raise CellError(
        _("“%(value)s” is not one of the choices. Use one of: %(choices)s.")
        % {"value": value, "choices": ", ".join(option.shown() for option in choices)}
    )
