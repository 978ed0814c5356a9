"""One allocation: greedy baseline, exact MILP started from it, both checked independently."""

import time
from dataclasses import dataclass

from .checker import verify_solution
from .greedy import solve_greedy
from .milp import solve_milp
from .problem import Problem
from .solution import Solution


@dataclass(frozen=True)
class AllocationOutcome:
    problem: Problem
    optimal: Solution
    greedy: Solution


def allocate(
    problem: Problem, *, time_limit: float = 30.0, mip_rel_gap: float = 0.0
) -> AllocationOutcome:
    """Solve and check; raises AllocationCheckFailed if either answer breaks a rule.

    `time_limit` (seconds) covers the greedy start and the MILP together; when it runs out the
    MILP answer is the best allocation found, with status TIME_LIMIT and its proven gap.
    """
    began = time.perf_counter()
    greedy = solve_greedy(problem)
    verify_solution(problem, greedy)
    left = max(time_limit - (time.perf_counter() - began), 0.0)
    optimal = solve_milp(problem, time_limit=left, mip_rel_gap=mip_rel_gap, start=greedy)
    verify_solution(problem, optimal)
    return AllocationOutcome(problem=problem, optimal=optimal, greedy=greedy)
