"""Shapes of the business case API. Money is in whole cents; percentages and ratios are decimals."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from .serialise import reference_set_brief


class In(Schema):
    """Input refuses unknown fields, so a misspelt field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the caller's language.")
    errors: dict[str, list[str]] | list[dict[str, Any]] | None = Field(
        None, description="Per field messages (400) or schema errors (422)."
    )


class GoalIn(In):
    kind: str
    indicator: str
    target: Decimal
    unit: str = ""


class GoalOut(Schema):
    kind: str
    indicator: str
    target: Decimal
    unit: str = ""


class OpgaveIn(In):
    title: str
    description: str = ""
    commissioner_id: int
    budget_cents: int
    contract_value_cents: int
    labour_share: Decimal | None = None
    start_date: date
    end_date: date
    status: str = "preparation"
    area_ids: list[int] = []
    goals: list[GoalIn] = []


class OpgaveOut(Schema):
    id: int
    title: str
    description: str
    commissioner_id: int
    commissioner_name: str
    budget_cents: int
    contract_value_cents: int
    labour_share: Decimal | None
    start_date: date
    end_date: date
    duration_months: int
    status: str
    area_ids: list[int]
    goals: list[GoalOut]
    business_case_ids: list[int]

    @staticmethod
    def resolve_commissioner_name(obj) -> str:
        return obj.commissioner.name

    @staticmethod
    def resolve_area_ids(obj) -> list[int]:
        return sorted(a.pk for a in obj.areas.all())

    @staticmethod
    def resolve_goals(obj) -> list:
        return list(obj.goals.all())

    @staticmethod
    def resolve_business_case_ids(obj) -> list[int]:
        return [c.pk for c in obj.business_cases.all()]


class OpgavePage(Schema):
    count: int
    items: list[OpgaveOut]


class ReferenceSetBrief(Schema):
    id: int
    label: str
    version: int
    national: bool


class ActorIn(In):
    key: str
    name: str
    kind: str = "other"
    organisation_id: int | None = None


class CostIn(In):
    actor: str
    label: str
    year: int
    amount_cents: int
    scenario: str = "project"
    source: str = ""


class OutcomeIn(In):
    beneficiary: str
    label: str
    quantity: Decimal
    duration_years: int
    proxy_key: str = ""
    proxy_value_cents: int | None = None
    proxy_source: str = ""
    deadweight: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    attribution: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)
    adjustment_source: str = ""
    indicator: str = ""
    scenario: str = "project"


class CostOut(Schema):
    actor: str
    label: str
    year: int
    amount_cents: int
    scenario: str
    source: str


class OutcomeOut(Schema):
    beneficiary: str
    label: str
    quantity: Decimal
    duration_years: int
    proxy_key: str
    proxy_value_cents: int | None
    proxy_source: str
    deadweight: Decimal
    displacement: Decimal
    attribution: Decimal
    drop_off: Decimal
    adjustment_source: str
    indicator: str
    scenario: str


class CaseBody(In):
    discount_rate: Decimal
    horizon_years: int
    base_year: int
    sensitivity_percent: Decimal = Decimal(20)
    actors: list[ActorIn] = []
    costs: list[CostIn] = []
    outcomes: list[OutcomeIn] = []


class CaseIn(CaseBody):
    title: str
    summary: str = ""


class ComputeIn(CaseBody):
    reference_set_id: int | None = None


class CaseCreateIn(In):
    opgave_id: int
    title: str
    horizon_years: int = 5
    base_year: int
    discount_rate: Decimal | None = None
    summary: str = ""


class CaseSummaryOut(Schema):
    id: int
    opgave_id: int
    title: str
    status: str
    reference_set: ReferenceSetBrief
    discount_rate: Decimal
    horizon_years: int
    base_year: int
    published_at: datetime | None

    @staticmethod
    def resolve_reference_set(obj) -> dict:
        return reference_set_brief(obj.reference_set)


class CasePage(Schema):
    count: int
    items: list[CaseSummaryOut]


class ActorOut(Schema):
    key: str
    name: str
    kind: str
    organisation_id: int | None


