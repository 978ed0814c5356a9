"""A report as tables and charts: the same tables feed the page, CSV, XLSX and PDF."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from . import formatting
from .engine.analysis import Analysis
from .engine.money import ZERO
from .engine.scenarios import PROJECT_ONLY, WITH_LOCAL_WORK, WITHOUT
from .engine.sroi import BENEFIT, COST
from .models import ReferenceValue, Scenario
from .selectors import Report, reference_lookup, reference_warning

NUMERIC = {"money", "percent", "ratio", "number"}


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str = "text"  # text | money | percent | ratio | number

    def display(self) -> str:
        if self.kind == "money":
            return formatting.euro(self.value)
        if self.kind == "percent":
            return formatting.percent(self.value)
        if self.kind == "ratio":
            return formatting.ratio(self.value)
        if self.kind == "number":
            return formatting.number(self.value)
        return "" if self.value is None else str(self.value)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[bool, ...] = ()

    @property
    def columns(self):
        numeric = self.numeric or tuple(False for _ in self.headers)
        return list(zip(self.headers, numeric, strict=True))

    @property
    def body(self):
        """Rows as (header, cell) pairs, so a cell can name its column on a phone."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def _table(key, title, headers, rows) -> Table:
    rows = tuple(tuple(c if isinstance(c, Cell) else Cell(c) for c in row) for row in rows)
    numeric = tuple(
        bool(rows) and all(r[i].numeric or r[i].value in (None, "") for r in rows)
        for i in range(len(headers))
    )
    return Table(key, title, tuple(headers), rows, numeric)


def money(value) -> Cell:
    return Cell(value, "money")


def pct(value) -> Cell:
    return Cell(value, "percent")


def scenario_label(key: str) -> str:
    return str(Scenario(key).label) if key in Scenario.values else key


ASSUMPTION_LABELS = {
    "discount_rate": lambda: _("discount rate"),
    "costs": lambda: _("all costs"),
    "quantity": lambda: _("quantity"),
    "proxy": lambda: _("financial proxy"),
    "duration": lambda: _("duration"),
    "deadweight": lambda: _("deadweight"),
    "displacement": lambda: _("displacement"),
    "attribution": lambda: _("attribution"),
    "drop_off": lambda: _("drop-off"),
}
ASSUMPTION_KINDS = {
    "discount_rate": "percent",
    "costs": "percent",
    "quantity": "number",
    "proxy": "money",
    "duration": "number",
    "deadweight": "percent",
    "displacement": "percent",
    "attribution": "percent",
    "drop_off": "percent",
}


def payback_text(year: int | None, base_year: int) -> str:
    if year is None:
        return _("not within the horizon")
    return _("year %(year)s (%(calendar)s)") % {"year": year, "calendar": base_year + year}


