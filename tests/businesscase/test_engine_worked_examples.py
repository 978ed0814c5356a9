"""The business case maths against examples worked out by hand, to the cent.

Every present value below is the exact fraction, rounded half up to whole cents once; totals are
sums of those rounded cells (that is the rule the engine follows, so totals always add up).
"""

from decimal import Decimal as D

from heelwijk.businesscase.engine import (
    Actor,
    CaseInput,
    CostLine,
    Outcome,
    compute,
    propose_settlement,
)
from heelwijk.businesscase.engine.analysis import analyse
from heelwijk.businesscase.engine.scenarios import compare_scenarios


def test_drop_off_and_discounting():
    # Given a cost of 1,000.00 now and an outcome of 10 units x 100.00 that loses 20 % a year,
    # discounted at 5 % over 3 years.
    case = CaseInput(
        actors=(Actor("a", "Payer"), Actor("b", "Gainer")),
        costs=(CostLine("c", "Start", "a", 0, D("1000.00")),),
        outcomes=(Outcome("o", "Effect", "b", D(10), D("100.00"), duration=3, drop_off=D(20)),),
        discount_rate=D(5),
        horizon=3,
    )
    # When it is computed
    result = compute(case)
    # Then, by hand:
    #   impact(1) = 10 x 100 = 1000;  impact(2) = 1000 x 0.8 = 800;  impact(3) = 800 x 0.8 = 640
    #   year 1: 1000 / 1.05      = 952.3809523...  -> 952.38
    #   year 2:  800 / 1.1025    = 725.6235827...  -> 725.62
    #   year 3:  640 / 1.157625  = 552.8560630...  -> 552.86
    #   benefits = 952.38 + 725.62 + 552.86 = 2230.86; the cost in year 0 is not discounted.
    (cost, benefit) = result.lines
    assert cost.cells == (D("1000.00"), D("0.00"), D("0.00"), D("0.00"))
    assert benefit.nominal == (D("0.00"), D("1000.00"), D("800.00"), D("640.00"))
    assert benefit.cells == (D("0.00"), D("952.38"), D("725.62"), D("552.86"))
    assert result.pv_costs == D("1000.00")
    assert result.pv_benefits == D("2230.86")
    assert result.npv == D("1230.86")
    # 2230.86 / 1000.00 = 2.23086 -> 2.23
    assert result.ratio == D("2.23")
    # cumulative: year 0 -1000.00, year 1 -47.62, year 2 +678.00, year 3 +1230.86
    assert [y.cumulative for y in result.years] == [
        D("-1000.00"),
        D("-47.62"),
        D("678.00"),
        D("1230.86"),
    ]
    assert result.payback_year == 2
    assert [(a.key, a.net) for a in result.actors] == [("a", D("-1000.00")), ("b", D("2230.86"))]


def every_adjustment_case(residents_pay: bool = False) -> CaseInput:
    return CaseInput(
        actors=(
            Actor("m", "Gemeente"),
            Actor("w", "Wijkbedrijf"),
            Actor("r", "Bewoners", pays_in_settlement=residents_pay),
        ),
        costs=(
            CostLine("c1", "Opzet", "w", 0, D("20000.00")),
            CostLine("c2", "Coaching", "w", 1, D("5000.00"), scenario="local_work"),
            CostLine("c3", "Regie", "m", 2, D("2500.00")),
        ),
        outcomes=(
            Outcome(
                "o1",
                "Bijstand bespaard",
                "m",
                D(4),
                D("14000.00"),
                duration=3,
                deadweight=D(25),
                displacement=D(10),
                attribution=D(20),
                drop_off=D(30),
                scenario="local_work",
            ),
            Outcome(
                "o2",
                "Meer inkomen",
                "r",
                D(4),
                D("2500.50"),
                duration=5,
                deadweight=D("12.5"),
                attribution=D(40),
            ),
        ),
        discount_rate=D("3.5"),
        horizon=4,
    )


