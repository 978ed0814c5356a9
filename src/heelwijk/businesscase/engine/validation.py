"""Checks on a case before any sum is made. Each problem is a code with a place and parameters;
the Django side turns the code into a sentence in the user's language."""

from dataclasses import dataclass, field
from decimal import Decimal

from .model import SCENARIOS, CaseInput

MAX_HORIZON = 100
# Far above any real case, and small enough that every sum stays exact at 50 digits.
MAX_AMOUNT = Decimal(10) ** 13  # euros per line or per unit
MAX_QUANTITY = Decimal(10) ** 12
PERCENT_FIELDS = ("deadweight", "displacement", "attribution", "drop_off")


@dataclass(frozen=True)
class Issue:
    code: str
    # Where the problem is: ("horizon",), ("costs", 2, "amount"), ("outcomes", 0, "proxy").
    path: tuple = ()
    params: dict = field(default_factory=dict, compare=False)


class InvalidCase(ValueError):
    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(i.code for i in issues))
        self.issues = issues


def _is_finite(value) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _percent_issue(value, path: tuple, name: str) -> Issue | None:
    if not _is_finite(value) or value < 0 or value > 100:
        return Issue("percent_out_of_range", path, {"field": name, "value": value})
    return None


def validate(case: CaseInput) -> list[Issue]:
    """Every problem in the case, in a stable order; an empty list means it can be computed."""
    issues: list[Issue] = []
    if not isinstance(case.horizon, int) or case.horizon < 1:
        issues.append(Issue("horizon_not_positive", ("horizon",), {"value": case.horizon}))
    elif case.horizon > MAX_HORIZON:
        issues.append(Issue("horizon_too_long", ("horizon",), {"max": MAX_HORIZON}))
    problem = _percent_issue(case.discount_rate, ("discount_rate",), "discount_rate")
    if problem:
        issues.append(problem)

    keys = set()
    for i, actor in enumerate(case.actors):
        if not actor.name.strip():
            issues.append(Issue("actor_without_name", ("actors", i, "name")))
        if actor.key in keys:
            issues.append(Issue("actor_duplicate", ("actors", i, "name"), {"name": actor.name}))
        keys.add(actor.key)

    horizon = case.horizon if isinstance(case.horizon, int) else 0
    for i, cost in enumerate(case.costs):
        where = ("costs", i)
        if cost.actor not in keys:
            issues.append(Issue("unknown_actor", (*where, "actor"), {"line": cost.label}))
        if not _is_finite(cost.amount) or cost.amount < 0:
            issues.append(Issue("amount_negative", (*where, "amount"), {"line": cost.label}))
        elif cost.amount >= MAX_AMOUNT:
            issues.append(Issue("too_large", (*where, "amount"), {"line": cost.label}))
        if not isinstance(cost.year, int) or cost.year < 0 or cost.year > horizon:
            issues.append(
                Issue(
                    "year_out_of_range",
                    (*where, "year"),
                    {"line": cost.label, "year": cost.year, "horizon": horizon},
                )
            )
        if cost.scenario not in SCENARIOS:
            issues.append(Issue("unknown_scenario", (*where, "scenario"), {"line": cost.label}))

    for i, outcome in enumerate(case.outcomes):
        where = ("outcomes", i)
        if outcome.beneficiary not in keys:
            issues.append(Issue("unknown_actor", (*where, "beneficiary"), {"line": outcome.label}))
        if not _is_finite(outcome.quantity) or outcome.quantity < 0:
            issues.append(Issue("quantity_negative", (*where, "quantity"), {"line": outcome.label}))
        elif outcome.quantity >= MAX_QUANTITY:
            issues.append(Issue("too_large", (*where, "quantity"), {"line": outcome.label}))
        if outcome.proxy is None:
            issues.append(Issue("proxy_missing", (*where, "proxy"), {"line": outcome.label}))
        elif not _is_finite(outcome.proxy) or outcome.proxy < 0:
            issues.append(Issue("proxy_negative", (*where, "proxy"), {"line": outcome.label}))
        elif outcome.proxy >= MAX_AMOUNT:
            issues.append(Issue("too_large", (*where, "proxy"), {"line": outcome.label}))
        if not isinstance(outcome.duration, int) or outcome.duration < 1:
            issues.append(
                Issue("duration_not_positive", (*where, "duration"), {"line": outcome.label})
            )
        for name in PERCENT_FIELDS:
            problem = _percent_issue(getattr(outcome, name), (*where, name), name)
            if problem:
                problem.params["line"] = outcome.label
                issues.append(problem)
        if outcome.scenario not in SCENARIOS:
            issues.append(Issue("unknown_scenario", (*where, "scenario"), {"line": outcome.label}))
    return issues


def ensure_valid(case: CaseInput) -> None:
    issues = validate(case)
    if issues:
        raise InvalidCase(issues)
