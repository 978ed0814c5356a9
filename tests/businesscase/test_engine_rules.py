"""Validation, sensitivity and the social return calculator."""

from decimal import Decimal as D

import pytest

from heelwijk.businesscase.engine import (
    Actor,
    CaseInput,
    CostLine,
    InvalidCase,
    Outcome,
    compute,
    validate,
)
from heelwijk.businesscase.engine.sensitivity import sensitivity
from heelwijk.businesscase.engine.social_return import (
    PlacementType,
    PlannedPlacement,
    SocialReturnRules,
    social_return,
)

from .test_engine_worked_examples import every_adjustment_case

ACTORS = (Actor("a", "A"),)


def case_with(**changes):
    base = {
        "actors": ACTORS,
        "costs": (CostLine("c", "Kosten", "a", 0, D(100)),),
        "outcomes": (Outcome("o", "Effect", "a", D(1), D(100), 1),),
        "discount_rate": D(3),
        "horizon": 2,
    }
    base.update(changes)
    return CaseInput(**base)


@pytest.mark.parametrize(
    ("changes", "code", "path"),
    [
        ({"horizon": 0}, "horizon_not_positive", ("horizon",)),
        ({"horizon": 101}, "horizon_too_long", ("horizon",)),
        ({"discount_rate": D(-1)}, "percent_out_of_range", ("discount_rate",)),
        ({"discount_rate": D("100.01")}, "percent_out_of_range", ("discount_rate",)),
        (
            {"costs": (CostLine("c", "K", "a", 0, D(-1)),)},
            "amount_negative",
            ("costs", 0, "amount"),
        ),
        (
            {"costs": (CostLine("c", "K", "a", 3, D(1)),)},
            "year_out_of_range",
            ("costs", 0, "year"),
        ),
        (
            {"costs": (CostLine("c", "K", "x", 0, D(1)),)},
            "unknown_actor",
            ("costs", 0, "actor"),
        ),
        (
            {"outcomes": (Outcome("o", "E", "a", D(-1), D(1), 1),)},
            "quantity_negative",
            ("outcomes", 0, "quantity"),
        ),
        (
            {"outcomes": (Outcome("o", "E", "a", D(1), None, 1),)},
            "proxy_missing",
            ("outcomes", 0, "proxy"),
        ),
        (
            {"outcomes": (Outcome("o", "E", "a", D(1), D(1), 0),)},
            "duration_not_positive",
            ("outcomes", 0, "duration"),
        ),
        (
            {"outcomes": (Outcome("o", "E", "a", D(1), D(1), 1, deadweight=D(101)),)},
            "percent_out_of_range",
            ("outcomes", 0, "deadweight"),
        ),
        (
            {"outcomes": (Outcome("o", "E", "a", D(1), D(1), 1, drop_off=D(-5)),)},
            "percent_out_of_range",
            ("outcomes", 0, "drop_off"),
        ),
    ],
)
def test_bad_input_is_refused_with_its_place(changes, code, path):
    case = case_with(**changes)
    assert [(i.code, i.path) for i in validate(case)] == [(code, path)]
    with pytest.raises(InvalidCase) as exc:
        compute(case)
    assert exc.value.issues[0].code == code


def test_a_valid_case_has_no_issues():
    assert validate(case_with()) == []


def test_sensitivity_ranks_the_dominant_assumptions():
    rows = sensitivity(every_adjustment_case(), D(20), limit=3)
    # The municipality's welfare outcome (62342.57 of 81630.10) dominates: its quantity and
    # proxy move it by about 20 %. With quantity 4.8 its years become
    #   36288 / 1.035 = 35060.87;  25401.6 / 1.071225 = 23712.67;  17781.12 / 1.108717875 = 16037.55
    # = 74811.09, so the NPV rises by 74811.09 - 62342.57 = 12468.52; with 3.2 the years are
    # 23373.91 + 15808.44 + 10691.70 = 49874.05, so it falls by 12468.52.
    assert [(r.assumption, r.outcome_key) for r in rows[:2]] == [
        ("quantity", "o1"),
        ("proxy", "o1"),
    ]
    quantity = rows[0]
    assert (quantity.low, quantity.high) == (D("3.2"), D("4.8"))
    assert quantity.npv_high - D("54465.40") == D("12468.52")
    assert D("54465.40") - quantity.npv_low == D("12468.52")
    assert all(rows[i].swing >= rows[i + 1].swing for i in range(len(rows) - 1))


def test_sensitivity_agrees_with_a_full_recomputation():
    case = every_adjustment_case()
    for row in sensitivity(case, D(25), limit=50):
        if not row.outcome_key:
            continue
        index = next(i for i, o in enumerate(case.outcomes) if o.key == row.outcome_key)
        from dataclasses import replace

        value = int(row.high) if row.assumption == "duration" else row.high
        changed = list(case.outcomes)
        changed[index] = replace(changed[index], **{row.assumption: value})
        assert compute(replace(case, outcomes=tuple(changed))).npv == row.npv_high


def test_sensitivity_clips_percentages():
    case = case_with(outcomes=(Outcome("o", "E", "a", D(1), D(100), 1, deadweight=D(90)),))
    row = next(r for r in sensitivity(case, D(50)) if r.assumption == "deadweight")
    assert (row.low, row.high) == (D(45), D(100))


RULES = SocialReturnRules(D(5), D(2), D(30), D(250000), 6)
WELFARE = PlacementType("placement_welfare", "Bijstand", D(40000))
BBL = PlacementType("placement_bbl", "Bbl", D(35000))


def test_social_return_on_the_sewer_contract():
    # 5 % of 2,000,000 = 100,000; at 40,000 a year that employs 2 residents (2.5 rounded down).
    result = social_return(
        contract_value=D("2000000.00"),
        labour_share=D(40),
        duration_months=12,
        rules=RULES,
        placement_types=(WELFARE, BBL),
        planned=(PlannedPlacement(WELFARE, 3), PlannedPlacement(BBL, 4)),
    )
    assert result.applies and not result.low_labour
    assert result.percent == D(5)
    assert result.obligation == D("100000.00")
    assert result.residents == 2
    assert result.possible == ((WELFARE, 2), (BBL, 2))
    assert result.credited == D("260000.00")  # 3 x 40,000 + 4 x 35,000
    assert result.remaining == D("0.00")


def test_social_return_is_lower_with_little_labour_and_has_thresholds():
    low = social_return(
        contract_value=D("300000.00"),
        labour_share=D("29.99"),
        duration_months=6,
        rules=RULES,
        placement_types=(WELFARE,),
    )
    assert low.low_labour and low.percent == D(2)
    assert low.obligation == D("6000.00")
    assert low.residents == 0
    assert low.remaining == D("6000.00")
    small = social_return(
        contract_value=D("250000.00"),
        labour_share=None,
        duration_months=5,
        rules=RULES,
        placement_types=(WELFARE,),
    )
    assert not small.applies
    assert small.reasons == ("value_below_threshold", "too_short")
    assert small.obligation == D("12500.00")