class ReportView:
    """Tables and charts of one report, computed once."""

    def __init__(self, report: Report):
        self.report = report
        self.case = report.case
        self.draft = report.draft
        self.analysis: Analysis | None = report.analysis
        self.names = report.actor_names
        self.base_year = report.draft.base_year

    # --- tables ---------------------------------------------------------------------------------

    def summary(self) -> Table:
        r = self.analysis.result
        rows = [
            (_("Present value of the costs"), money(r.pv_costs)),
            (_("Present value of the benefits"), money(r.pv_benefits)),
            (_("Net present value"), money(r.npv)),
            (_("SROI ratio (benefits per euro of costs)"), Cell(r.ratio, "ratio")),
            (_("Paid back in"), payback_text(r.payback_year, self.base_year)),
            (_("Discount rate"), pct(self.draft.discount_rate)),
            (_("Horizon"), _("%(years)s years") % {"years": self.draft.horizon}),
            (_("Base year (year 0)"), str(self.base_year)),
            (_("Reference values"), str(self.case.reference_set)),
        ]
        return _table("summary", _("Summary"), (_("Figure"), _("Value")), rows)

    def actors(self) -> Table:
        r, s = self.analysis.result, self.analysis.settlement
        after = dict(s.after)
        rows = [
            (
                a.name,
                money(a.costs),
                money(a.benefits),
                money(a.net),
                money(s.received_by(a.key) - s.paid_by(a.key)),
                money(after.get(a.key, a.net)),
            )
            for a in r.actors
        ]
        rows.append(
            (
                _("Total"),
                money(r.pv_costs),
                money(r.pv_benefits),
                money(r.npv),
                money(ZERO),
                money(sum((v for _k, v in s.after), ZERO)),
            )
        )
        headers = (
            _("Actor"),
            _("Pays"),
            _("Gains"),
            _("Net"),
            _("Settlement"),
            _("After settlement"),
        )
        return _table("actors", _("Who pays and who gains"), headers, rows)

    def transfers(self) -> Table:
        r, s = self.analysis.result, self.analysis.settlement
        gains = {a.key: a.benefits for a in r.actors}
        rows = []
        for t in s.transfers:
            share = None
            if gains.get(t.payer):
                share = (t.amount * 100 / gains[t.payer]).quantize(Decimal("0.1"))
            rows.append(
                (self.names.get(t.payer), self.names.get(t.receiver), money(t.amount), pct(share))
            )
        headers = (_("From"), _("To"), _("Amount"), _("Share of what the payer gains"))
        return _table("transfers", _("Proposed settlement"), headers, rows)

    def costs(self) -> Table:
        lines = [ln for ln in self.analysis.result.lines if ln.kind == COST]
        rows = []
        for draft, line in zip(self.draft.costs, lines, strict=True):
            rows.append(
                (
                    draft.label,
                    self.names.get(draft.actor),
                    f"{draft.year} ({self.base_year + draft.year})",
                    money(line.nominal_total),
                    money(line.present_value),
                    scenario_label(draft.scenario),
                    draft.source or _("no source given"),
                )
            )
        headers = (
            _("What"),
            _("Paid by"),
            _("Year"),
            _("Amount"),
            _("Present value"),
            _("Scenario"),
            _("Source"),
        )
        return _table("costs", _("Costs (inputs)"), headers, rows)

    def _proxy(self, outcome) -> tuple[Decimal | None, str]:
        if outcome.proxy_key:
            ref = reference_lookup(self.case.reference_set).get(outcome.proxy_key)
            if ref is None:
                return None, outcome.proxy_key
            return ref.annual_value(), f"{ref.name} ({ref.source}, {ref.year})"
        return outcome.proxy_value, outcome.proxy_source

    def outcomes(self) -> Table:
        lines = [ln for ln in self.analysis.result.lines if ln.kind == BENEFIT]
        rows = []
        for draft, line in zip(self.draft.outcomes, lines, strict=True):
            proxy, _source = self._proxy(draft)
            rows.append(
                (
                    draft.label,
                    self.names.get(draft.beneficiary),
                    Cell(draft.quantity, "number"),
                    money(proxy),
                    Cell(draft.duration, "number"),
                    pct(draft.deadweight),
                    pct(draft.displacement),
                    pct(draft.attribution),
                    pct(draft.drop_off),
                    money(line.nominal_total),
                    money(line.present_value),
                    scenario_label(draft.scenario),
                )
            )
        headers = (
            _("Outcome"),
            _("Gained by"),
            _("Quantity"),
            _("Proxy per unit per year"),
            _("Years"),
            _("Deadweight"),
            _("Displacement"),
            _("Attribution"),
            _("Drop-off"),
            _("Value"),
            _("Present value"),
            _("Scenario"),
        )
        return _table("outcomes", _("Outcomes (benefits)"), headers, rows)

    def years(self) -> Table:
        rows = [
            (
                str(y.year),
                str(self.base_year + y.year),
                money(y.costs),
                money(y.benefits),
                money(y.net),
                money(y.cumulative),
            )
            for y in self.analysis.result.years
        ]
        headers = (
            _("Year"),
            _("Calendar year"),
            _("Costs (present value)"),
            _("Benefits (present value)"),
            _("Net"),
            _("Cumulative"),
        )
        return _table("years", _("Year by year"), headers, rows)

    def sensitivity(self) -> Table:
        rows = []
        for s in self.analysis.sensitivity:
            kind = ASSUMPTION_KINDS[s.assumption]
            rows.append(
                (
                    ASSUMPTION_LABELS[s.assumption](),
                    s.outcome_label or _("whole case"),
                    Cell(s.base, kind),
                    Cell(s.low, kind),
                    Cell(s.high, kind),
                    money(s.npv_low),
                    money(s.npv_high),
                    Cell(s.ratio_low, "ratio"),
                    Cell(s.ratio_high, "ratio"),
                )
            )
        headers = (
            _("Assumption"),
            _("Applies to"),
            _("Now"),
            _("Low"),
            _("High"),
            _("NPV when low"),
            _("NPV when high"),
            _("Ratio when low"),
            _("Ratio when high"),
        )
        title = _("Sensitivity (each assumption %(p)s lower and higher)") % {
            "p": formatting.percent(self.analysis.sensitivity_percent)
        }
        return _table("sensitivity", title, headers, rows)

    def scenario_names(self) -> dict[str, str]:
        return {
            WITHOUT: _("Without the project"),
            PROJECT_ONLY: _("Project"),
            WITH_LOCAL_WORK: _("Project with local work"),
        }

    def scenarios(self) -> Table:
        comparison = self.analysis.scenarios
        names = self.scenario_names()
        rows = [
            (
                names[s.key],
                money(s.pv_costs),
                money(s.pv_benefits),
                money(s.npv),
                Cell(s.ratio, "ratio"),
                payback_text(s.payback_year, self.base_year) if s.key != WITHOUT else "—",
            )
            for s in comparison.scenarios
        ]
        rows.append(
            (
                _("Difference made by local work"),
                money(comparison.local_work_costs),
                money(comparison.local_work_benefits),
                money(comparison.local_work_npv),
                Cell(comparison.local_work_ratio, "ratio"),
                "—",
            )
        )
        headers = (
            _("Scenario"),
            _("Costs (present value)"),
            _("Benefits (present value)"),
            _("Net present value"),
            _("SROI ratio"),
            _("Paid back in"),
        )
        return _table("scenarios", _("Scenarios compared"), headers, rows)

    def references(self) -> Table:
        rows = []
        for v in self.report.references_used:
            rows.append(self._reference_row(v))
        discount = reference_lookup(self.case.reference_set).get("discount_rate_standard")
        if discount is not None:
            rows.append(self._reference_row(discount))
        headers = (
            _("Reference value"),
            _("Value"),
            _("Per"),
            _("Year"),
            _("Source"),
            _("Valid"),
            _("Note"),
        )
        return _table("references", _("Reference values used"), headers, rows)

    def _reference_row(self, v: ReferenceValue):
        kind = "money" if v.is_money else "number"
        if v.unit in ("percent", "percent_year"):
            kind = "percent"
        valid = "—"
        if v.valid_from or v.valid_to:
            valid = f"{v.valid_from or '…'} - {v.valid_to or '…'}"
        warning = reference_warning(v, self.base_year)
        note = {
            "outside": _("not valid in the base year"),
            "old": _("figure is more than 5 years older than the base year"),
        }.get(warning, v.note)
        return (
            v.name,
            Cell(v.value, kind),
            f"{v.get_unit_display()} {v.per}".strip(),
            str(v.year),
            v.source + (f" ({v.source_url})" if v.source_url else ""),
            valid,
            note,
        )

    def sources(self) -> Table:
        """Every assumption of every line with its source."""
        rows = []
        for c in self.draft.costs:
            rows.append(
                (c.label, _("amount"), formatting.euro(c.amount), c.source or _("no source given"))
            )
        for o in self.draft.outcomes:
            proxy, source = self._proxy(o)
            rows.append(
                (
                    o.label,
                    _("financial proxy"),
                    formatting.euro(proxy),
                    source or _("no source given"),
                )
            )
            adjustments = ", ".join(
                f"{ASSUMPTION_LABELS[name]()} {formatting.percent(getattr(o, name))}"
                for name in ("deadweight", "displacement", "attribution", "drop_off")
            )
            rows.append(
                (
                    o.label,
                    _("adjustments"),
                    adjustments,
                    o.adjustment_source or _("no source given"),
                )
            )
            rows.append(
                (
                    o.label,
                    _("quantity and duration"),
                    _("%(q)s for %(d)s years")
                    % {"q": formatting.number(o.quantity), "d": o.duration},
                    o.indicator or "—",
                )
            )
        headers = (_("Line"), _("Assumption"), _("Value"), _("Source"))
        return _table("sources", _("Every assumption and its source"), headers, rows)

    def tables(self) -> list[Table]:
        if self.analysis is None:
            return []
        return [
            self.summary(),
            self.actors(),
            self.transfers(),
            self.scenarios(),
            self.years(),
            self.sensitivity(),
            self.costs(),
            self.outcomes(),
            self.references(),
            self.sources(),
        ]
