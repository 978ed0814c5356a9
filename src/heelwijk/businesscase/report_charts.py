"""The four charts of a report, drawn from the same figures as its tables."""

from django.utils.translation import gettext as _

from . import charts, formatting
from .engine.money import ZERO
from .presentation import ASSUMPTION_LABELS, ReportView


def actor_chart(view: ReportView) -> str:
    rows = [
        charts.Row(
            a.name,
            (
                (charts.Segment(ZERO, -a.costs, "cost"),),
                (charts.Segment(ZERO, a.benefits, "benefit"),),
                (charts.Segment(ZERO, a.net, "net"),),
            ),
        )
        for a in view.analysis.result.actors
    ]
    return charts.bar_chart(
        ident="chart-actors",
        title=_("Who pays and who gains"),
        desc=_(
            "Per actor three bars: costs (red, to the left), benefits (green) and the net "
            "result (blue), in present value. The table next to it has the figures."
        ),
        rows=rows,
        fmt=formatting.euro_whole,
    )


def cumulative_chart(view: ReportView) -> str:
    columns = [(str(view.base_year + y.year), y.cumulative) for y in view.analysis.result.years]
    return charts.column_chart(
        ident="chart-years",
        title=_("Cumulative net present value per year"),
        desc=_(
            "One column per year: green above zero, red below. The year the columns turn "
            "green for good is the payback year. The table next to it has the figures."
        ),
        columns=columns,
        fmt=formatting.euro_whole,
    )


def tornado_chart(view: ReportView) -> str:
    base = view.analysis.result.npv
    rows = [
        charts.Row(
            f"{ASSUMPTION_LABELS[s.assumption]()}: {s.outcome_label or _('whole case')}",
            (
                (
                    charts.Segment(base, s.npv_low, "low"),
                    charts.Segment(base, s.npv_high, "high"),
                ),
            ),
        )
        for s in view.analysis.sensitivity
    ]
    return charts.bar_chart(
        ident="chart-tornado",
        title=_("Sensitivity of the net present value"),
        desc=_(
            "Per assumption a bar from the net present value with the assumption lowered "
            "(brown) to the value with it raised (blue); the black line is today's net "
            "present value. The largest effects are at the top."
        ),
        rows=rows,
        fmt=formatting.euro_whole,
        marker=base,
    )


def scenario_chart(view: ReportView) -> str:
    names = view.scenario_names()
    rows = [
        charts.Row(
            names[s.key],
            (
                (charts.Segment(ZERO, -s.pv_costs, "cost"),),
                (charts.Segment(ZERO, s.pv_benefits, "benefit"),),
                (charts.Segment(ZERO, s.npv, "net"),),
            ),
        )
        for s in view.analysis.scenarios.scenarios
    ]
    return charts.bar_chart(
        ident="chart-scenarios",
        title=_("Scenarios compared"),
        desc=_("Per scenario the costs (red), benefits (green) and net present value (blue)."),
        rows=rows,
        fmt=formatting.euro_whole,
    )


def report_charts(view: ReportView) -> dict[str, str]:
    return {
        "actors": actor_chart(view),
        "years": cumulative_chart(view),
        "tornado": tornado_chart(view),
        "scenarios": scenario_chart(view),
    }
