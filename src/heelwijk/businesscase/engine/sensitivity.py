"""Sensitivity: move each assumption down and up by a chosen percentage and see the NPV move.

The rows, largest swing first, are what a tornado chart shows. Percentages that would leave
0-100 are clipped; a duration is rounded to whole years and stays at least one year.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .model import CaseInput
from .money import PRECISION, fraction
from .sroi import compute, discount_powers, outcome_line, sroi_ratio

OUTCOME_ASSUMPTIONS = (
    "quantity",
    "proxy",
    "duration",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
)
PERCENT_ASSUMPTIONS = {"deadweight", "displacement", "attribution", "drop_off"}


@dataclass(frozen=True)
class SensitivityRow:
    assumption: str  # "discount_rate", "costs" or one of OUTCOME_ASSUMPTIONS
    outcome_key: str  # empty for the case-wide assumptions
    outcome_label: str
    base: Decimal
    low: Decimal
    high: Decimal
    npv_low: Decimal  # the NPV with the assumption at `low`
    npv_high: Decimal
    ratio_low: Decimal | None
    ratio_high: Decimal | None

    @property
    def swing(self) -> Decimal:
        return abs(self.npv_high - self.npv_low)


def _moved(value: Decimal, percent: Decimal, sign: int, name: str) -> Decimal:
    with localcontext(PRECISION):
        moved = value * (1 + sign * fraction(percent))
    if name in PERCENT_ASSUMPTIONS or name == "discount_rate":
        moved = min(max(moved, Decimal(0)), Decimal(100))
    if name == "duration":
        moved = max(moved.quantize(Decimal(1), rounding=ROUND_HALF_UP), Decimal(1))
    return max(moved, Decimal(0))


def _with_costs_scaled(case: CaseInput, factor: Decimal) -> CaseInput:
    with localcontext(PRECISION):
        costs = tuple(replace(c, amount=c.amount * factor) for c in case.costs)
    return replace(case, costs=costs)


def sensitivity(case: CaseInput, percent: Decimal, limit: int = 10) -> tuple[SensitivityRow, ...]:
    """The `limit` assumptions that move the NPV most when moved by +/- `percent` %.

    An outcome's assumption only changes that outcome's line, so only that line is worked out
    again; the discount rate and the costs touch every line and take a full computation.
    """
    base = compute(case)
    rows: list[SensitivityRow] = []

    def add_full(assumption, base_value, low, high, low_case, high_case):
        low_result, high_result = compute(low_case), compute(high_case)
        rows.append(
            SensitivityRow(
                assumption,
                "",
                "",
                base_value,
                low,
                high,
                low_result.npv,
                high_result.npv,
                low_result.ratio,
                high_result.ratio,
            )
        )

    rate = case.discount_rate
    low, high = (
        _moved(rate, percent, -1, "discount_rate"),
        _moved(rate, percent, 1, "discount_rate"),
    )
    add_full(
        "discount_rate",
        rate,
        low,
        high,
        replace(case, discount_rate=low),
        replace(case, discount_rate=high),
    )
    if case.costs:
        with localcontext(PRECISION):
            down, up = 1 - fraction(percent), 1 + fraction(percent)
        add_full(
            "costs",
            Decimal(100),
            Decimal(100) * down,
            Decimal(100) * up,
            _with_costs_scaled(case, down),
            _with_costs_scaled(case, up),
        )

    first_outcome = len(case.costs)
    powers = discount_powers(case.discount_rate, case.horizon)
    for index, outcome in enumerate(case.outcomes):
        line_pv = base.lines[first_outcome + index].present_value
        for name in OUTCOME_ASSUMPTIONS:
            base_value = Decimal(getattr(outcome, name))
            low = _moved(base_value, percent, -1, name)
            high = _moved(base_value, percent, 1, name)
            if low == base_value and high == base_value:
                continue
            results = []
            for value in (low, high):
                changed = replace(outcome, **{name: int(value) if name == "duration" else value})
                benefits = (
                    base.pv_benefits - line_pv + outcome_line(changed, case, powers).present_value
                )
                results.append((benefits - base.pv_costs, sroi_ratio(benefits, base.pv_costs)))
            rows.append(
                SensitivityRow(
                    name,
                    outcome.key,
                    outcome.label,
                    base_value,
                    low,
                    high,
                    results[0][0],
                    results[1][0],
                    results[0][1],
                    results[1][1],
                )
            )
    rows = [row for row in rows if row.swing > 0]
    rows.sort(key=lambda row: -row.swing)  # stable: equal swings keep the order above
    return tuple(rows[:limit])
