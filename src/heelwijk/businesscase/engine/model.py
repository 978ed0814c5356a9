"""The input of a business case: actors, yearly costs per actor, outcomes and adjustments."""

from dataclasses import dataclass, field
from decimal import Decimal

# A line belongs to the project itself (it happens whenever the task is done) or only to the
# variant where local work is organised around the task.
PROJECT = "project"
LOCAL_WORK = "local_work"
SCENARIOS = (PROJECT, LOCAL_WORK)


@dataclass(frozen=True)
class Actor:
    """A party that pays or gains: the municipality, a housing corporation, residents, ..."""

    key: str
    name: str
    # False for actors that should not be asked to pay in a settlement, such as residents.
    pays_in_settlement: bool = True


@dataclass(frozen=True)
class CostLine:
    """An input: what one actor pays in one year (year 0 is the start and is not discounted)."""

    key: str
    label: str
    actor: str
    year: int
    amount: Decimal
    scenario: str = PROJECT
    source: str = ""


@dataclass(frozen=True)
class Outcome:
    """A change valued in euros with a financial proxy, credited to the actor who gains.

    `proxy` is the value of one unit for one year; `None` means no proxy was chosen. The four
    adjustments are percentages from 0 to 100.
    """

    key: str
    label: str
    beneficiary: str
    quantity: Decimal
    proxy: Decimal | None
    duration: int
    deadweight: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    attribution: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)
    scenario: str = PROJECT
    proxy_source: str = ""


@dataclass(frozen=True)
class CaseInput:
    actors: tuple[Actor, ...]
    costs: tuple[CostLine, ...]
    outcomes: tuple[Outcome, ...]
    discount_rate: Decimal
    horizon: int
    notes: dict[str, str] = field(default_factory=dict, compare=False)

    def actor_name(self, key: str) -> str:
        for actor in self.actors:
            if actor.key == key:
                return actor.name
        return key

    def only(self, scenarios: tuple[str, ...]) -> "CaseInput":
        """The same case with only the lines of the given scenarios."""
        return CaseInput(
            actors=self.actors,
            costs=tuple(c for c in self.costs if c.scenario in scenarios),
            outcomes=tuple(o for o in self.outcomes if o.scenario in scenarios),
            discount_rate=self.discount_rate,
            horizon=self.horizon,
        )
