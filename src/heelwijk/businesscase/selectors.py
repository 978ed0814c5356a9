"""Reads of the business case app that pages, API, exports and the demo share.

Every read is scoped by neighbourhood. The one place a saved case becomes engine input is
`case_input_from_draft`, so the editor preview, the API and the report compute the same thing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from heelwijk.neighbourhood.models import Neighbourhood, Organisation

from .drafts import ActorDraft, CaseDraft, CostDraft, OutcomeDraft
from .engine import CaseInput, Issue, validate
from .engine import model as engine_model
from .engine.analysis import Analysis, analyse
from .engine.money import from_cents
from .engine.social_return import (
    PlacementType,
    PlannedPlacement,
    SocialReturnResult,
    SocialReturnRules,
    social_return,
)
from .models import (
    BusinessCase,
    CaseActor,
    CaseOutcome,
    CostLine,
    Opgave,
    ReferenceSet,
    ReferenceValue,
    SocialGoal,
)

OLD_FIGURE_YEARS = 5  # a figure this much older than the base year gets a warning


# --- reference values ---------------------------------------------------------------------------


def national_reference_set() -> ReferenceSet | None:
    return ReferenceSet.objects.filter(neighbourhood__isnull=True).order_by("-version").first()


def current_reference_set(*, neighbourhood: Neighbourhood) -> ReferenceSet | None:
    """The newest version of the neighbourhood's own values, else the newest national set."""
    own = (
        ReferenceSet.objects.filter(neighbourhood=neighbourhood)
        .select_related("neighbourhood")
        .order_by("-version")
        .first()
    )
    return own or national_reference_set()


def reference_set_history(*, neighbourhood: Neighbourhood) -> QuerySet[ReferenceSet]:
    return (
        ReferenceSet.objects.filter(Q(neighbourhood=neighbourhood) | Q(neighbourhood__isnull=True))
        .select_related("neighbourhood", "created_by", "based_on", "based_on__neighbourhood")
        .annotate(
            value_count=Count("values", distinct=True),
            case_count=Count(
                "business_cases",
                filter=Q(business_cases__neighbourhood=neighbourhood),
                distinct=True,
            ),
        )
        .order_by("neighbourhood_id", "-version")
    )


def reference_set_for(*, neighbourhood: Neighbourhood, pk: int) -> ReferenceSet:
    """A set the neighbourhood may see: its own or a national one (404 otherwise)."""
    return ReferenceSet.objects.select_related("neighbourhood").get(
        Q(neighbourhood=neighbourhood) | Q(neighbourhood__isnull=True), pk=pk
    )


def reference_values(*, reference_set: ReferenceSet) -> QuerySet[ReferenceValue]:
    return ReferenceValue.objects.filter(reference_set=reference_set).order_by(
        "category", "name", "key"
    )


def reference_lookup(reference_set: ReferenceSet) -> dict[str, ReferenceValue]:
    """Values of a set by key; cached on the set object (a set never changes)."""
    cached = getattr(reference_set, "_lookup", None)
    if cached is None:
        cached = {v.key: v for v in reference_values(reference_set=reference_set)}
        reference_set._lookup = cached
    return cached


def proxy_choices(reference_set: ReferenceSet) -> list[ReferenceValue]:
    """Reference values that can serve as a financial proxy: euros per year or per month."""
    return [v for v in reference_lookup(reference_set).values() if v.annual_value() is not None]


def reference_changes(
    *, reference_set: ReferenceSet
) -> list[tuple[ReferenceValue | None, ReferenceValue | None]]:
    """What differs from the set it was based on: (old, new) pairs."""
    if reference_set.based_on_id is None:
        return []
    old = reference_lookup(reference_set.based_on)
    new = reference_lookup(reference_set)
    fields = (
        "name",
        "value_minor",
        "unit",
        "per",
        "year",
        "source",
        "source_url",
        "valid_from",
        "valid_to",
        "note",
        "category",
    )
    changes = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None or any(getattr(a, f) != getattr(b, f) for f in fields):
            changes.append((a, b))
    return changes


