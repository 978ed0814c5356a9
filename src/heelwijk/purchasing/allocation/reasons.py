"""Why a household got no offer, as a short code the interface turns into plain language."""

from .pricing import yearly_cost_cents
from .problem import HouseholdSpec, Problem
from .solution import Solution

NO_MATCH = "no_match"  # no offer it accepts is open to it (conditions, area, usage)
COSTS_MORE = "costs_more"  # every suitable offer costs more than today
NOT_GOING_AHEAD = "not_going_ahead"  # suitable offers that would save did not go ahead
FULL = "full"  # a suitable, cheaper offer went ahead but had no room for it


def unplaced_reason(problem: Problem, solution: Solution, household: HouseholdSpec) -> str:
    suitable = [o for o in problem.offers if household.may_join(o)]
    if not suitable:
        return NO_MATCH
    saving_somewhere = [
        o
        for o in suitable
        if any(
            yearly_cost_cents(household.usage, t) <= household.current_cost_cents for t in o.tiers
        )
    ]
    if not saving_somewhere:
        return COSTS_MORE
    running = [o for o in saving_somewhere if o.id in solution.offer_tiers]
    if not running:
        return NOT_GOING_AHEAD
    cheaper_now = [
        o
        for o in running
        if yearly_cost_cents(household.usage, o.tiers[solution.offer_tiers[o.id]])
        <= household.current_cost_cents
    ]
    return FULL if cheaper_now else COSTS_MORE


def why_nothing_goes_ahead(problem: Problem) -> list[tuple[int, int, int]]:
    """Per offer: (offer id, households that could join and save at some tier, minimum)."""
    rows = []
    for offer in problem.offers:
        could = sum(
            1
            for h in problem.households
            if h.may_join(offer)
            and any(yearly_cost_cents(h.usage, t) <= h.current_cost_cents for t in offer.tiers)
        )
        rows.append((offer.id, could, offer.min_households))
    return rows
