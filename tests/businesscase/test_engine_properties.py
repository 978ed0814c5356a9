"""Properties that hold for every case: balances add up, settlements leave nobody below zero."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from heelwijk.businesscase.engine import (
    Actor,
    CaseInput,
    CostLine,
    Outcome,
    compute,
    propose_settlement,
)
from heelwijk.businesscase.engine.money import ZERO

cents = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))
percent = st.integers(min_value=0, max_value=10000).map(lambda c: D(c).scaleb(-2))
KEYS = ("a", "b", "c", "d")


@st.composite
def cases(draw):
    horizon = draw(st.integers(min_value=1, max_value=8))
    n = draw(st.integers(min_value=1, max_value=4))
    actors = tuple(
        Actor(KEYS[i], f"Actor {i}", pays_in_settlement=draw(st.booleans())) for i in range(n)
    )
    costs = tuple(
        CostLine(
            f"c{i}",
            f"cost {i}",
            draw(st.sampled_from(KEYS[:n])),
            draw(st.integers(min_value=0, max_value=horizon)),
            draw(cents),
            draw(st.sampled_from(("project", "local_work"))),
        )
        for i in range(draw(st.integers(min_value=0, max_value=4)))
    )
    outcomes = tuple(
        Outcome(
            f"o{i}",
            f"outcome {i}",
            draw(st.sampled_from(KEYS[:n])),
            draw(st.integers(min_value=0, max_value=1000).map(D)),
            draw(cents),
            draw(st.integers(min_value=1, max_value=10)),
            deadweight=draw(percent),
            displacement=draw(percent),
            attribution=draw(percent),
            drop_off=draw(percent),
            scenario=draw(st.sampled_from(("project", "local_work"))),
        )
        for i in range(draw(st.integers(min_value=0, max_value=4)))
    )
    return CaseInput(actors, costs, outcomes, draw(percent), horizon)


@settings(max_examples=150, deadline=None)
@given(cases())
def test_actor_balances_sum_to_the_totals(case):
    result = compute(case)
    assert sum((a.costs for a in result.actors), ZERO) == result.pv_costs
    assert sum((a.benefits for a in result.actors), ZERO) == result.pv_benefits
    assert sum((a.net for a in result.actors), ZERO) == result.npv
    assert sum((y.net for y in result.years), ZERO) == result.npv
    assert result.years[-1].cumulative == result.npv


nets = st.lists(
    st.integers(min_value=-(10**10), max_value=10**10).map(lambda c: D(c).scaleb(-2)),
    min_size=1,
    max_size=7,
)


@settings(max_examples=400, deadline=None)
@given(nets, st.data())
def test_settlement_leaves_nobody_below_break_even_when_the_total_is_positive(values, data):
    keys = [f"k{i}" for i in range(len(values))]
    exempt = data.draw(st.sets(st.sampled_from(keys)))
    settlement = propose_settlement(list(zip(keys, values, strict=True)), exempt=exempt)
    total = sum(values, ZERO)
    after = dict(settlement.after)
    # Money only moves: the total stays the same to the cent.
    assert sum(after.values(), ZERO) == total
    assert all(t.amount > 0 for t in settlement.transfers)
    if total >= 0:
        assert settlement.feasible
        assert all(v >= 0 for v in after.values())
        # Nobody who gains pays more than it gains, and only gainers pay.
        for key, before in zip(keys, values, strict=True):
            paid = settlement.paid_by(key)
            assert paid <= max(before, ZERO)
            if before <= 0:
                assert paid == 0
        # The exempt only pay when the others cannot cover every deficit.
        need = -sum((v for v in values if v < 0), ZERO)
        others = sum(
            (v for k, v in zip(keys, values, strict=True) if v > 0 and k not in exempt), ZERO
        )
        if others >= need:
            assert all(settlement.paid_by(k) == 0 for k in exempt)
    else:
        assert not settlement.feasible
        assert settlement.transfers == ()
        assert settlement.shortfall == -total


def test_settlement_with_nothing_to_settle():
    settlement = propose_settlement([("a", D("10.00")), ("b", D("0.00"))])
    assert settlement.feasible and settlement.transfers == ()