# --- social return ------------------------------------------------------------------------------

SOCIAL_RETURN_KEYS = (
    "social_return_percent",
    "social_return_low_labour_percent",
    "social_return_labour_threshold",
    "social_return_min_contract_value",
    "social_return_min_duration",
)


def social_return_rules(reference_set: ReferenceSet) -> SocialReturnRules | None:
    values = reference_lookup(reference_set)
    if any(key not in values for key in SOCIAL_RETURN_KEYS):
        return None
    return SocialReturnRules(
        standard_percent=values["social_return_percent"].value,
        low_labour_percent=values["social_return_low_labour_percent"].value,
        labour_share_threshold=values["social_return_labour_threshold"].value,
        min_contract_value=values["social_return_min_contract_value"].value,
        min_duration_months=int(values["social_return_min_duration"].value),
    )


def placement_types(reference_set: ReferenceSet) -> tuple[PlacementType, ...]:
    """Placement types of the set, the welfare placement first (it answers 'how many residents')."""
    found = [
        v
        for v in reference_lookup(reference_set).values()
        if v.category == ReferenceValue.Category.PLACEMENT and v.is_money
    ]
    found.sort(key=lambda v: (v.key != "placement_welfare", v.name))
    return tuple(PlacementType(v.key, v.name, v.value) for v in found)


def social_return_for(
    *,
    reference_set: ReferenceSet,
    contract_value: Decimal,
    labour_share: Decimal | None,
    duration_months: int | None,
    planned: dict[str, int] | None = None,
) -> SocialReturnResult | None:
    rules = social_return_rules(reference_set)
    if rules is None:
        return None
    types = placement_types(reference_set)
    by_key = {t.key: t for t in types}
    plan = tuple(
        PlannedPlacement(by_key[key], count)
        for key, count in (planned or {}).items()
        if key in by_key and count > 0
    )
    return social_return(
        contract_value=contract_value,
        labour_share=labour_share,
        duration_months=duration_months,
        rules=rules,
        placement_types=types,
        planned=plan,
    )


def opgave_social_return(opgave: Opgave, reference_set: ReferenceSet | None):
    if reference_set is None:
        return None
    return social_return_for(
        reference_set=reference_set,
        contract_value=from_cents(opgave.contract_value_cents),
        labour_share=opgave.labour_share,
        duration_months=opgave.duration_months,
    )


# --- opgaven ------------------------------------------------------------------------------------


def opgave_list(
    *, neighbourhood: Neighbourhood, search: str = "", status: str = ""
) -> QuerySet[Opgave]:
    qs = (
        Opgave.objects.filter(neighbourhood=neighbourhood)
        .select_related("commissioner")
        .annotate(case_count=Count("business_cases", distinct=True))
    )
    if status:
        qs = qs.filter(status=status)
    for term in search.split():
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(commissioner__name__icontains=term)
        )
    return qs.order_by("-start_date", "title", "pk")


def opgave_detail(*, neighbourhood: Neighbourhood, pk: int) -> Opgave:
    return (
        Opgave.objects.select_related("commissioner", "neighbourhood")
        .prefetch_related(
            "areas",
            Prefetch("goals", queryset=SocialGoal.objects.order_by("position", "pk")),
            Prefetch(
                "business_cases",
                queryset=BusinessCase.objects.select_related("reference_set").order_by("title"),
            ),
        )
        .get(neighbourhood=neighbourhood, pk=pk)
    )


def commissioner_choices(*, neighbourhood: Neighbourhood) -> QuerySet[Organisation]:
    return Organisation.objects.filter(neighbourhood=neighbourhood).order_by("name")


# --- business cases -----------------------------------------------------------------------------