class CaseOut(CaseSummaryOut):
    summary: str
    sensitivity_percent: Decimal
    actors: list[ActorOut]
    costs: list[CostOut]
    outcomes: list[OutcomeOut]
    published_figures: dict

    @staticmethod
    def resolve_actors(obj) -> list[dict]:
        return [
            {"key": str(a.pk), "name": a.name, "kind": a.kind, "organisation_id": a.organisation_id}
            for a in obj.actors.all()
        ]

    @staticmethod
    def resolve_costs(obj) -> list[dict]:
        return [
            {
                "actor": str(c.actor_id),
                "label": c.label,
                "year": c.year,
                "amount_cents": c.amount_cents,
                "scenario": c.scenario,
                "source": c.source,
            }
            for c in obj.costs.all()
        ]

    @staticmethod
    def resolve_outcomes(obj) -> list[dict]:
        return [
            {
                "beneficiary": str(o.beneficiary_id),
                "label": o.label,
                "quantity": o.quantity,
                "duration_years": o.duration_years,
                "proxy_key": o.proxy_key,
                "proxy_value_cents": o.proxy_value_cents,
                "proxy_source": o.proxy_source,
                "deadweight": o.deadweight,
                "displacement": o.displacement,
                "attribution": o.attribution,
                "drop_off": o.drop_off,
                "adjustment_source": o.adjustment_source,
                "indicator": o.indicator,
                "scenario": o.scenario,
            }
            for o in obj.outcomes.all()
        ]


class ActorResultOut(Schema):
    key: str
    name: str
    costs_cents: int
    benefits_cents: int
    net_cents: int
    after_settlement_cents: int


class TransferOut(Schema):
    payer: str
    receiver: str
    amount_cents: int


class SettlementOut(Schema):
    feasible: bool
    shortfall_cents: int
    transfers: list[TransferOut]


class YearOut(Schema):
    year: int
    calendar_year: int
    costs_cents: int
    benefits_cents: int
    net_cents: int
    cumulative_cents: int


class LineOut(Schema):
    key: str
    label: str
    kind: str
    actor: str
    scenario: str
    present_value_cents: int
    nominal_cents_by_year: list[int]
    present_value_cents_by_year: list[int]


class ScenarioOut(Schema):
    key: str
    pv_costs_cents: int
    pv_benefits_cents: int
    npv_cents: int
    sroi_ratio: Decimal | None
    payback_year: int | None


class SensitivityOut(Schema):
    assumption: str
    outcome: str
    base: Decimal
    low: Decimal
    high: Decimal
    npv_low_cents: int
    npv_high_cents: int
    ratio_low: Decimal | None
    ratio_high: Decimal | None


class ResultOut(Schema):
    reference_set: ReferenceSetBrief
    discount_rate: Decimal
    horizon_years: int
    base_year: int
    pv_costs_cents: int
    pv_benefits_cents: int
    npv_cents: int
    sroi_ratio: Decimal | None
    payback_year: int | None
    actors: list[ActorResultOut]
    settlement: SettlementOut
    years: list[YearOut]
    lines: list[LineOut]
    scenarios: list[ScenarioOut]
    local_work_difference: ScenarioOut
    sensitivity_percent: Decimal
    sensitivity: list[SensitivityOut]


class ReferenceValueOut(Schema):
    key: str
    name: str
    category: str
    value: Decimal
    unit: str
    per: str
    year: int
    source: str
    source_url: str
    valid_from: date | None
    valid_to: date | None
    note: str


class ReferenceSetOut(ReferenceSetBrief):
    note: str
    values: list[ReferenceValueOut]


class SocialReturnIn(In):
    contract_value_cents: int
    labour_share: Decimal | None = None
    duration_months: int | None = None
    planned: dict[str, int] = {}


class PlacementOut(Schema):
    key: str
    label: str
    credited_value_cents: int
    possible: int
    planned: int


class SocialReturnOut(Schema):
    applies: bool
    reasons: list[str]
    percent: Decimal
    low_labour_share: bool
    obligation_cents: int
    credited_cents: int
    remaining_cents: int
    residents_employable: int
    placements: list[PlacementOut]
