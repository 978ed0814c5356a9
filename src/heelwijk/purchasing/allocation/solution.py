"""What a solver returns: which offers go ahead at which tier, and who goes where."""

from dataclasses import dataclass, field
from enum import Enum


class SolveStatus(str, Enum):
    OPTIMAL = "optimal"  # proven optimal within the requested gap
    # The best allocation found before the time limit, with its proven gap (None: no bound
    # yet). Also used when a large problem is within a tiny gap that only the whole MILP could
    # close and too little time is left to set that up (see milp.WHOLE_MILP_MIN_SECONDS).
    TIME_LIMIT = "time_limit"
    HEURISTIC = "heuristic"  # greedy: no optimality claim


@dataclass(frozen=True)
class Assignment:
    household_id: int
    offer_id: int
    tier_index: int
    yearly_cost_cents: int
    saving_cents: int


@dataclass(frozen=True)
class Solution:
    method: str  # "milp" or "greedy"
    status: SolveStatus
    assignments: tuple[Assignment, ...]  # sorted by household id
    offer_tiers: dict[int, int]  # offer id -> tier index, for offers that go ahead
    total_saving_cents: int
    seconds: float = 0.0
    # Solver figures: an upper bound on the best possible saving and the relative gap to it.
    # These are diagnostics, never money; None for greedy.
    best_bound_cents: float | None = None
    gap: float | None = None
    details: dict = field(default_factory=dict)

    def assignment_of(self, household_id: int) -> Assignment | None:
        for assignment in self.assignments:
            if assignment.household_id == household_id:
                return assignment
        return None

    def by_household(self) -> dict[int, Assignment]:
        return {a.household_id: a for a in self.assignments}


def make_solution(
    problem,
    *,
    method: str,
    status: SolveStatus,
    offer_tiers: dict[int, int],
    chosen: dict[int, int],
    **extra,
) -> Solution:
    """Turn decisions (offer tiers, household -> offer) into a solution with integer costs."""
    from .pricing import yearly_cost_cents

    households = {h.id: h for h in problem.households}
    offers = {o.id: o for o in problem.offers}
    assignments = []
    for household_id in sorted(chosen):
        offer_id = chosen[household_id]
        household = households[household_id]
        tier_index = offer_tiers[offer_id]
        cost = yearly_cost_cents(household.usage, offers[offer_id].tiers[tier_index])
        assignments.append(
            Assignment(
                household_id=household_id,
                offer_id=offer_id,
                tier_index=tier_index,
                yearly_cost_cents=cost,
                saving_cents=household.current_cost_cents - cost,
            )
        )
    used = {a.offer_id for a in assignments}
    return Solution(
        method=method,
        status=status,
        assignments=tuple(assignments),
        offer_tiers={o: t for o, t in sorted(offer_tiers.items()) if o in used},
        total_saving_cents=sum(a.saving_cents for a in assignments),
        **extra,
    )
