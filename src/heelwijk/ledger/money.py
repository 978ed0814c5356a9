"""Amounts: integer minor units in the database, Decimal in Python, never float.

``to_minor`` is the one place where a human amount becomes minor units: "12.50" euro → 1250,
"1.5" kWh → 1500 (3 decimals). It refuses floats (binary fractions cannot hold 0.10 exactly)
and amounts with more decimals than the unit has, instead of rounding silently. ``from_minor``
goes back to an exact Decimal, and ``format_amount`` writes an amount for people in the active
language: "€ 12,50" in Dutch, "€ 12.50" in English; hours and kWh put the symbol after the number.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .errors import InvalidAmount

# Far above any real amount, far below the 64-bit limit of a BigIntegerField, so sums of many
# amounts still fit.
MAX_MINOR = 10**15
# Unit kinds whose symbol goes after the number ("2,50 uur", "3,000 kWh").
SYMBOL_AFTER = frozenset({"hour", "kwh"})


class UnitLike(Protocol):
    decimals: int
    symbol: str
    kind: str


def to_minor(amount: Decimal | str | int, unit: UnitLike) -> int:
    """Whole minor units for ``amount`` in ``unit``; refuses floats and over-precise amounts.

    An int means whole units (``to_minor(12, eur) == 1200``); a str is read as a Decimal with a
    dot as decimal separator (parse localised input in the form layer).
    """
    if isinstance(amount, float):
        raise InvalidAmount(
            _("Amounts are never floats; pass a Decimal or a string such as “12.50”.")
        )
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, str, int)):
        raise InvalidAmount(
            _("An amount must be a Decimal, a string or an integer, not %(type)s."),
            params={"type": type(amount).__name__},
        )
    if isinstance(amount, str):
        text = amount.strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidAmount(
                _("“%(text)s” is not an amount. Write it like 12.50."), params={"text": amount}
            ) from None
    else:
        value = Decimal(amount)
    if not value.is_finite():
        raise InvalidAmount(_("An amount must be a finite number."))
    scaled = value.scaleb(unit.decimals)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(
            _("%(amount)s has more decimals than this unit allows (%(decimals)s)."),
            params={"amount": str(value), "decimals": unit.decimals},
        )
    minor = int(scaled)
    if abs(minor) > MAX_MINOR:
        raise InvalidAmount(_("%(amount)s is too large."), params={"amount": str(value)})
    return minor


def from_minor(minor: int, unit: UnitLike) -> Decimal:
    """The exact Decimal for ``minor`` minor units, with exactly the unit's decimals."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise InvalidAmount(
            _("Minor units are whole numbers, not %(type)s."), params={"type": type(minor).__name__}
        )
    return Decimal(minor).scaleb(-unit.decimals)


def format_amount(minor: int, unit: UnitLike) -> str:
    """``minor`` written for people in the active language, e.g. "€ 12,50" or "3,000 kWh"."""
    number = formats.number_format(
        from_minor(minor, unit), decimal_pos=unit.decimals, use_l10n=True, force_grouping=True
    )
    if not unit.symbol:
        return number
    if unit.kind in SYMBOL_AFTER:
        return f"{number} {unit.symbol}"
    return f"{unit.symbol} {number}"


# For messages shown later (errors, verify reports): formatted in the language active then.
format_amount_lazy = lazy(format_amount, str)
