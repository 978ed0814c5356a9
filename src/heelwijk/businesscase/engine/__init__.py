"""The business case maths: pure functions on Decimal, no Django.

Everything a page, the API or an export shows about a business case is computed here from a
`CaseInput`; the Django side only builds that input from the database and renders the result.
"""

from .model import (
    LOCAL_WORK,
    PROJECT,
    SCENARIOS,
    Actor,
    CaseInput,
    CostLine,
    Outcome,
)
from .settlement import Settlement, Transfer, propose_settlement
from .sroi import ActorBalance, LineResult, Result, YearRow, compute
from .validation import InvalidCase, Issue, validate

__all__ = [
    "LOCAL_WORK",
    "PROJECT",
    "SCENARIOS",
    "Actor",
    "ActorBalance",
    "CaseInput",
    "CostLine",
    "InvalidCase",
    "Issue",
    "LineResult",
    "Outcome",
    "Result",
    "Settlement",
    "Transfer",
    "YearRow",
    "compute",
    "propose_settlement",
    "validate",
]
