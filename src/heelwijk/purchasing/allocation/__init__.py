"""Allocation of households to tiered offers: exact MILP, greedy baseline and independent checker.

This package is plain Python (no Django): it receives a `Problem` of households and offers and
returns `Solution`s, so it can run outside the request cycle, in benchmarks and in tests.

Money inside this package is integer cents (yearly costs) and integer micro-euros (unit prices).
The MILP solver works in floating point; every float it returns is turned back into a yes/no
decision (rounded 0/1), after which costs and savings are recomputed in integers. The checker
then recomputes every cost again with `Decimal` from the raw offer data and refuses a solution
whose figures disagree, so a float never reaches a stored amount.
"""

from .checker import AllocationCheckFailed, Violation, check_solution, verify_solution
from .greedy import solve_greedy
from .milp import SolverFailed, solve_milp
from .problem import HouseholdSpec, OfferSpec, Problem, Tier, TierBasis
from .run import AllocationOutcome, allocate
from .solution import Assignment, Solution, SolveStatus

__all__ = [
    "AllocationCheckFailed",
    "AllocationOutcome",
    "Assignment",
    "HouseholdSpec",
    "OfferSpec",
    "Problem",
    "Solution",
    "SolveStatus",
    "SolverFailed",
    "Tier",
    "TierBasis",
    "Violation",
    "allocate",
    "check_solution",
    "solve_greedy",
    "solve_milp",
    "verify_solution",
]
