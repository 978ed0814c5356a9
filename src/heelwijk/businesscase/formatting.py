"""How figures read on pages and in exports: euros, percentages and ratios, localised."""

from decimal import Decimal

from django.utils import formats


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (23.40 -> 23.4, 100.00 -> 100)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def number(value, places: int | None = None) -> str:
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if places is None:
        value = _plain(value)
    return formats.number_format(value, decimal_pos=places, force_grouping=True)


def euro(value, places: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return "€ " + formats.number_format(Decimal(value), decimal_pos=places, force_grouping=True)


def euro_whole(value) -> str:
    return euro(value, 0)


def percent(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{number(value)} %"


def ratio(value) -> str:
    if value is None or value == "":
        return "—"
    return formats.number_format(Decimal(value), decimal_pos=2)
