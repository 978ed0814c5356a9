"""Scenario comparison: without the project, the project alone, and the project with local work."""

from dataclasses import dataclass
from decimal import Decimal

from .model import LOCAL_WORK, PROJECT, CaseInput
from .money import ZERO
from .sroi import compute, sroi_ratio

WITHOUT = "without"
PROJECT_ONLY = "project"
WITH_LOCAL_WORK = "with_local_work"


@dataclass(frozen=True)
class ScenarioResult:
    key: str
    pv_costs: Decimal
    pv_benefits: Decimal
    ratio: Decimal | None
    payback_year: int | None
    actor_nets: tuple[tuple[str, Decimal], ...]

    @property
    def npv(self) -> Decimal:
        return self.pv_benefits - self.pv_costs


@dataclass(frozen=True)
class ScenarioComparison:
    scenarios: tuple[ScenarioResult, ...]

    def get(self, key: str) -> ScenarioResult:
        return next(s for s in self.scenarios if s.key == key)

    @property
    def local_work_costs(self) -> Decimal:
        return self.get(WITH_LOCAL_WORK).pv_costs - self.get(PROJECT_ONLY).pv_costs

    @property
    def local_work_benefits(self) -> Decimal:
        return self.get(WITH_LOCAL_WORK).pv_benefits - self.get(PROJECT_ONLY).pv_benefits

    @property
    def local_work_npv(self) -> Decimal:
        return self.local_work_benefits - self.local_work_costs

    @property
    def local_work_ratio(self) -> Decimal | None:
        return sroi_ratio(self.local_work_benefits, self.local_work_costs)


def compare_scenarios(case: CaseInput) -> ScenarioComparison:
    # Without the project nothing changes against today: the baseline every effect is measured from.
    without = ScenarioResult(
        WITHOUT, ZERO, ZERO, None, None, tuple((a.key, ZERO) for a in case.actors)
    )
    results = [without]
    for key, scenarios in ((PROJECT_ONLY, (PROJECT,)), (WITH_LOCAL_WORK, (PROJECT, LOCAL_WORK))):
        result = compute(case.only(scenarios))
        results.append(
            ScenarioResult(
                key,
                result.pv_costs,
                result.pv_benefits,
                result.ratio,
                result.payback_year,
                tuple((a.key, a.net) for a in result.actors),
            )
        )
    return ScenarioComparison(tuple(results))
