"""Number fields that read Dutch (1.234,56) and English (1,234.56) notation into Decimal."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _


def parse_number(text: str, language: str | None = None) -> Decimal:
    """Read a number typed the Dutch way (1.234,56) or the English way (1,234.56).

    A lone separator is read as the decimal separator unless it clearly groups thousands
    (2.000.000 or, in English, 2,000,000).
    """
    language = (language or translation.get_language() or "nl")[:2]
    s = re.sub(r"[\s\u00a0€%_']", "", str(text))
    negative = s.startswith("-")
    if s[:1] in ("+", "-"):
        s = s[1:]
    group, decimal = (",", ".") if language == "en" else (".", ",")
    if group in s and decimal in s:
        if s.rfind(group) > s.rfind(decimal):
            group, decimal = decimal, group
        if s.count(decimal) != 1:
            raise ValueError(text)
        s = s.replace(group, "").replace(decimal, ".")
    elif group in s:
        if re.fullmatch(r"\d{1,3}(" + re.escape(group) + r"\d{3})+", s):
            s = s.replace(group, "")
        elif s.count(group) == 1:
            s = s.replace(group, ".")
        else:
            raise ValueError(text)
    elif decimal in s:
        if s.count(decimal) != 1:
            raise ValueError(text)
        s = s.replace(decimal, ".")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", s):
        raise ValueError(text)
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    return -value if negative else value


class NumberField(forms.Field):
    """A Decimal typed as text, in either language's notation, with range and decimals checked."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Enter a number, for example 1.250,50."),
        "negative": _("This cannot be negative."),
        "max_value": _("This can be at most %(limit)s."),
        "min_value": _("This must be at least %(limit)s."),
        "decimals": _("Use at most %(places)s decimals."),
    }

    def __init__(self, *, min_value=None, max_value=None, decimal_places=2, **kwargs):
        self.min_value, self.max_value, self.decimal_places = min_value, max_value, decimal_places
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            # 5000.00 shows as 5.000 and 23.40 as 23,4; both read back to the same number.
            if value == value.to_integral():
                value = value.quantize(Decimal(1))
            else:
                value = value.normalize()
            return formats.number_format(value, force_grouping=True)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_number(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            code = "negative" if self.min_value == 0 else "min_value"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"limit": self.min_value}
            )
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"], code="max_value", params={"limit": self.max_value}
            )
        if abs(value) < 10**15 and value != value.quantize(Decimal(1).scaleb(-self.decimal_places)):
            raise forms.ValidationError(
                self.error_messages["decimals"],
                code="decimals",
                params={"places": self.decimal_places},
            )


def euro_field(**kwargs) -> NumberField:
    kwargs.setdefault("min_value", Decimal(0))
    kwargs.setdefault("max_value", Decimal("9999999999999.99"))
    return NumberField(decimal_places=2, **kwargs)


def percent_field(**kwargs) -> NumberField:
    return NumberField(min_value=Decimal(0), max_value=Decimal(100), decimal_places=2, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
