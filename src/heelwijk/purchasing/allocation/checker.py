"""An independent check of an allocation: it trusts neither the solver nor the greedy code.

It re-reads the raw offers and households, re-derives eligibility, counts, volumes and the tier
each offer reaches, and recomputes every household's yearly cost with Decimal (not with the
integer pricing helper the solvers use). Any disagreement is reported as a violation.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .problem import HouseholdSpec, OfferSpec, Problem, TierBasis
from .solution import Solution

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Violation:
    code: str
    detail: str
    household_id: int | None = None
    offer_id: int | None = None


class AllocationCheckFailed(Exception):
    def __init__(self, violations: list[Violation]):
        self.violations = violations
        summary = "; ".join(v.detail for v in violations[:5])
        super().__init__(f"{len(violations)} violation(s): {summary}")


def yearly_cost_euros(household: HouseholdSpec, offer: OfferSpec, tier_index: int) -> Decimal:
    tier = offer.tiers[tier_index]
    fee = Decimal(tier.fixed_fee_cents) / 100
    usage_charge = Decimal(household.usage) * Decimal(tier.unit_price_micros) / Decimal(1_000_000)
    return (fee + usage_charge.quantize(CENT, rounding=ROUND_HALF_UP)).quantize(CENT)


def _eligible(household: HouseholdSpec, offer: OfferSpec) -> str | None:
    """Why the household may not join the offer, or None when it may."""
    if household.accepts is not None and offer.id not in household.accepts:
        return "not_accepted"
    missing = set(household.required_features) - set(offer.features)
    if missing:
        return "missing_feature"
    if offer.area_ids and household.area_id not in offer.area_ids:
        return "outside_area"
    if offer.min_usage is not None and household.usage < offer.min_usage:
        return "usage_too_low"
    if offer.max_usage is not None and household.usage > offer.max_usage:
        return "usage_too_high"
    return None


def check_solution(problem: Problem, solution: Solution) -> list[Violation]:
    households = {h.id: h for h in problem.households}
    offers = {o.id: o for o in problem.offers}
    violations: list[Violation] = []
    seen: set[int] = set()
    members: dict[int, list[HouseholdSpec]] = defaultdict(list)
    total = Decimal(0)

    for a in solution.assignments:
        household = households.get(a.household_id)
        offer = offers.get(a.offer_id)
        if household is None or offer is None:
            violations.append(
                Violation("unknown", "assignment to an unknown household or offer", a.household_id)
            )
            continue
        if a.household_id in seen:
            violations.append(
                Violation(
                    "twice", f"household {a.household_id} has more than one offer", a.household_id
                )
            )
        seen.add(a.household_id)
        reason = _eligible(household, offer)
        if reason:
            violations.append(
                Violation(
                    reason,
                    f"household {household.id} may not join offer {offer.id} ({reason})",
                    household.id,
                    offer.id,
                )
            )
        declared = solution.offer_tiers.get(offer.id)
        if declared != a.tier_index or not 0 <= a.tier_index < len(offer.tiers):
            violations.append(
                Violation(
                    "tier_mismatch",
                    f"household {household.id} is billed at tier {a.tier_index} of offer "
                    f"{offer.id}, which runs at tier {declared}",
                    household.id,
                    offer.id,
                )
            )
            continue
        cost = yearly_cost_euros(household, offer, a.tier_index)
        current = Decimal(household.current_cost_cents) / 100
        if cost > current:
            violations.append(
                Violation(
                    "costs_more",
                    f"household {household.id} would pay {cost} instead of {current}",
                    household.id,
                    offer.id,
                )
            )
        if Decimal(a.yearly_cost_cents) / 100 != cost:
            violations.append(
                Violation(
                    "wrong_cost",
                    f"household {household.id}: stated cost {a.yearly_cost_cents} cents, "
                    f"recomputed {cost}",
                    household.id,
                    offer.id,
                )
            )
        if Decimal(a.saving_cents) / 100 != current - cost:
            violations.append(
                Violation(
                    "wrong_saving",
                    f"household {household.id}: stated saving {a.saving_cents} cents, "
                    f"recomputed {current - cost}",
                    household.id,
                    offer.id,
                )
            )
        total += current - cost
        members[offer.id].append(household)

    for offer_id, tier_index in solution.offer_tiers.items():
        offer = offers.get(offer_id)
        if offer is None or not 0 <= tier_index < len(offer.tiers):
            violations.append(
                Violation("unknown_tier", f"offer {offer_id} has no tier {tier_index}")
            )
            continue
        group = members.get(offer_id, [])
        count = len(group)
        volume = sum(h.usage for h in group)
        if count == 0:
            violations.append(
                Violation(
                    "empty_offer", f"offer {offer_id} goes ahead without households", None, offer_id
                )
            )
            continue
        if count < offer.min_households:
            violations.append(
                Violation(
                    "below_minimum",
                    f"offer {offer_id} has {count} households, needs {offer.min_households}",
                    None,
                    offer_id,
                )
            )
        if offer.capacity is not None and count > offer.capacity:
            violations.append(
                Violation(
                    "over_capacity",
                    f"offer {offer_id} has {count} households, capacity {offer.capacity}",
                    None,
                    offer_id,
                )
            )
        quantity = count if offer.basis == TierBasis.HOUSEHOLDS else volume
        tier = offer.tiers[tier_index]
        if quantity < tier.min_quantity or (
            tier.max_quantity is not None and quantity > tier.max_quantity
        ):
            violations.append(
                Violation(
                    "outside_tier",
                    f"offer {offer_id} reaches {quantity}, outside tier {tier_index} "
                    f"[{tier.min_quantity}, {tier.max_quantity}]",
                    None,
                    offer_id,
                )
            )
    for offer_id in members:
        if offer_id not in solution.offer_tiers:
            violations.append(
                Violation("no_tier", f"offer {offer_id} has households but no tier", None, offer_id)
            )

    if Decimal(solution.total_saving_cents) / 100 != total:
        violations.append(
            Violation(
                "wrong_total",
                f"stated total saving {solution.total_saving_cents} cents, recomputed {total}",
            )
        )
    return violations


def verify_solution(problem: Problem, solution: Solution) -> Decimal:
    """Raise AllocationCheckFailed unless the solution is feasible; return its saving in euros."""
    violations = check_solution(problem, solution)
    if violations:
        raise AllocationCheckFailed(violations)
    return Decimal(solution.total_saving_cents) / 100
