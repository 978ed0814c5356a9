"""Amounts of a currency as people type them ("7,50", "7.50", "1.250,00") and as they read them.

``parse_amount`` is the one place where typed text becomes minor units for a payment: it refuses
zero, negative and over-precise amounts with a message that names the currency, instead of
rounding. Storing and formatting go through the ledger's ``money`` helpers.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from heelwijk.ledger.money import MAX_MINOR, format_amount

from .models import Currency

_TYPED = re.compile(r"^[+-]?[0-9][0-9.,]*$|^[+-]?[.,][0-9]+$")


def _normalise(text: str) -> str:
    """ "1.250,50" → "1250.50"; "7,5" → "7.5"; "7.50" → "7.50". The last separator is the
    decimal one when both appear; a lone separator is always the decimal one."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_sep == "," else ","
        text = text.replace(grouping, "")
        return text.replace(",", ".")
    if text.count(",") > 1 or text.count(".") > 1:
        raise ValueError
    return text.replace(",", ".")


def parse_amount(value: str | Decimal | int, currency: Currency, *, field: str = "amount") -> int:
    """Minor units of ``currency`` for a typed or sent amount; a clear ValidationError on the
    field ``field`` for anything that is not a positive amount with at most two decimals."""
    unit = currency.unit
    if isinstance(value, (bool, float)):
        raise ValidationError(
            {field: _("Send the amount as text, such as “7.50”.")}, code="amount_type"
        )
    try:
        if isinstance(value, str):
            text = value.strip()
            if not text or not _TYPED.match(text):
                raise ValueError
            number = Decimal(_normalise(text))
        else:
            number = Decimal(value)
    except (ValueError, InvalidOperation):
        raise ValidationError(
            {field: _("“%(text)s” is not an amount. Write it like 7,50.") % {"text": value}},
            code="not_an_amount",
        ) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter an amount such as 7,50.")}, code="not_an_amount")
    if number <= 0:
        raise ValidationError(
            {field: _("Enter an amount of more than zero.")}, code="amount_not_positive"
        )
    scaled = number.scaleb(unit.decimals)
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            {
                field: _(
                    "%(currency)s has at most %(decimals)s decimals: round %(amount)s to whole "
                    "cents."
                )
                % {"currency": currency.name, "decimals": unit.decimals, "amount": number}
            },
            code="amount_too_precise",
        )
    minor = int(scaled)
    if minor > MAX_MINOR:
        raise ValidationError({field: _("This amount is too large.")}, code="amount_too_large")
    return minor


def check_minor(amount: object, *, field: str = "amount") -> int:
    """An amount already in minor units (actions get these): a positive whole number."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError({field: _("Enter an amount such as 7,50.")}, code="not_an_amount")
    if amount <= 0:
        raise ValidationError(
            {field: _("Enter an amount of more than zero.")}, code="amount_not_positive"
        )
    if amount > MAX_MINOR:
        raise ValidationError({field: _("This amount is too large.")}, code="amount_too_large")
    return amount


def show(amount: int | None, currency: Currency) -> str:
    """``amount`` minor units written for people, e.g. "L 7,50" or "2,50 u"."""
    if amount is None:
        return ""
    return format_amount(amount, currency.unit)


def plain_decimal(amount: int, currency: Currency) -> str:
    """The amount as a plain decimal string for the API and CSV, e.g. "7.50"."""
    return str(
        Decimal(amount)
        .scaleb(-currency.unit.decimals)
        .quantize(Decimal(1).scaleb(-currency.unit.decimals))
    )
