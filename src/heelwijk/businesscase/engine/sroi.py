"""Present values, NPV, the SROI ratio, payback and the balance per actor (SROI guide 2012, MKBA).

Every amount is first worked out per line and per year with 50 significant digits, discounted,
and rounded once to whole cents. Totals per year, per actor and for the whole case are sums of
those cells, so they always add up to the cent.

Per outcome and year t = 1 .. min(duration, horizon):
    impact(1) = quantity * proxy * (1 - deadweight) * (1 - displacement) * (1 - attribution)
    impact(t) = impact(t - 1) * (1 - drop_off)
    cell(t)   = round(impact(t) / (1 + r)^t)
A cost in year y (0 .. horizon) gives cell(y) = round(amount / (1 + r)^y).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .model import CaseInput, Outcome
from .money import CENT, PRECISION, ZERO, fraction
from .validation import ensure_valid

COST = "cost"
BENEFIT = "benefit"
RATIO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class LineResult:
    key: str
    label: str
    kind: str  # COST or BENEFIT
    actor: str
    scenario: str
    nominal: tuple[Decimal, ...]  # undiscounted euros per year 0..horizon, rounded to cents
    cells: tuple[Decimal, ...]  # present value per year 0..horizon, rounded to cents

    @property
    def present_value(self) -> Decimal:
        return sum(self.cells, ZERO)

    @property
    def nominal_total(self) -> Decimal:
        return sum(self.nominal, ZERO)


@dataclass(frozen=True)
class YearRow:
    year: int
    costs: Decimal
    benefits: Decimal
    cumulative: Decimal

    @property
    def net(self) -> Decimal:
        return self.benefits - self.costs


@dataclass(frozen=True)
class ActorBalance:
    key: str
    name: str
    costs: Decimal
    benefits: Decimal

    @property
    def net(self) -> Decimal:
        return self.benefits - self.costs


@dataclass(frozen=True)
class Result:
    horizon: int
    discount_rate: Decimal
    lines: tuple[LineResult, ...]
    years: tuple[YearRow, ...]
    actors: tuple[ActorBalance, ...]
    pv_costs: Decimal
    pv_benefits: Decimal
    ratio: Decimal | None  # PV benefits per euro of PV costs; None without costs
    payback_year: int | None  # None: not paid back within the horizon, or nothing to pay back

    @property
    def npv(self) -> Decimal:
        return self.pv_benefits - self.pv_costs


def discount_powers(rate_percent: Decimal, horizon: int) -> list[Decimal]:
    """(1 + r)^t for t = 0 .. horizon, unrounded."""
    with localcontext(PRECISION):
        base = 1 + fraction(rate_percent)
        return [base**t for t in range(horizon + 1)]


def discount(amount: Decimal, rate_percent: Decimal, year: int) -> Decimal:
    """amount / (1 + r)^year, unrounded."""
    with localcontext(PRECISION):
        return amount / (1 + fraction(rate_percent)) ** year


def _cents(amount: Decimal) -> Decimal:
    # Only called inside localcontext(PRECISION); same rule as money.round_money.
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def outcome_impacts(outcome: Outcome, horizon: int) -> list[Decimal]:
    """The undiscounted impact in years 1 .. min(duration, horizon), unrounded."""
    with localcontext(PRECISION):
        first = (
            outcome.quantity
            * outcome.proxy
            * (1 - fraction(outcome.deadweight))
            * (1 - fraction(outcome.displacement))
            * (1 - fraction(outcome.attribution))
        )
        keep = 1 - fraction(outcome.drop_off)
        impacts = [first]
        for _ in range(1, min(outcome.duration, horizon)):
            impacts.append(impacts[-1] * keep)
        return impacts


def _cost_line(cost, case: CaseInput, powers: list[Decimal]) -> LineResult:
    nominal = [ZERO] * (case.horizon + 1)
    cells = [ZERO] * (case.horizon + 1)
    with localcontext(PRECISION):
        nominal[cost.year] = _cents(cost.amount)
        cells[cost.year] = _cents(cost.amount / powers[cost.year])
    return LineResult(
        cost.key, cost.label, COST, cost.actor, cost.scenario, tuple(nominal), tuple(cells)
    )


def outcome_line(
    outcome: Outcome, case: CaseInput, powers: list[Decimal] | None = None
) -> LineResult:
    if powers is None:
        powers = discount_powers(case.discount_rate, case.horizon)
    nominal = [ZERO] * (case.horizon + 1)
    cells = [ZERO] * (case.horizon + 1)
    impacts = outcome_impacts(outcome, case.horizon)
    with localcontext(PRECISION):
        for t, impact in enumerate(impacts, start=1):
            nominal[t] = _cents(impact)
            cells[t] = _cents(impact / powers[t])
    return LineResult(
        outcome.key,
        outcome.label,
        BENEFIT,
        outcome.beneficiary,
        outcome.scenario,
        tuple(nominal),
        tuple(cells),
    )


def sroi_ratio(pv_benefits: Decimal, pv_costs: Decimal) -> Decimal | None:
    if pv_costs <= 0:
        return None
    with localcontext(PRECISION):
        return (pv_benefits / pv_costs).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def payback_year(years: tuple[YearRow, ...]) -> int | None:
    """The first year from which the cumulative discounted net stays at or above zero.

    Counting starts at the first year with a cost; a case without costs has nothing to pay back.
    """
    first_cost = next((row.year for row in years if row.costs > 0), None)
    if first_cost is None:
        return None
    answer = None
    for row in years:
        if row.year < first_cost:
            continue
        if row.cumulative >= 0:
            if answer is None:
                answer = row.year
        else:
            answer = None
    return answer


def compute(case: CaseInput) -> Result:
    """The full result of a valid case; raises InvalidCase listing every problem otherwise."""
    ensure_valid(case)
    powers = discount_powers(case.discount_rate, case.horizon)
    lines = tuple(_cost_line(c, case, powers) for c in case.costs) + tuple(
        outcome_line(o, case, powers) for o in case.outcomes
    )
    years = []
    cumulative = ZERO
    for year in range(case.horizon + 1):
        costs = sum((ln.cells[year] for ln in lines if ln.kind == COST), ZERO)
        benefits = sum((ln.cells[year] for ln in lines if ln.kind == BENEFIT), ZERO)
        cumulative += benefits - costs
        years.append(YearRow(year, costs, benefits, cumulative))
    actors = tuple(
        ActorBalance(
            actor.key,
            actor.name,
            sum(
                (ln.present_value for ln in lines if ln.kind == COST and ln.actor == actor.key),
                ZERO,
            ),
            sum(
                (ln.present_value for ln in lines if ln.kind == BENEFIT and ln.actor == actor.key),
                ZERO,
            ),
        )
        for actor in case.actors
    )
    pv_costs = sum((ln.present_value for ln in lines if ln.kind == COST), ZERO)
    pv_benefits = sum((ln.present_value for ln in lines if ln.kind == BENEFIT), ZERO)
    return Result(
        horizon=case.horizon,
        discount_rate=case.discount_rate,
        lines=lines,
        years=tuple(years),
        actors=actors,
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        ratio=sroi_ratio(pv_benefits, pv_costs),
        payback_year=payback_year(tuple(years)),
    )
