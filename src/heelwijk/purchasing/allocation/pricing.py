"""Yearly cost of a household under a tier, in integer cents (the solver's and greedy's path).

The checker deliberately does not use this module: it recomputes costs with Decimal on its own.
"""

from .problem import OfferSpec, Tier, TierBasis

MICROS_PER_CENT = 10_000


def usage_charge_cents(usage: int, unit_price_micros: int) -> int:
    """usage x price, rounded to whole cents, halves away from zero (both are never negative)."""
    micros = usage * unit_price_micros
    return (micros + MICROS_PER_CENT // 2) // MICROS_PER_CENT


def yearly_cost_cents(usage: int, tier: Tier) -> int:
    return tier.fixed_fee_cents + usage_charge_cents(usage, tier.unit_price_micros)


def offer_quantity(offer: OfferSpec, *, households: int, volume: int) -> int:
    return households if offer.basis is TierBasis.HOUSEHOLDS else volume
