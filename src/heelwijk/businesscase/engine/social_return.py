"""The social return calculator: what a social return clause asks of a contract, and what it buys.

A clause asks a percentage of the contract value (a lower one when labour is a small part of the
work) once a contract passes a value and a duration threshold. Placements are credited at a value
per placement type; the obligation divided by that value says how many people it can employ.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext

from .money import PRECISION, ZERO, fraction, round_money


@dataclass(frozen=True)
class SocialReturnRules:
    standard_percent: Decimal
    low_labour_percent: Decimal
    labour_share_threshold: Decimal  # below this labour share (%) the low percentage applies
    min_contract_value: Decimal  # the clause applies above this value ...
    min_duration_months: int  # ... and from this duration on


@dataclass(frozen=True)
class PlacementType:
    key: str
    label: str
    credited_value: Decimal  # what one placement counts for towards the obligation


@dataclass(frozen=True)
class PlannedPlacement:
    placement: PlacementType
    count: int

    @property
    def credited(self) -> Decimal:
        return round_money(self.placement.credited_value * self.count)


@dataclass(frozen=True)
class SocialReturnResult:
    applies: bool
    reasons: tuple[str, ...]  # why the clause does not apply: "value_below_threshold", "too_short"
    percent: Decimal
    low_labour: bool
    obligation: Decimal
    planned: tuple[PlannedPlacement, ...]
    credited: Decimal
    remaining: Decimal  # still to fill; zero once the planned placements cover the obligation
    possible: tuple[tuple[PlacementType, int], ...]  # how many of each type the obligation pays

    @property
    def residents(self) -> int:
        """How many residents the obligation can employ in the first (main) placement type."""
        return self.possible[0][1] if self.possible else 0


def _whole(amount: Decimal, per: Decimal) -> int:
    if per <= 0:
        return 0
    with localcontext(PRECISION):
        return int((amount / per).to_integral_value(rounding=ROUND_FLOOR))


def social_return(
    *,
    contract_value: Decimal,
    labour_share: Decimal | None,
    duration_months: int | None,
    rules: SocialReturnRules,
    placement_types: tuple[PlacementType, ...],
    planned: tuple[PlannedPlacement, ...] = (),
) -> SocialReturnResult:
    if contract_value < 0:
        raise ValueError("contract value must not be negative")
    reasons = []
    if contract_value <= rules.min_contract_value:
        reasons.append("value_below_threshold")
    if duration_months is not None and duration_months < rules.min_duration_months:
        reasons.append("too_short")
    low_labour = labour_share is not None and labour_share < rules.labour_share_threshold
    percent = rules.low_labour_percent if low_labour else rules.standard_percent
    with localcontext(PRECISION):
        obligation = round_money(contract_value * fraction(percent))
    credited = sum((p.credited for p in planned), ZERO)
    return SocialReturnResult(
        applies=not reasons,
        reasons=tuple(reasons),
        percent=percent,
        low_labour=low_labour,
        obligation=obligation,
        planned=planned,
        credited=credited,
        remaining=max(obligation - credited, ZERO),
        possible=tuple((t, _whole(obligation, t.credited_value)) for t in placement_types),
    )
