"""The optimiser, the greedy baseline and the independent checker, without the database."""

import random
from dataclasses import replace

import pytest

from heelwijk.purchasing.allocation import (
    Assignment,
    HouseholdSpec,
    OfferSpec,
    Problem,
    Tier,
    TierBasis,
    allocate,
    check_solution,
    solve_milp,
)
from heelwijk.purchasing.allocation.reasons import (
    COSTS_MORE,
    NO_MATCH,
    NOT_GOING_AHEAD,
    unplaced_reason,
)

from .brute import best_saving


def random_small_problem(rng: random.Random) -> Problem:
    n_households = rng.randint(1, 6)
    n_offers = rng.randint(1, 3)
    households = []
    for i in range(n_households):
        usage = rng.randint(1, 9)
        households.append(
            HouseholdSpec(
                id=i + 1,
                usage=usage,
                current_cost_cents=rng.randint(50, 400),
                required_features=frozenset({"green"}) if rng.random() < 0.3 else frozenset(),
                area_id=rng.randint(1, 2),
                accepts=None
                if rng.random() < 0.7
                else frozenset(rng.sample(range(1, n_offers + 1), rng.randint(1, n_offers))),
            )
        )
    offers = []
    for j in range(n_offers):
        basis = rng.choice([TierBasis.VOLUME, TierBasis.HOUSEHOLDS])
        n_tiers = rng.randint(1, 3)
        step = 2 if basis is TierBasis.HOUSEHOLDS else 8
        start = rng.randint(0, 1)
        bounds = [start]
        for _ in range(n_tiers - 1):
            bounds.append(bounds[-1] + rng.randint(1, step))
        tiers = []
        for t in range(n_tiers):
            high = (
                bounds[t + 1] - 1
                if t + 1 < n_tiers
                else (None if rng.random() < 0.7 else bounds[t] + step * 3)
            )
            tiers.append(
                Tier(
                    min_quantity=bounds[t],
                    max_quantity=high,
                    unit_price_micros=max(0, rng.randint(50_000, 300_000) - 40_000 * t),
                    fixed_fee_cents=rng.randint(0, 80),
                )
            )
        minimum = rng.randint(1, 3)
        offers.append(
            OfferSpec(
                id=j + 1,
                tiers=tuple(tiers),
                basis=basis,
                min_households=minimum,
                capacity=None if rng.random() < 0.5 else rng.randint(minimum, 5),
                features=frozenset({"green"}) if rng.random() < 0.5 else frozenset(),
                area_ids=frozenset({rng.randint(1, 2)}) if rng.random() < 0.2 else frozenset(),
                min_usage=2 if rng.random() < 0.1 else None,
            )
        )
    return Problem(households=tuple(households), offers=tuple(offers))


@pytest.mark.parametrize("seed", range(150))
def test_milp_equals_brute_force_on_small_random_problems(seed):
    problem = random_small_problem(random.Random(seed))
    outcome = allocate(problem, time_limit=20)
    assert outcome.optimal.total_saving_cents == best_saving(problem)
    assert check_solution(problem, outcome.optimal) == []
    assert check_solution(problem, outcome.greedy) == []
    assert outcome.greedy.total_saving_cents <= outcome.optimal.total_saving_cents


def _household(i, usage, current, **kw):
    return HouseholdSpec(id=i, usage=usage, current_cost_cents=current, **kw)


def _two_tier_offer(**kw):
    # 0..2 households: €0.30/unit + €10; from 3 households: €0.20/unit + €5.
    defaults = {
        "id": 1,
        "basis": TierBasis.HOUSEHOLDS,
        "tiers": (Tier(0, 2, 300_000, 1_000), Tier(3, None, 200_000, 500)),
    }
    return OfferSpec(**(defaults | kw))


def test_tier_boundary_by_households_reaches_the_cheaper_tier_at_exactly_three():
    problem = Problem(
        households=tuple(_household(i, 100, 5_000) for i in range(1, 4)),
        offers=(_two_tier_offer(),),
    )
    solution = solve_milp(problem)
    assert solution.offer_tiers == {1: 1}
    # 100 units x €0.20 + €5 = €25 a year; each saves €25.
    assert [a.yearly_cost_cents for a in solution.assignments] == [2_500, 2_500, 2_500]
    assert solution.total_saving_cents == 7_500


