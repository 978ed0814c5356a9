"""A greedy baseline: what a careful person with a spreadsheet would do, shown beside the MILP.

Each household takes the offer that saves it most at the tier that offer is expected to reach;
offers that end up below their minimum close, households above a capacity or who would pay more
at the tier actually reached drop out of that offer, and the round repeats until nothing changes.
A last repair pass only removes households or closes offers, so it always ends feasible.
"""

import time

from .pricing import offer_quantity, yearly_cost_cents
from .problem import OfferSpec, Problem
from .solution import Solution, SolveStatus, make_solution


def _highest_reachable_tier(offer: OfferSpec, quantity: int) -> int | None:
    reachable = [i for i, tier in enumerate(offer.tiers) if tier.min_quantity <= quantity]
    return reachable[-1] if reachable else None


def solve_greedy(problem: Problem, *, max_rounds: int = 50) -> Solution:
    began = time.perf_counter()
    offers = {o.id: o for o in problem.offers}
    households = {h.id: h for h in problem.households}
    cost: dict[tuple[int, int], tuple[int, ...]] = {}
    candidates: dict[int, list[int]] = {}
    for household in problem.households:
        candidates[household.id] = []
        for offer in problem.offers:
            if household.may_join(offer):
                candidates[household.id].append(offer.id)
                cost[household.id, offer.id] = tuple(
                    yearly_cost_cents(household.usage, tier) for tier in offer.tiers
                )

    def saving(household_id: int, offer_id: int, tier: int) -> int:
        return households[household_id].current_cost_cents - cost[household_id, offer_id][tier]

    # Start optimistic: the tier each offer would reach if every candidate joined it.
    expected: dict[int, int] = {}
    for offer in problem.offers:
        members = [h for h in candidates if offer.id in candidates[h]]
        count = len(members)
        if offer.capacity is not None:
            count = min(count, offer.capacity)
        volume = sum(households[h].usage for h in members)
        tier = _highest_reachable_tier(
            offer, offer_quantity(offer, households=count, volume=volume)
        )
        if tier is not None:
            expected[offer.id] = tier
    banned: set[tuple[int, int]] = set()
    chosen: dict[int, int] = {}

    for _round in range(max_rounds):
        chosen = {}
        for household_id, offer_ids in candidates.items():
            best, best_saving = None, -1
            for offer_id in offer_ids:
                if offer_id not in expected or (household_id, offer_id) in banned:
                    continue
                value = saving(household_id, offer_id, expected[offer_id])
                if value > best_saving:
                    best, best_saving = offer_id, value
            if best is not None:
                chosen[household_id] = best
        changed = False
        for offer_id in sorted(expected):
            offer = offers[offer_id]
            tier = expected[offer_id]
            members = sorted(
                (h for h, o in chosen.items() if o == offer_id),
                key=lambda h, o=offer_id, t=tier: (-saving(h, o, t), h),
            )
            keep, dropped = _fit(offer, members, households)
            for household_id in dropped:
                banned.add((household_id, offer_id))
                changed = True
            actual = _tier_of(offer, keep, households)
            if actual is None:
                del expected[offer_id]
                changed = True
                continue
            for household_id in keep:
                if saving(household_id, offer_id, actual) < 0:
                    banned.add((household_id, offer_id))
                    changed = True
            if actual != tier:
                expected[offer_id] = actual
                changed = True
        if not changed:
            break

    offer_tiers = _repair(problem, chosen, households, offers, cost)
    return make_solution(
        problem,
        method="greedy",
        status=SolveStatus.HEURISTIC,
        offer_tiers=offer_tiers,
        chosen=chosen,
        seconds=time.perf_counter() - began,
    )


def _fit(offer: OfferSpec, members: list[int], households) -> tuple[list[int], list[int]]:
    """Keep the best members within capacity and the top tier's upper end."""
    keep = list(members)
    if offer.capacity is not None and len(keep) > offer.capacity:
        keep = keep[: offer.capacity]
    top = offer.tiers[-1].max_quantity
    if top is not None:
        while (
            keep
            and offer_quantity(
                offer, households=len(keep), volume=sum(households[h].usage for h in keep)
            )
            > top
        ):
            keep.pop()
    kept = set(keep)
    return keep, [h for h in members if h not in kept]


def _tier_of(offer: OfferSpec, members: list[int], households) -> int | None:
    """The tier the members reach, or None when the offer cannot go ahead with them."""
    if len(members) < max(offer.min_households, 1):
        return None
    quantity = offer_quantity(
        offer, households=len(members), volume=sum(households[h].usage for h in members)
    )
    return offer.tier_index_for(quantity)


def _repair(problem: Problem, chosen: dict[int, int], households, offers, cost) -> dict[int, int]:
    """Only remove households or close offers until every rule holds; returns the offer tiers."""
    while True:
        stable = True
        tiers: dict[int, int] = {}
        for offer_id in sorted(set(chosen.values())):
            offer = offers[offer_id]
            members = [h for h, o in chosen.items() if o == offer_id]
            # Judge members at the lowest tier, so the least-saving drop out first when trimming.
            members.sort(
                key=lambda h, o=offer_id: (cost[h, o][0] - households[h].current_cost_cents, h)
            )
            keep, dropped = _fit(offer, members, households)
            for household_id in dropped:
                del chosen[household_id]
                stable = False
            tier = _tier_of(offer, keep, households)
            if tier is None:
                for household_id in keep:
                    del chosen[household_id]
                stable = False
                continue
            losers = [h for h in keep if cost[h, offer_id][tier] > households[h].current_cost_cents]
            for household_id in losers:
                del chosen[household_id]
                stable = False
            tiers[offer_id] = tier
        if stable:
            return tiers
