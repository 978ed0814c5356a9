"""JSON API for opgaven, business cases, reference values and the social return calculator.

Every call works in the neighbourhood of the token (or of the logged-in session) and asks the
same django-rules permissions as the pages.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from heelwijk.neighbourhood.models import Organisation

from . import schemas
from .actions import (
    GoalDraft,
    business_case_create,
    business_case_publish,
    business_case_save,
    business_case_withdraw,
    opgave_create,
    opgave_update,
)
from .drafts import ActorDraft, CaseDraft, CostDraft, OutcomeDraft
from .engine.money import from_cents
from .messages import issue_key, issue_message
from .models import BusinessCase, Opgave, ReferenceSet
from .selectors import (
    business_case_detail,
    business_case_list,
    case_report,
    current_reference_set,
    draft_analysis,
    opgave_detail,
    opgave_list,
    opgave_social_return,
    reference_set_for,
    reference_values,
    social_return_for,
)
from .serialise import analysis_dict, reference_set_brief, social_return_dict

router = Router(tags=["businesscase"])

# Every answer an operation can give besides success, so clients (and schemathesis) know them.
READ = {401: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
LIST = {401: schemas.ErrorOut, 403: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE = {400: schemas.ErrorOut, **READ}

MAX_LINES = {"actors": 30, "costs": 200, "outcomes": 100}


def _neighbourhood(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise Http404
    return neighbourhood


def _no_nul(body) -> None:
    """PostgreSQL cannot store the NUL character; refuse it with a clear message."""

    def walk(value):
        if isinstance(value, str):
            return "\x00" in value
        if isinstance(value, dict):
            return any(walk(v) for v in value.values())
        if isinstance(value, (list, tuple)):
            return any(walk(v) for v in value)
        return False

    if walk(body.dict()):
        raise ValidationError({"__all__": [_("Text may not contain the NUL character.")]})


def _require(request, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


# --- opgaven ------------------------------------------------------------------------------------


def _opgave(request, opgave_id: int) -> Opgave:
    try:
        return opgave_detail(neighbourhood=_neighbourhood(request), pk=opgave_id)
    except Opgave.DoesNotExist as exc:
        raise Http404 from exc


def _opgave_fields(request, body: schemas.OpgaveIn) -> dict:
    commissioner = Organisation.objects.filter(
        neighbourhood=_neighbourhood(request), pk=body.commissioner_id
    ).first()
    if commissioner is None:
        raise ValidationError(
            {"commissioner_id": [_("Choose an organisation of this neighbourhood.")]}
        )
    return {
        "title": body.title.strip(),
        "description": body.description,
        "commissioner": commissioner,
        "budget_cents": body.budget_cents,
        "contract_value_cents": body.contract_value_cents,
        "labour_share": body.labour_share,
        "start_date": body.start_date,
        "end_date": body.end_date,
        "status": body.status,
    }


def _goals(body: schemas.OpgaveIn) -> list[GoalDraft]:
    return [GoalDraft(g.kind, g.indicator.strip(), g.target, g.unit.strip()) for g in body.goals]


PAGE_SIZE = 25


def _page(queryset, page: int) -> dict:
    start = (page - 1) * PAGE_SIZE
    return {"count": queryset.count(), "items": list(queryset[start : start + PAGE_SIZE])}


@router.get("/opgaven", response={200: schemas.OpgavePage, **LIST}, summary="List opgaven")
def api_opgave_list(
    request,
    search: str = Query("", max_length=100),
    status: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
):
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.list_opgaven", neighbourhood)
    qs = opgave_list(neighbourhood=neighbourhood, search=search.replace("\x00", ""), status=status)
    return _page(qs.prefetch_related("areas", "goals", "business_cases"), page)


@router.get("/opgaven/{opgave_id}", response={200: schemas.OpgaveOut, **READ}, summary="One opgave")
def api_opgave_detail(request, opgave_id: int):
    opgave = _opgave(request, opgave_id)
    _require(request, "businesscase.view_opgave", opgave)
    return opgave


@router.post("/opgaven", response={201: schemas.OpgaveOut, **WRITE}, summary="Add an opgave")
def api_opgave_create(request, body: schemas.OpgaveIn):
    _no_nul(body)
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.add_opgave", neighbourhood)
    opgave = opgave_create(
        actor=request.user,
        neighbourhood=neighbourhood,
        fields=_opgave_fields(request, body),
        area_ids=body.area_ids,
        goals=_goals(body),
    )
    return Status(201, _opgave(request, opgave.pk))


@router.put(
    "/opgaven/{opgave_id}", response={200: schemas.OpgaveOut, **WRITE}, summary="Change an opgave"
)
def api_opgave_update(request, opgave_id: int, body: schemas.OpgaveIn):
    _no_nul(body)
    opgave = _opgave(request, opgave_id)
    _require(request, "businesscase.change_opgave", opgave)
    opgave_update(
        actor=request.user,
        opgave=opgave,
        fields=_opgave_fields(request, body),
        area_ids=body.area_ids,
        goals=_goals(body),
    )
    return _opgave(request, opgave.pk)


@router.get(
    "/opgaven/{opgave_id}/social-return",
    response={200: schemas.SocialReturnOut, **READ},
    summary="Social return of an opgave",
)
def api_opgave_social_return(request, opgave_id: int):
    opgave = _opgave(request, opgave_id)
    _require(request, "businesscase.use_social_return_calculator", opgave)
    result = opgave_social_return(opgave, current_reference_set(neighbourhood=opgave.neighbourhood))
    if result is None:
        raise Http404
    return social_return_dict(result)


# --- business cases -----------------------------------------------------------------------------


def _case(request, case_id: int) -> BusinessCase:
    try:
        return business_case_detail(neighbourhood=_neighbourhood(request), pk=case_id)
    except BusinessCase.DoesNotExist as exc:
        raise Http404 from exc


MAX_CENTS = 10**17


def _draft(body: schemas.CaseBody, title: str = "", summary: str = "") -> CaseDraft:
    for name, limit in MAX_LINES.items():
        if len(getattr(body, name)) > limit:
            raise ValidationError(
                {name: [_("At most %(max)s lines are allowed.") % {"max": limit}]}
            )
    too_large = {
        f"costs.{i}.amount": [_("This amount is too large.")]
        for i, c in enumerate(body.costs)
        if abs(c.amount_cents) >= MAX_CENTS
    } | {
        f"outcomes.{i}.proxy": [_("This amount is too large.")]
        for i, o in enumerate(body.outcomes)
        if o.proxy_value_cents is not None and abs(o.proxy_value_cents) >= MAX_CENTS
    }
    if too_large:
        raise ValidationError(too_large)
    return CaseDraft(
        title=title,
        summary=summary,
        discount_rate=body.discount_rate,
        horizon=body.horizon_years,
        base_year=body.base_year,
        sensitivity_percent=body.sensitivity_percent,
        actors=tuple(ActorDraft(a.key, a.name, a.kind, a.organisation_id) for a in body.actors),
        costs=tuple(
            CostDraft(c.actor, c.label, c.year, from_cents(c.amount_cents), c.scenario, c.source)
            for c in body.costs
        ),
        outcomes=tuple(
            OutcomeDraft(
                beneficiary=o.beneficiary,
                label=o.label,
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
                indicator=o.indicator,
                scenario=o.scenario,
            )
            for o in body.outcomes
        ),
    )


@router.get("/cases", response={200: schemas.CasePage, **LIST}, summary="List business cases")
def api_case_list(request, page: int = Query(1, ge=1, le=100_000)):
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.list_reports", neighbourhood)
    partner = request.user.has_perm("businesscase.list_opgaven", neighbourhood)
    qs = business_case_list(neighbourhood=neighbourhood, published_only=not partner)
    return _page(qs, page)


@router.post("/cases", response={201: schemas.CaseOut, **WRITE}, summary="Start a business case")
def api_case_create(request, body: schemas.CaseCreateIn):
    _no_nul(body)
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.add_businesscase", neighbourhood)
    opgave = _opgave(request, body.opgave_id)
    case = business_case_create(
        actor=request.user,
        opgave=opgave,
        title=body.title.strip(),
        horizon_years=body.horizon_years,
        base_year=body.base_year,
        discount_rate=body.discount_rate,
        summary=body.summary,
    )
    return Status(201, _case(request, case.pk))


@router.get(
    "/cases/{case_id}", response={200: schemas.CaseOut, **READ}, summary="One business case"
)
def api_case_detail(request, case_id: int):
    case = _case(request, case_id)
    _require(request, "businesscase.view_businesscase", case)
    return case


@router.put(
    "/cases/{case_id}", response={200: schemas.CaseOut, **WRITE}, summary="Replace a draft's lines"
)
def api_case_save(request, case_id: int, body: schemas.CaseIn):
    _no_nul(body)
    case = _case(request, case_id)
    _require(request, "businesscase.view_businesscase", case)
    if not request.user.has_perm("businesscase.change_businesscase", case):
        if case.is_published and request.user.has_perm("businesscase.publish_businesscase", case):
            raise ValidationError(
                {"__all__": [_("A published business case cannot be changed. Withdraw it first.")]}
            )
        raise PermissionDenied
    business_case_save(
        actor=request.user,
        business_case=case,
        draft=_draft(body, title=body.title, summary=body.summary),
    )
    return _case(request, case.pk)


@router.get(
    "/cases/{case_id}/result",
    response={200: schemas.ResultOut, 400: schemas.ErrorOut, **READ},
    summary="Full result",
)
def api_case_result(request, case_id: int):
    case = _case(request, case_id)
    _require(request, "businesscase.view_businesscase", case)
    report = case_report(case)
    if report.analysis is None:
        raise ValidationError({issue_key(i): [issue_message(i)] for i in report.issues})
    return analysis_dict(
        report.analysis,
        reference_set=case.reference_set,
        base_year=case.base_year,
        names=report.actor_names,
    )


@router.post(
    "/cases/{case_id}/publish", response={200: schemas.CaseOut, **WRITE}, summary="Publish"
)
def api_case_publish(request, case_id: int):
    case = _case(request, case_id)
    _require(request, "businesscase.publish_businesscase", case)
    business_case_publish(actor=request.user, business_case=case)
    return _case(request, case.pk)


@router.post(
    "/cases/{case_id}/withdraw", response={200: schemas.CaseOut, **WRITE}, summary="Withdraw"
)
def api_case_withdraw(request, case_id: int):
    case = _case(request, case_id)
    _require(request, "businesscase.publish_businesscase", case)
    business_case_withdraw(actor=request.user, business_case=case)
    return _case(request, case.pk)


@router.post(
    "/compute", response={200: schemas.ResultOut, **WRITE}, summary="Compute a case without saving"
)
def api_compute(request, body: schemas.ComputeIn):
    _no_nul(body)
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.compute", neighbourhood)
    if body.reference_set_id is None:
        reference_set = current_reference_set(neighbourhood=neighbourhood)
    else:
        try:
            reference_set = reference_set_for(neighbourhood=neighbourhood, pk=body.reference_set_id)
        except ReferenceSet.DoesNotExist as exc:
            raise Http404 from exc
    if reference_set is None:
        raise Http404
    draft = _draft(body)
    errors: dict[str, list[str]] = {}
    p = draft.sensitivity_percent
    if not p.is_finite() or p <= 0 or p > 100:
        errors["sensitivity_percent"] = [
            _("The sensitivity range must be more than 0 and at most 100 %.")
        ]
    if draft.horizon > 50:
        errors["horizon"] = [_("The horizon can be at most %(max)s years.") % {"max": 50}]
    if errors:
        raise ValidationError(errors)
    analysis, issues = draft_analysis(draft, reference_set)
    if analysis is None:
        found: dict[str, list[str]] = {}
        for issue in issues:
            found.setdefault(issue_key(issue), []).append(issue_message(issue))
        raise ValidationError(found)
    return analysis_dict(
        analysis,
        reference_set=reference_set,
        base_year=draft.base_year,
        names={a.key: a.name for a in draft.actors},
    )


# --- reference values and social return ---------------------------------------------------------


def _reference_set_out(reference_set: ReferenceSet) -> dict:
    return {
        **reference_set_brief(reference_set),
        "note": reference_set.note,
        "values": [
            {
                "key": v.key,
                "name": v.name,
                "category": v.category,
                "value": v.value,
                "unit": v.unit,
                "per": v.per,
                "year": v.year,
                "source": v.source,
                "source_url": v.source_url,
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "note": v.note,
            }
            for v in reference_values(reference_set=reference_set)
        ],
    }


@router.get(
    "/reference-values", response={200: schemas.ReferenceSetOut, **READ}, summary="Current values"
)
def api_reference_values(request):
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.view_reference_values", neighbourhood)
    reference_set = current_reference_set(neighbourhood=neighbourhood)
    if reference_set is None:
        raise Http404
    return _reference_set_out(reference_set)


@router.get(
    "/reference-sets/{set_id}",
    response={200: schemas.ReferenceSetOut, **READ},
    summary="One version",
)
def api_reference_set(request, set_id: int):
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.view_reference_values", neighbourhood)
    try:
        reference_set = reference_set_for(neighbourhood=neighbourhood, pk=set_id)
    except ReferenceSet.DoesNotExist as exc:
        raise Http404 from exc
    return _reference_set_out(reference_set)


@router.post(
    "/social-return", response={200: schemas.SocialReturnOut, **WRITE}, summary="Social return"
)
def api_social_return(request, body: schemas.SocialReturnIn):
    neighbourhood = _neighbourhood(request)
    _require(request, "businesscase.use_social_return_calculator", neighbourhood)
    errors: dict[str, list[str]] = {}
    if body.contract_value_cents < 0:
        errors["contract_value_cents"] = [_("An amount cannot be negative.")]
    elif body.contract_value_cents >= MAX_CENTS:
        errors["contract_value_cents"] = [_("This amount is too large.")]
    share = body.labour_share
    if share is not None and (not share.is_finite() or share < 0 or share > Decimal(100)):
        errors["labour_share"] = [_("Enter a percentage from 0 to 100.")]
    if body.duration_months is not None and body.duration_months < 0:
        errors["duration_months"] = [_("The duration cannot be negative.")]
    if any(count < 0 for count in body.planned.values()):
        errors["planned"] = [_("A number of placements cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    reference_set = current_reference_set(neighbourhood=neighbourhood)
    result = (
        social_return_for(
            reference_set=reference_set,
            contract_value=from_cents(body.contract_value_cents),
            labour_share=share,
            duration_months=body.duration_months,
            planned=body.planned,
        )
        if reference_set
        else None
    )
    if result is None:
        raise Http404
    return social_return_dict(result)