def business_case_list(
    *, neighbourhood: Neighbourhood, published_only: bool = False
) -> QuerySet[BusinessCase]:
    qs = BusinessCase.objects.filter(neighbourhood=neighbourhood).select_related(
        "opgave", "opgave__commissioner", "reference_set"
    )
    if published_only:
        qs = qs.filter(status=BusinessCase.Status.PUBLISHED)
    return qs.order_by("-published_at", "title", "pk")


def business_case_detail(*, neighbourhood: Neighbourhood, pk: int) -> BusinessCase:
    return (
        BusinessCase.objects.select_related(
            "opgave",
            "opgave__commissioner",
            "reference_set",
            "reference_set__neighbourhood",
            "published_by",
        )
        .prefetch_related(
            Prefetch("actors", queryset=CaseActor.objects.order_by("position", "pk")),
            Prefetch("costs", queryset=CostLine.objects.order_by("position", "pk")),
            Prefetch("outcomes", queryset=CaseOutcome.objects.order_by("position", "pk")),
        )
        .get(neighbourhood=neighbourhood, pk=pk)
    )


def draft_from_case(case: BusinessCase) -> CaseDraft:
    return CaseDraft(
        title=case.title,
        summary=case.summary,
        discount_rate=case.discount_rate,
        horizon=case.horizon_years,
        base_year=case.base_year,
        sensitivity_percent=case.sensitivity_percent,
        actors=tuple(
            ActorDraft(str(a.pk), a.name, a.kind, a.organisation_id) for a in case.actors.all()
        ),
        costs=tuple(
            CostDraft(
                actor=str(c.actor_id),
                label=c.label,
                year=c.year,
                amount=from_cents(c.amount_cents),
                scenario=c.scenario,
                source=c.source,
            )
            for c in case.costs.all()
        ),
        outcomes=tuple(
            OutcomeDraft(
                beneficiary=str(o.beneficiary_id),
                label=o.label,
                indicator=o.indicator,
                quantity=o.quantity,
                duration=o.duration_years,
                proxy_key=o.proxy_key,
                proxy_value=None
                if o.proxy_value_cents is None
                else from_cents(o.proxy_value_cents),
                proxy_source=o.proxy_source,
                deadweight=o.deadweight,
                displacement=o.displacement,
                attribution=o.attribution,
                drop_off=o.drop_off,
                adjustment_source=o.adjustment_source,
                scenario=o.scenario,
            )
            for o in case.outcomes.all()
        ),
    )


def _proxy(outcome: OutcomeDraft, index: int, lookup, reference_set, issues) -> Decimal | None:
    where = ("outcomes", index, "proxy")
    params = {"line": outcome.label}
    if outcome.proxy_key and outcome.proxy_value is not None:
        issues.append(Issue("proxy_both", where, params))
        return None
    if outcome.proxy_key:
        ref = lookup.get(outcome.proxy_key)
        if ref is None:
            issues.append(
                Issue(
                    "proxy_unknown_reference",
                    where,
                    {**params, "key": outcome.proxy_key, "set": str(reference_set)},
                )
            )
            return None
        value = ref.annual_value()
        if value is None:
            issues.append(Issue("proxy_not_annual", where, {**params, "name": ref.name}))
        return value
    if outcome.proxy_value is not None and not outcome.proxy_source.strip():
        issues.append(Issue("proxy_source_missing", ("outcomes", index, "proxy_source"), params))
    return outcome.proxy_value


