"""Seeded random allocation problems for benchmarks and tests (no real data involved).

Usage and prices are loosely based on published Dutch figures: an average household uses about
1,706 kWh of electricity a year (CBS, "De energierekening januari 2025"); collective purchases
have saved 20-25 % of the bill (Flemish group purchases, 2012).
"""

import random

from .problem import HouseholdSpec, OfferSpec, Problem, Tier, TierBasis

FEATURES = ("green", "local", "monthly_cancel")


def random_problem(
    *,
    seed: int,
    households: int,
    offers: int,
    tiers: int,
    areas: int = 4,
    accept_any_share: float = 0.8,
) -> Problem:
    rng = random.Random(seed)
    household_specs = []
    for i in range(households):
        usage = rng.randint(800, 5000)
        price = rng.randint(240_000, 400_000)  # micro-euros per kWh today
        fee = rng.randint(5_000, 12_000)  # cents a year today
        current = fee + (usage * price + 5_000) // 10_000
        required = frozenset({"green"}) if rng.random() < 0.3 else frozenset()
        accepts = None
        if offers and rng.random() > accept_any_share:
            accepts = frozenset(rng.sample(range(1, offers + 1), k=rng.randint(1, offers)))
        household_specs.append(
            HouseholdSpec(
                id=i + 1,
                usage=usage,
                current_cost_cents=current,
                required_features=required,
                area_id=rng.randint(1, areas),
                accepts=accepts,
            )
        )
    mean_usage = 2_900
    offer_specs = []
    for j in range(offers):
        basis = TierBasis.HOUSEHOLDS if j % 2 else TierBasis.VOLUME
        scale = max(households, 1)
        # Thresholds at growing shares of the neighbourhood.
        shares = sorted(rng.uniform(0.02, 0.5) for _ in range(tiers - 1))
        counts = [0] + [max(1, int(s * scale / max(offers / 3, 1))) for s in shares]
        counts = sorted(set(counts))
        while len(counts) < tiers:
            counts.append(counts[-1] + rng.randint(1, 5))
        base_price = rng.randint(220_000, 310_000)
        base_fee = rng.randint(4_000, 10_000)
        tier_specs = []
        for t in range(tiers):
            low = counts[t] if basis is TierBasis.HOUSEHOLDS else counts[t] * mean_usage
            if t + 1 < tiers:
                nxt = counts[t + 1] if basis is TierBasis.HOUSEHOLDS else counts[t + 1] * mean_usage
                high = nxt - 1
            else:
                high = None
            tier_specs.append(
                Tier(
                    min_quantity=low,
                    max_quantity=high,
                    unit_price_micros=int(base_price * (1 - 0.03 * t)),
                    fixed_fee_cents=int(base_fee * (1 - 0.05 * t)),
                )
            )
        minimum = max(1, int(rng.uniform(0.005, 0.04) * scale))
        capacity = None if rng.random() < 0.3 else max(minimum, int(rng.uniform(0.1, 0.4) * scale))
        features = frozenset(f for f in FEATURES if rng.random() < 0.5)
        area_ids = (
            frozenset(rng.sample(range(1, areas + 1), k=2)) if rng.random() < 0.25 else frozenset()
        )
        offer_specs.append(
            OfferSpec(
                id=j + 1,
                tiers=tuple(tier_specs),
                basis=basis,
                min_households=minimum,
                capacity=capacity,
                features=features,
                area_ids=area_ids,
            )
        )
    return Problem(households=tuple(household_specs), offers=tuple(offer_specs))
