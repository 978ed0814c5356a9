"""The allocation problem as plain, immutable data: households, offers and their price tiers."""

from dataclasses import dataclass
from enum import Enum


class TierBasis(str, Enum):
    """What decides an offer's tier: the total usage of its households, or how many there are."""

    VOLUME = "volume"
    HOUSEHOLDS = "households"


@dataclass(frozen=True)
class Tier:
    """One all-units price tier: when the offer's quantity lies in [min, max], every household
    pays `fixed_fee_cents` a year plus `unit_price_micros` (millionths of a euro) per unit used.
    `max_quantity` None means no upper end."""

    min_quantity: int
    max_quantity: int | None
    unit_price_micros: int
    fixed_fee_cents: int

    def contains(self, quantity: int) -> bool:
        return quantity >= self.min_quantity and (
            self.max_quantity is None or quantity <= self.max_quantity
        )


@dataclass(frozen=True)
class OfferSpec:
    id: int
    tiers: tuple[Tier, ...]
    basis: TierBasis = TierBasis.VOLUME
    min_households: int = 1
    capacity: int | None = None  # most households the supplier can take; None: no limit
    features: frozenset[str] = frozenset()
    area_ids: frozenset[int] = frozenset()  # empty: the whole neighbourhood
    min_usage: int | None = None
    max_usage: int | None = None

    def tier_index_for(self, quantity: int) -> int | None:
        for index, tier in enumerate(self.tiers):
            if tier.contains(quantity):
                return index
        return None


@dataclass(frozen=True)
class HouseholdSpec:
    id: int
    usage: int  # yearly usage in the category's unit (kWh, m³, persons, …), at least 1
    current_cost_cents: int  # what the household pays a year today
    required_features: frozenset[str] = frozenset()  # hard constraints, e.g. {"green"}
    area_id: int | None = None
    accepts: frozenset[int] | None = None  # offer ids it would accept; None: any offer

    def may_join(self, offer: OfferSpec) -> bool:
        """Whether the household both accepts the offer and is eligible for it."""
        if self.accepts is not None and offer.id not in self.accepts:
            return False
        if not self.required_features <= offer.features:
            return False
        if offer.area_ids and self.area_id not in offer.area_ids:
            return False
        if offer.min_usage is not None and self.usage < offer.min_usage:
            return False
        return offer.max_usage is None or self.usage <= offer.max_usage


@dataclass(frozen=True)
class Problem:
    households: tuple[HouseholdSpec, ...]
    offers: tuple[OfferSpec, ...]

    def offer(self, offer_id: int) -> OfferSpec:
        for offer in self.offers:
            if offer.id == offer_id:
                return offer
        raise KeyError(offer_id)
