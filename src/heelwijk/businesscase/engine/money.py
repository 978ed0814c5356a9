"""Rounding of euro amounts: one place decides how a Decimal becomes whole cents."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

# Intermediate results (discount factors, drop-off powers) keep 50 significant digits, so the
# only rounding a reader has to follow is the final one to whole cents, half away from zero.
PRECISION = Context(prec=50, rounding=ROUND_HALF_EVEN)


def round_money(amount: Decimal) -> Decimal:
    """An amount in euros rounded to whole cents (half up, as Dutch reports do)."""
    with localcontext(PRECISION):
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    """Whole cents of an amount that has at most two decimals; refuses anything finer."""
    rounded = round_money(amount)
    if rounded != amount:
        raise ValueError(f"{amount} has more than two decimals")
    return int(rounded.scaleb(2))


def from_cents(cents: int) -> Decimal:
    with localcontext(PRECISION):
        return Decimal(int(cents)).scaleb(-2).quantize(CENT)


def fraction(percent: Decimal) -> Decimal:
    """A percentage (0-100) as a fraction (0-1), exactly."""
    with localcontext(PRECISION):
        return Decimal(percent) / HUNDRED
