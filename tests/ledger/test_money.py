"""Amounts: to and from minor units, and how they are written for people."""

from decimal import Decimal

import pytest
from django.utils import translation

from heelwijk.ledger.errors import InvalidAmount
from heelwijk.ledger.models import Unit
from heelwijk.ledger.money import format_amount, from_minor, to_minor

EUR = Unit(code="EUR", name="euro", symbol="€", decimals=2, kind="eur")
KWH = Unit(code="KWH", name="kilowattuur", symbol="kWh", decimals=3, kind="kwh")
HOUR = Unit(code="HOUR", name="uur", symbol="u", decimals=2, kind="hour")
POINTS = Unit(code="PT", name="punt", symbol="", decimals=0, kind="local_currency")


@pytest.mark.parametrize(
    ("amount", "unit", "minor"),
    [
        ("12.50", EUR, 1250),
        ("12.5", EUR, 1250),
        (Decimal("0.01"), EUR, 1),
        (12, EUR, 1200),
        ("-50", EUR, -5000),
        ("1.5", KWH, 1500),
        ("0.001", KWH, 1),
        ("1e2", EUR, 10000),
        ("12.500", EUR, 1250),  # trailing zeros are not extra precision
        (7, POINTS, 7),
    ],
)
def test_to_minor(amount, unit, minor):
    assert to_minor(amount, unit) == minor


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        (12.5, EUR, "Amounts are never floats; pass a Decimal or a string such as “12.50”."),
        ("0.001", EUR, "0.001 has more decimals than this unit allows (2)."),
        ("1.0001", KWH, "1.0001 has more decimals than this unit allows (3)."),
        ("12,50", EUR, "“12,50” is not an amount. Write it like 12.50."),
        ("", EUR, "“” is not an amount. Write it like 12.50."),
        ("NaN", EUR, "An amount must be a finite number."),
        ("Infinity", EUR, "An amount must be a finite number."),
        (True, EUR, "An amount must be a Decimal, a string or an integer, not bool."),
        ("1e20", EUR, "1E+20 is too large."),
        ("0.5", POINTS, "0.5 has more decimals than this unit allows (0)."),
    ],
)
def test_to_minor_refuses_with_a_clear_message(amount, unit, message):
    with translation.override("en"), pytest.raises(InvalidAmount) as refused:
        to_minor(amount, unit)
    with translation.override("en"):
        assert str(refused.value) == message


def test_from_minor_is_an_exact_decimal_with_the_units_decimals():
    assert from_minor(1250, EUR) == Decimal("12.50")
    assert str(from_minor(1250, EUR)) == "12.50"
    assert str(from_minor(-1, KWH)) == "-0.001"
    assert str(from_minor(7, POINTS)) == "7"
    with pytest.raises(InvalidAmount):
        from_minor(12.5, EUR)  # type: ignore[arg-type]


def test_to_minor_and_from_minor_round_trip():
    for minor in (0, 1, -1, 99, 100, 123456789, -987654321):
        assert to_minor(from_minor(minor, KWH), KWH) == minor


@pytest.mark.parametrize(
    ("language", "minor", "unit", "text"),
    [
        ("nl", 1250, EUR, "€ 12,50"),
        ("en", 1250, EUR, "€ 12.50"),
        ("nl", 123456789, EUR, "€ 1.234.567,89"),
        ("en", 123456789, EUR, "€ 1,234,567.89"),
        ("nl", -5001, EUR, "€ -50,01"),
        ("nl", 12500, KWH, "12,500 kWh"),
        ("nl", 250, HOUR, "2,50 u"),
        ("nl", 7, POINTS, "7"),
    ],
)
def test_format_amount(language, minor, unit, text):
    with translation.override(language):
        assert format_amount(minor, unit) == text
