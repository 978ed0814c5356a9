"""The demo: a 2M sewer replacement with three local jobs and training places."""

import io
from decimal import Decimal as D

from heelwijk.businesscase.demo import build_demo
from heelwijk.businesscase.models import BusinessCase, CostLine, Opgave
from heelwijk.businesscase.selectors import case_report, opgave_social_return
from heelwijk.neighbourhood.models import Organisation


def snapshot():
    return (
        list(Organisation.objects.order_by("pk").values_list("name", "kind")),
        list(Opgave.objects.values_list("title", "contract_value_cents")),
        list(BusinessCase.objects.values_list("title", "status", "published_figures")),
        list(CostLine.objects.order_by("position").values_list("label", "amount_cents")),
    )


def test_the_demo_builds_the_sewer_case_once(world, national_set):
    out = io.StringIO()
    case = build_demo(neighbourhood=world.nbh_a, stdout=out)
    first = snapshot()
    # It used the municipality that was there and made the housing corporation and wijkbedrijf.
    kinds = dict(Organisation.objects.filter(neighbourhood=world.nbh_a).values_list("kind", "name"))
    assert kinds["municipality"] == "Gemeente Rijnstede"
    assert kinds["housing"] == "Woonstichting Lindenhof"
    assert kinds["wijkbedrijf"] == "Wijkbedrijf Lindenhof"
    # The same figures as the hand-worked sewer case (test_engine_worked_examples.test_sewer_case).
    report = case_report(case)
    result = report.analysis.result
    assert (result.pv_costs, result.pv_benefits, result.npv, result.ratio) == (
        D("49554.95"),
        D("92886.02"),
        D("43331.07"),
        D("1.87"),
    )
    assert [a.net for a in result.actors] == [
        D("62770.77"),
        D("-29017.05"),
        D("12244.62"),
        D("-2667.27"),
    ]
    assert case.is_published and report.reproduced is True
    social = opgave_social_return(case.opgave, case.reference_set)
    assert social.obligation == D("100000.00")  # 5 % of 2,000,000
    assert social.residents == 2
    assert case.opgave.goals.count() == 3
    assert "SROI 1.87" in out.getvalue()
    # Running it again changes nothing.
    build_demo(neighbourhood=world.nbh_a, stdout=io.StringIO())
    assert snapshot() == first


def test_the_demo_works_in_an_empty_neighbourhood(world, national_set):
    case = build_demo(neighbourhood=world.nbh_b, stdout=io.StringIO())
    assert case.opgave.commissioner.kind == "municipality"
    assert case.opgave.commissioner.name == "Gemeente Eikenburg"
    assert case_report(case).analysis.result.npv == D("43331.07")