def test_every_adjustment():
    result = compute(every_adjustment_case())
    # Discount factors at 3.5 %: 1.035, 1.071225, 1.108717875, 1.147523...
    # Costs:
    #   c1: 20000.00 in year 0                 -> 20000.00
    #   c2:  5000.00 / 1.035    = 4830.9178... ->  4830.92
    #   c3:  2500.00 / 1.071225 = 2333.7767... ->  2333.78          total 27164.70
    # Outcome o1 (3 years, cut by nothing: horizon 4):
    #   impact(1) = 4 x 14000 x (1 - 0.25) x (1 - 0.10) x (1 - 0.20) = 56000 x 0.54 = 30240
    #   impact(2) = 30240 x 0.7 = 21168;  impact(3) = 21168 x 0.7 = 14817.6
    #   30240 / 1.035       = 29217.3913...  -> 29217.39
    #   21168 / 1.071225    = 19760.5545...  -> 19760.55
    #   14817.6 / 1.108717875 = 13364.6262... -> 13364.63          total 62342.57
    # Outcome o2 (5 years asked, the horizon of 4 cuts it; no drop-off):
    #   impact = 4 x 2500.50 x (1 - 0.125) x (1 - 0) x (1 - 0.40) = 10002 x 0.525 = 5251.05
    #   5251.05 / 1.035 = 5073.4782... -> 5073.48;  / 1.071225 = 4901.9113... -> 4901.91
    #   / 1.108717875 = 4736.1462... -> 4736.15;    / 1.147523000... = 4575.9867... -> 4575.99
    #                                                               total 19287.53
    lines = {ln.key: ln for ln in result.lines}
    assert lines["c2"].present_value == D("4830.92")
    assert lines["c3"].present_value == D("2333.78")
    assert lines["o1"].cells == (D(0), D("29217.39"), D("19760.55"), D("13364.63"), D(0))
    assert lines["o1"].nominal[3] == D("14817.60")
    assert lines["o2"].cells == (D(0), D("5073.48"), D("4901.91"), D("4736.15"), D("4575.99"))
    assert result.pv_costs == D("27164.70")
    assert result.pv_benefits == D("81630.10")  # 62342.57 + 19287.53
    assert result.npv == D("54465.40")
    # 81630.10 / 27164.70 = 3.005006... -> 3.01 (half up at the second decimal)
    assert result.ratio == D("3.01")
    # cumulative: -20000.00; +29217.39 + 5073.48 - 4830.92 -> 9459.95; so paid back in year 1
    assert result.years[1].cumulative == D("9459.95")
    assert result.payback_year == 1
    # Who pays and who gains:
    #   Gemeente     pays  2333.78, gains 62342.57, net  60008.79
    #   Wijkbedrijf  pays 24830.92, gains     0.00, net -24830.92
    #   Bewoners     pays     0.00, gains 19287.53, net  19287.53
    assert [(a.key, a.costs, a.benefits, a.net) for a in result.actors] == [
        ("m", D("2333.78"), D("62342.57"), D("60008.79")),
        ("w", D("24830.92"), D("0.00"), D("-24830.92")),
        ("r", D("0.00"), D("19287.53"), D("19287.53")),
    ]
    assert sum(a.net for a in result.actors) == result.npv


def test_every_adjustment_settlement_spares_residents():
    analysis = analyse(every_adjustment_case(), sensitivity_percent=D(20))
    # The residents do not pay; the municipality covers the wijkbedrijf's 24830.92 alone.
    settlement = analysis.settlement
    assert [(t.payer, t.receiver, t.amount) for t in settlement.transfers] == [
        ("m", "w", D("24830.92"))
    ]
    assert settlement.after == (("m", D("35177.87")), ("w", D("0.00")), ("r", D("19287.53")))


def test_every_adjustment_settlement_proportional_when_everyone_pays():
    result = compute(every_adjustment_case(residents_pay=True))
    settlement = propose_settlement([(a.key, a.net) for a in result.actors])
    # Deficit 2483092 cents, shared over gains 6000879 and 1928753 (sum 7929632):
    #   m: 2483092 x 6000879 / 7929632 = 1879120 rest 4554028
    #   r: 2483092 x 1928753 / 7929632 =  603971 rest 3375604
    #   one cent left goes to the larger rest (m): m pays 18791.21, r pays 6039.71
    assert [(t.payer, t.receiver, t.amount) for t in settlement.transfers] == [
        ("m", "w", D("18791.21")),
        ("r", "w", D("6039.71")),
    ]
    assert dict(settlement.after) == {
        "m": D("41217.58"),
        "w": D("0.00"),
        "r": D("13247.82"),
    }


def sewer_case() -> CaseInput:
    """The demo: a 2M sewer replacement with local work, discounted at the Dutch 2.25 %."""
    welfare = {"deadweight": D("23.4"), "displacement": D(10), "attribution": D(20)}
    return CaseInput(
        actors=(
            Actor("gemeente", "Gemeente"),
            Actor("wijkbedrijf", "Wijkbedrijf"),
            Actor("bewoners", "Bewoners", pays_in_settlement=False),
            Actor("corporatie", "Woningcorporatie"),
        ),
        costs=(
            CostLine("c1", "Regie social return", "gemeente", 1, D("5000.00"), "project"),
            CostLine("c2", "Jobcoaching jaar 1", "wijkbedrijf", 1, D("15000.00"), "local_work"),
            CostLine("c3", "Jobcoaching jaar 2", "wijkbedrijf", 2, D("15000.00"), "local_work"),
            CostLine(
                "c4", "Opleiding leerwerkplaatsen", "gemeente", 1, D("12000.00"), "local_work"
            ),
            CostLine("c5", "Werkruimte", "corporatie", 1, D("4000.00"), "local_work"),
        ),
        outcomes=(
            Outcome(
                "o1",
                "Reguliere plaatsingen",
                "gemeente",
                D(2),
                D("14000.00"),
                1,
                deadweight=D("23.4"),
                attribution=D(50),
                scenario="project",
            ),
            Outcome(
                "o2",
                "Bijstand bespaard",
                "gemeente",
                D(3),
                D("14000.00"),
                3,
                drop_off=D(15),
                scenario="local_work",
                **welfare,
            ),
            Outcome(
                "o3",
                "Uitvoering bespaard",
                "gemeente",
                D(3),
                D("2883.00"),
                3,
                drop_off=D(15),
                scenario="local_work",
                **welfare,
            ),
            Outcome(
                "o4",
                "Meer inkomen",
                "bewoners",
                D(3),
                D("3000.00"),
                3,
                drop_off=D(15),
                scenario="local_work",
                **welfare,
            ),
            Outcome(
                "o5",
                "Minder huurachterstand",
                "corporatie",
                D(3),
                D("400.00"),
                2,
                deadweight=D("23.4"),
                attribution=D(30),
                scenario="local_work",
            ),
        ),
        discount_rate=D("2.25"),
        horizon=5,
    )


