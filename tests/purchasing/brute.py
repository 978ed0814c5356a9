"""Brute force over every assignment: the reference the MILP is compared with on tiny problems."""

import itertools

from heelwijk.purchasing.allocation.problem import Problem, TierBasis


def _cost_cents(usage: int, tier) -> int:
    # Written separately from the app's pricing module on purpose: exact rational arithmetic.
    from fractions import Fraction

    charge = Fraction(usage * tier.unit_price_micros, 10_000)
    whole = int(charge)
    if charge - whole >= Fraction(1, 2):
        whole += 1
    return tier.fixed_fee_cents + whole


def best_saving(problem: Problem) -> int:
    """The highest total saving (cents) of any feasible allocation."""
    options = [[None, *[o for o in problem.offers if h.may_join(o)]] for h in problem.households]
    best = 0
    for choice in itertools.product(*options):
        groups: dict[int, list] = {}
        for household, offer in zip(problem.households, choice, strict=True):
            if offer is not None:
                groups.setdefault(offer.id, []).append(household)
        total = 0
        feasible = True
        for offer_id, members in groups.items():
            offer = problem.offer(offer_id)
            count = len(members)
            volume = sum(h.usage for h in members)
            quantity = count if offer.basis is TierBasis.HOUSEHOLDS else volume
            tier = next(
                (
                    t
                    for t in offer.tiers
                    if t.min_quantity <= quantity
                    and (t.max_quantity is None or quantity <= t.max_quantity)
                ),
                None,
            )
            if (
                tier is None
                or count < offer.min_households
                or (offer.capacity is not None and count > offer.capacity)
            ):
                feasible = False
                break
            for h in members:
                cost = _cost_cents(h.usage, tier)
                if cost > h.current_cost_cents:
                    feasible = False
                    break
                total += h.current_cost_cents - cost
            if not feasible:
                break
        if feasible and total > best:
            best = total
    return best
