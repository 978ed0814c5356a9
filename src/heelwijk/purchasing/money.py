"""Conversions between what people type (euros) and what is stored (integer cents, micro-euros).

Yearly amounts are stored in whole cents; prices per unit (e.g. per kWh) in millionths of a
euro, because tariffs are quoted with more decimals than cents. Never float.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENTS = 100
MICROS = 1_000_000


def euros_to_cents(value, *, field: str = "amount") -> int:
    """A euro amount with at most two decimals as whole cents; refuses fractions of a cent."""
    amount = _decimal(value, field)
    cents = amount * CENTS
    if cents != cents.to_integral_value():
        raise ValidationError({field: _("Use at most two decimals for an amount in euros.")})
    return int(cents)


def price_to_micros(value, *, field: str = "unit_price") -> int:
    """A price per unit with at most six decimals as millionths of a euro."""
    amount = _decimal(value, field)
    micros = amount * MICROS
    if micros != micros.to_integral_value():
        raise ValidationError({field: _("Use at most six decimals for a price per unit.")})
    return int(micros)


def cents_to_euros(cents: int | None) -> Decimal | None:
    if cents is None:
        return None
    return (Decimal(cents) / CENTS).quantize(Decimal("0.01"))


def euros_text(cents: int | None) -> str | None:
    """Cents as a plain decimal string for JSON ("12.50"); None stays None."""
    value = cents_to_euros(cents)
    return None if value is None else str(value)


def micros_to_price(micros: int | None) -> Decimal | None:
    if micros is None:
        return None
    return (Decimal(micros) / MICROS).normalize()


def round_to_cents(amount: Decimal) -> int:
    """The one rounding rule for money in this app: to whole cents, halves away from zero."""
    return int((amount * CENTS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _decimal(value, field: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money is never a float")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount such as 12.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount such as 12.50.")})
    return amount


def format_euros(cents: int | None) -> str:
    """An amount in cents as text in the active language, e.g. '€ 1.234,56' in Dutch."""
    from django.utils import formats

    if cents is None:
        return ""
    return "€ " + formats.number_format(
        cents_to_euros(cents), 2, use_l10n=True, force_grouping=True
    )
