"""Everything a report shows about one case, computed in one call."""

from dataclasses import dataclass
from decimal import Decimal

from .model import CaseInput
from .scenarios import ScenarioComparison, compare_scenarios
from .sensitivity import SensitivityRow, sensitivity
from .settlement import Settlement, propose_settlement
from .sroi import Result, compute


@dataclass(frozen=True)
class Analysis:
    result: Result
    scenarios: ScenarioComparison | None  # None in a quick analysis
    sensitivity_percent: Decimal
    sensitivity: tuple[SensitivityRow, ...]
    settlement: Settlement


def analyse(
    case: CaseInput,
    *,
    sensitivity_percent: Decimal,
    sensitivity_limit: int = 10,
    quick: bool = False,
) -> Analysis:
    """The result with settlement; unless `quick`, also scenarios and sensitivity."""
    result = compute(case)
    return Analysis(
        result=result,
        scenarios=None if quick else compare_scenarios(case),
        sensitivity_percent=sensitivity_percent,
        sensitivity=() if quick else sensitivity(case, sensitivity_percent, sensitivity_limit),
        settlement=propose_settlement(
            [(a.key, a.net) for a in result.actors],
            exempt=[a.key for a in case.actors if not a.pays_in_settlement],
        ),
    )