def test_tier_boundary_by_households_one_short_stays_on_the_first_tier():
    problem = Problem(
        households=tuple(_household(i, 100, 5_000) for i in range(1, 3)),
        offers=(_two_tier_offer(),),
    )
    solution = solve_milp(problem)
    assert solution.offer_tiers == {1: 0}
    assert [a.yearly_cost_cents for a in solution.assignments] == [4_000, 4_000]


def test_tier_boundary_by_volume_is_inclusive():
    offer = OfferSpec(
        id=1,
        basis=TierBasis.VOLUME,
        tiers=(Tier(0, 999, 300_000, 0), Tier(1_000, None, 250_000, 0)),
    )
    exactly = Problem(
        households=(_household(1, 600, 100_000), _household(2, 400, 100_000)), offers=(offer,)
    )
    below = Problem(
        households=(_household(1, 600, 100_000), _household(2, 399, 100_000)), offers=(offer,)
    )
    assert solve_milp(exactly).offer_tiers == {1: 1}
    assert solve_milp(below).offer_tiers == {1: 0}
    # 399 x €0.30 = €119.70 exactly: the cost is rounded to whole cents once.
    assert solve_milp(below).assignment_of(2).yearly_cost_cents == 11_970


def test_minimum_households_edge():
    offer = OfferSpec(id=1, min_households=3, tiers=(Tier(0, None, 100_000, 0),))
    enough = Problem(households=tuple(_household(i, 10, 500) for i in (1, 2, 3)), offers=(offer,))
    short = Problem(households=tuple(_household(i, 10, 500) for i in (1, 2)), offers=(offer,))
    assert len(solve_milp(enough).assignments) == 3
    assert solve_milp(short).assignments == ()
    assert unplaced_reason(short, solve_milp(short), short.households[0]) == NOT_GOING_AHEAD


def test_never_assigned_to_an_offer_that_costs_more_even_if_it_lifts_the_tier_for_others():
    # Three households reach the cheap tier, but household 3 would pay €25 instead of €20 today.
    problem = Problem(
        households=(
            _household(1, 100, 5_000),
            _household(2, 100, 5_000),
            _household(3, 100, 2_000),
        ),
        offers=(_two_tier_offer(),),
    )
    solution = solve_milp(problem)
    assert solution.assignment_of(3) is None
    assert solution.offer_tiers == {1: 0}
    assert solution.total_saving_cents == 2 * (5_000 - 4_000)
    assert unplaced_reason(problem, solution, problem.households[2]) == COSTS_MORE


def test_capacity_keeps_the_households_that_save_most():
    offer = OfferSpec(id=1, capacity=2, tiers=(Tier(0, None, 100_000, 0),))
    problem = Problem(
        households=(_household(1, 10, 300), _household(2, 10, 900), _household(3, 10, 600)),
        offers=(offer,),
    )
    solution = solve_milp(problem)
    assert sorted(a.household_id for a in solution.assignments) == [2, 3]
    assert solution.total_saving_cents == (900 - 100) + (600 - 100)


def test_hard_constraints_and_accepted_offers_are_respected():
    green = OfferSpec(id=1, features=frozenset({"green"}), tiers=(Tier(0, None, 200_000, 0),))
    grey = OfferSpec(id=2, tiers=(Tier(0, None, 100_000, 0),))
    problem = Problem(
        households=(
            _household(1, 10, 5_000, required_features=frozenset({"green"})),
            _household(2, 10, 5_000, accepts=frozenset({1})),
            _household(3, 10, 5_000),
        ),
        offers=(green, grey),
    )
    placed = solve_milp(problem).by_household()
    assert placed[1].offer_id == 1
    assert placed[2].offer_id == 1
    assert placed[3].offer_id == 2
    lonely = Problem(
        households=(_household(1, 10, 5_000, required_features=frozenset({"green"})),),
        offers=(grey,),
    )
    assert unplaced_reason(lonely, solve_milp(lonely), lonely.households[0]) == NO_MATCH