def test_sewer_case():
    analysis = analyse(sewer_case(), sensitivity_percent=D(20))
    result = analysis.result
    lines = {ln.key: ln.present_value for ln in result.lines}
    # Discount factors at 2.25 %: 1.0225 and 1.0225^2 = 1.04550625.
    # Costs:  c1  5000 / 1.0225 =  4889.98;  c2 15000 / 1.0225 = 14669.93
    #         c3 15000 / 1.04550625 = 14347.12;  c4 12000 / 1.0225 = 11735.94
    #         c5  4000 / 1.0225 =  3911.98                         total 49554.95
    assert [lines[k] for k in ("c1", "c2", "c3", "c4", "c5")] == [
        D("4889.98"),
        D("14669.93"),
        D("14347.12"),
        D("11735.94"),
        D("3911.98"),
    ]
    # o1: 2 x 14000 x (1 - 0.234) x (1 - 0.5) = 10724 -> / 1.0225 = 10488.02
    # o2: 3 x 14000 x 0.766 x 0.9 x 0.8 = 23163.84, then x 0.85 each year:
    #     23163.84 / 1.0225 = 22654.12;  19689.264 / 1.04550625 = 18832.28;
    #     16735.8744 / 1.069030140625 = 15655.19                     total 57141.59
    # o3: 3 x 2883 x 0.5515200 = 4770.09648 ... -> 4665.13 + 3878.10 + 3223.85 = 11767.08
    # o4: 3 x 3000 x 0.55152 = 4963.68 ...      -> 4854.45 + 4035.49 + 3354.68 = 12244.62
    # o5: 3 x 400 x 0.766 x 0.7 = 643.44 for 2 years -> 629.28 + 615.43 = 1244.71
    assert [lines[k] for k in ("o1", "o2", "o3", "o4", "o5")] == [
        D("10488.02"),
        D("57141.59"),
        D("11767.08"),
        D("12244.62"),
        D("1244.71"),
    ]
    assert result.pv_costs == D("49554.95")
    assert result.pv_benefits == D("92886.02")
    assert result.npv == D("43331.07")
    assert result.ratio == D("1.87")  # 92886.02 / 49554.95 = 1.8744...
    assert result.payback_year == 1  # year 1 alone: 43291.00 benefits against 35207.83 costs
    assert [(a.key, a.net) for a in result.actors] == [
        ("gemeente", D("62770.77")),  # 79396.69 - 16625.92
        ("wijkbedrijf", D("-29017.05")),
        ("bewoners", D("12244.62")),
        ("corporatie", D("-2667.27")),  # 1244.71 - 3911.98
    ]
    # The wrong pocket: the municipality gains most and pays a share of its avoided welfare
    # costs to the wijkbedrijf and the housing corporation: 31684.32 of its 79396.69 (39.9 %).
    assert [(t.payer, t.receiver, t.amount) for t in analysis.settlement.transfers] == [
        ("gemeente", "wijkbedrijf", D("29017.05")),
        ("gemeente", "corporatie", D("2667.27")),
    ]
    assert dict(analysis.settlement.after)["gemeente"] == D("31086.45")
    # Scenarios: the project alone is c1 and o1; local work adds the rest.
    scenarios = {s.key: s for s in analysis.scenarios.scenarios}
    assert scenarios["without"].npv == D("0.00")
    assert (scenarios["project"].pv_costs, scenarios["project"].pv_benefits) == (
        D("4889.98"),
        D("10488.02"),
    )
    assert scenarios["project"].ratio == D("2.14")  # 10488.02 / 4889.98 = 2.1448...
    assert scenarios["with_local_work"].npv == D("43331.07")
    assert analysis.scenarios.local_work_npv == D("37733.03")  # 82398.00 - 44664.97
    assert analysis.scenarios.local_work_ratio == D("1.84")  # 82398.00 / 44664.97 = 1.8448...


def test_scenarios_use_the_same_maths_as_the_whole_case():
    case = sewer_case()
    comparison = compare_scenarios(case)
    assert comparison.get("with_local_work").npv == compute(case).npv