def case_input_from_draft(
    draft: CaseDraft, reference_set: ReferenceSet
) -> tuple[CaseInput, list[Issue]]:
    """Engine input for a draft, with financial proxies taken from the given reference set."""
    lookup = reference_lookup(reference_set)
    issues: list[Issue] = []
    outcomes = []
    for i, o in enumerate(draft.outcomes):
        outcomes.append(
            engine_model.Outcome(
                key=f"o{i}",
                label=o.label,
                beneficiary=o.beneficiary,
                quantity=o.quantity,
                proxy=_proxy(o, i, lookup, reference_set, issues),
                duration=o.duration,
                deadweight=o.deadweight,
                displacement=o.displacement,
                attribution=o.attribution,
                drop_off=o.drop_off,
                scenario=o.scenario,
            )
        )
    case = CaseInput(
        actors=tuple(
            engine_model.Actor(a.key, a.name, pays_in_settlement=a.kind != "residents")
            for a in draft.actors
        ),
        costs=tuple(
            engine_model.CostLine(f"c{i}", c.label, c.actor, c.year, c.amount, c.scenario, c.source)
            for i, c in enumerate(draft.costs)
        ),
        outcomes=tuple(outcomes),
        discount_rate=draft.discount_rate,
        horizon=draft.horizon,
    )
    flagged = {issue.path[:2] for issue in issues}
    for issue in validate(case):
        if issue.code == "proxy_missing" and issue.path[:2] in flagged:
            continue
        issues.append(issue)
    issues.sort(key=lambda issue: tuple(str(p) for p in issue.path))
    return case, issues


def draft_analysis(
    draft: CaseDraft, reference_set: ReferenceSet, *, quick: bool = False
) -> tuple[Analysis | None, list[Issue]]:
    """The analysis of a draft, or the problems that stop it. `quick` skips scenarios and
    sensitivity (the editor's live preview shows only the result and the settlement)."""
    case, issues = case_input_from_draft(draft, reference_set)
    if issues:
        return None, issues
    return analyse(case, sensitivity_percent=draft.sensitivity_percent, quick=quick), []


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumption:
    section: str  # "case", "cost", "outcome"
    item: str
    name: str
    value: object
    unit: str
    source: str
    year: int | None = None
    warning: str = ""


@dataclass(frozen=True)
class Report:
    case: BusinessCase
    draft: CaseDraft
    analysis: Analysis | None
    issues: list[Issue]
    references_used: list[ReferenceValue]
    actor_names: dict[str, str]

    @property
    def figures(self) -> dict:
        return headline_figures(self.analysis, self.draft) if self.analysis else {}

    @property
    def reproduced(self) -> bool | None:
        """For a published case: do today's figures equal the published ones to the cent?"""
        if not self.case.is_published or not self.case.published_figures:
            return None
        return self.figures == self.case.published_figures


def headline_figures(analysis: Analysis, draft: CaseDraft) -> dict:
    """The figures stored when a case is published; strings, so Decimals survive JSON exactly."""
    result = analysis.result
    names = {a.key: a.name for a in draft.actors}
    return {
        "pv_costs": str(result.pv_costs),
        "pv_benefits": str(result.pv_benefits),
        "npv": str(result.npv),
        "ratio": None if result.ratio is None else str(result.ratio),
        "payback_year": result.payback_year,
        "actors": {names[a.key]: str(a.net) for a in result.actors},
    }


def case_report(case: BusinessCase) -> Report:
    draft = draft_from_case(case)
    analysis, issues = draft_analysis(draft, case.reference_set)
    lookup = reference_lookup(case.reference_set)
    used_keys = {o.proxy_key for o in draft.outcomes if o.proxy_key}
    return Report(
        case=case,
        draft=draft,
        analysis=analysis,
        issues=issues,
        references_used=[lookup[k] for k in sorted(used_keys) if k in lookup],
        actor_names={a.key: a.name for a in draft.actors},
    )


def reference_warning(value: ReferenceValue, base_year: int) -> str:
    """'outside', 'old' or '' for a reference value used in a case with this base year."""
    if not value.is_valid_in(base_year):
        return "outside"
    if base_year - value.year > OLD_FIGURE_YEARS:
        return "old"
    return ""


def newer_reference_set(case: BusinessCase) -> ReferenceSet | None:
    """The set a draft would use if it were made today, when that is not the one it uses."""
    current = current_reference_set(neighbourhood=case.neighbourhood)
    if current is None or current.pk == case.reference_set_id:
        return None
    return current
