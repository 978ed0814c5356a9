"""A business case as typed in (editor or API), before it is saved: plain data, no database.

The editor's live preview, the API's compute endpoint and the save action all start from a
`CaseDraft`, so what you see while typing is exactly what is saved.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ActorDraft:
    key: str  # refers lines to this actor; the saved actor's id, or any label for new ones
    name: str
    kind: str = "other"
    organisation_id: int | None = None


@dataclass(frozen=True)
class CostDraft:
    actor: str
    label: str
    year: int
    amount: Decimal  # euros
    scenario: str = "project"
    source: str = ""


@dataclass(frozen=True)
class OutcomeDraft:
    beneficiary: str
    label: str
    quantity: Decimal
    duration: int
    proxy_key: str = ""
    proxy_value: Decimal | None = None  # euros per unit per year, when no reference value is used
    proxy_source: str = ""
    deadweight: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    attribution: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)
    adjustment_source: str = ""
    indicator: str = ""
    scenario: str = "project"


@dataclass(frozen=True)
class CaseDraft:
    title: str
    discount_rate: Decimal
    horizon: int
    base_year: int
    sensitivity_percent: Decimal = Decimal(20)
    summary: str = ""
    actors: tuple[ActorDraft, ...] = field(default_factory=tuple)
    costs: tuple[CostDraft, ...] = field(default_factory=tuple)
    outcomes: tuple[OutcomeDraft, ...] = field(default_factory=tuple)