def test_an_infeasible_campaign_places_nobody():
    # Minimum five households, only two can join and save.
    offer = OfferSpec(id=1, min_households=5, tiers=(Tier(0, None, 100_000, 0),))
    problem = Problem(households=(_household(1, 10, 500), _household(2, 10, 500)), offers=(offer,))
    outcome = allocate(problem)
    assert outcome.optimal.assignments == ()
    assert outcome.optimal.total_saving_cents == 0
    assert outcome.greedy.assignments == ()


@pytest.fixture
def solved():
    problem = Problem(
        households=(
            *(_household(i, 100, 5_000) for i in range(1, 4)),
            _household(4, 100, 5_000, required_features=frozenset({"green"})),
        ),
        offers=(_two_tier_offer(min_households=3),),
    )
    solution = solve_milp(problem)
    assert check_solution(problem, solution) == []
    return problem, solution


def _codes(problem, solution):
    return {v.code for v in check_solution(problem, solution)}


def test_checker_catches_a_wrong_saving(solved):
    problem, solution = solved
    first = solution.assignments[0]
    corrupt = replace(
        solution,
        assignments=(
            replace(first, saving_cents=first.saving_cents + 1),
            *solution.assignments[1:],
        ),
        total_saving_cents=solution.total_saving_cents + 1,
    )
    assert _codes(problem, corrupt) == {"wrong_saving", "wrong_total"}


def test_checker_catches_a_wrong_total(solved):
    problem, solution = solved
    assert _codes(problem, replace(solution, total_saving_cents=1)) == {"wrong_total"}


def test_checker_catches_an_ineligible_household(solved):
    problem, solution = solved
    extra = Assignment(4, 1, 1, 2_500, 2_500)
    corrupt = replace(
        solution,
        assignments=(*solution.assignments, extra),
        total_saving_cents=solution.total_saving_cents + 2_500,
    )
    assert _codes(problem, corrupt) == {"missing_feature"}


def test_checker_catches_an_offer_below_its_minimum_and_outside_its_tier(solved):
    problem, solution = solved
    kept = solution.assignments[:2]
    corrupt = replace(
        solution, assignments=kept, total_saving_cents=sum(a.saving_cents for a in kept)
    )
    assert _codes(problem, corrupt) == {"below_minimum", "outside_tier"}


def test_checker_catches_a_household_twice_and_a_wrong_tier(solved):
    problem, solution = solved
    first = solution.assignments[0]
    twice = replace(
        solution,
        assignments=(*solution.assignments, first),
        total_saving_cents=solution.total_saving_cents + first.saving_cents,
    )
    assert "twice" in _codes(problem, twice)
    wrong_tier = replace(solution, offer_tiers={1: 0})
    assert "tier_mismatch" in _codes(problem, wrong_tier)


def test_checker_catches_a_household_paying_more_than_today():
    problem = Problem(
        households=(_household(1, 100, 2_000),), offers=(_two_tier_offer(min_households=1),)
    )
    corrupt_assignment = Assignment(1, 1, 0, 4_000, -2_000)
    from heelwijk.purchasing.allocation import Solution, SolveStatus

    corrupt = Solution(
        method="milp",
        status=SolveStatus.OPTIMAL,
        assignments=(corrupt_assignment,),
        offer_tiers={1: 0},
        total_saving_cents=-2_000,
    )
    assert _codes(problem, corrupt) == {"costs_more"}


@pytest.mark.parametrize("seed", range(5))
def test_greedy_is_feasible_and_never_better_than_the_optimum_on_larger_problems(seed):
    from heelwijk.purchasing.allocation.synthetic import random_problem

    problem = random_problem(seed=seed, households=60, offers=4, tiers=3)
    outcome = allocate(problem, time_limit=30)
    assert check_solution(problem, outcome.greedy) == []
    assert outcome.greedy.total_saving_cents <= outcome.optimal.total_saving_cents
