"""Writes of business cases: create, save whole or not at all, publish and withdraw."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Organisation
from heelwijk.neighbourhood.selectors import wijkbedrijf_of

from ..drafts import CaseDraft
from ..messages import issue_key, issue_message
from ..models import (
    MAX_HORIZON,
    BusinessCase,
    CaseActor,
    CaseOutcome,
    CostLine,
    Opgave,
    ReferenceSet,
)
from ..selectors import (
    case_input_from_draft,
    current_reference_set,
    draft_analysis,
    headline_figures,
    reference_lookup,
)
from .common import amount_cents, check_decimals, check_text, collect

# --- business cases -----------------------------------------------------------------------------

ACTOR_KIND_FOR_ORGANISATION = {
    Organisation.Kind.MUNICIPALITY: CaseActor.Kind.MUNICIPALITY,
    Organisation.Kind.HOUSING: CaseActor.Kind.HOUSING,
    Organisation.Kind.WIJKBEDRIJF: CaseActor.Kind.WIJKBEDRIJF,
    Organisation.Kind.CARE: CaseActor.Kind.CARE,
    Organisation.Kind.COMPANY: CaseActor.Kind.COMPANY,
}


def default_discount_rate(reference_set: ReferenceSet | None) -> Decimal:
    value = reference_lookup(reference_set).get("discount_rate_standard") if reference_set else None
    return value.value if value is not None else Decimal("2.25")


def business_case_create(
    *,
    actor,
    opgave: Opgave,
    title: str,
    horizon_years: int,
    base_year: int,
    discount_rate: Decimal | None = None,
    summary: str = "",
) -> BusinessCase:
    """A new draft with the commissioner, the wijkbedrijf and the residents as actors."""
    neighbourhood = opgave.neighbourhood
    reference_set = current_reference_set(neighbourhood=neighbourhood)
    if reference_set is None:
        raise ValidationError({"__all__": [_("There are no reference values yet.")]})
    case = BusinessCase(
        neighbourhood=neighbourhood,
        opgave=opgave,
        title=title,
        summary=summary,
        reference_set=reference_set,
        discount_rate=(
            default_discount_rate(reference_set) if discount_rate is None else discount_rate
        ),
        horizon_years=horizon_years,
        base_year=base_year,
    )
    errors: dict[str, list[str]] = {}
    try:
        case.full_clean(validate_unique=False)
    except ValidationError as exc:
        collect(errors, "", exc)
    if title and BusinessCase.objects.filter(opgave=opgave, title=title).exists():
        errors.setdefault("title", []).append(
            _("This opgave already has a business case with this title.")
        )
    if errors:
        raise ValidationError(errors)
    organisations = [opgave.commissioner]
    wijkbedrijf = wijkbedrijf_of(neighbourhood=neighbourhood)
    if wijkbedrijf and wijkbedrijf.pk != opgave.commissioner_id:
        organisations.append(wijkbedrijf)
    with transaction.atomic():
        case.save()
        actors = [
            CaseActor(
                business_case=case,
                name=org.name,
                kind=ACTOR_KIND_FOR_ORGANISATION.get(org.kind, CaseActor.Kind.OTHER),
                organisation=org,
                position=i,
            )
            for i, org in enumerate(organisations)
        ]
        actors.append(
            CaseActor(
                business_case=case,
                name=_("Residents"),
                kind=CaseActor.Kind.RESIDENTS,
                position=len(actors),
            )
        )
        CaseActor.objects.bulk_create(actors)
        audit(
            neighbourhood=neighbourhood,
            actor=actor,
            action="business_case_create",
            obj=case,
            changes={"title": title, "reference_set": str(reference_set)},
        )
    return case


def _check_case_settings(case: BusinessCase, draft: CaseDraft, errors) -> None:
    check_text(errors, "title", draft.title, 160)
    check_text(errors, "summary", draft.summary, 10_000)
    if not draft.title.strip():
        errors.setdefault("title", []).append(_("Give the business case a title."))
    elif (
        BusinessCase.objects.filter(opgave_id=case.opgave_id, title=draft.title.strip())
        .exclude(pk=case.pk)
        .exists()
    ):
        errors.setdefault("title", []).append(
            _("This opgave already has a business case with this title.")
        )
    if isinstance(draft.horizon, int) and draft.horizon > MAX_HORIZON:
        errors.setdefault("horizon", []).append(
            _("The horizon can be at most %(max)s years.") % {"max": MAX_HORIZON}
        )
    if not (1900 <= draft.base_year <= 2200):
        errors.setdefault("base_year", []).append(_("Enter a year such as 2025."))
    p = draft.sensitivity_percent
    if not isinstance(draft.horizon, int) or not isinstance(draft.base_year, int):
        errors.setdefault("horizon", []).append(_("Enter a whole number."))
    if not p.is_finite() or p <= 0 or p > 100:
        errors.setdefault("sensitivity_percent", []).append(
            _("The sensitivity range must be more than 0 and at most 100 %.")
        )
    check_decimals(errors, "discount_rate", draft.discount_rate, 2)
    check_decimals(errors, "sensitivity_percent", draft.sensitivity_percent, 2)


def _check_lines(case: BusinessCase, draft: CaseDraft, errors) -> tuple[list, list, list]:
    actor_rows, cost_rows, outcome_rows = [], [], []
    organisations = set(
        Organisation.objects.filter(neighbourhood_id=case.neighbourhood_id).values_list(
            "pk", flat=True
        )
    )
    names = set()
    for i, a in enumerate(draft.actors):
        key = f"actors.{i}"
        if a.kind not in CaseActor.Kind.values:
            errors.setdefault(f"{key}.kind", []).append(_("Choose a kind."))
        if a.organisation_id is not None and a.organisation_id not in organisations:
            errors.setdefault(f"{key}.organisation", []).append(
                _("Choose an organisation of this neighbourhood.")
            )
        check_text(errors, f"{key}.name", a.name, 120)
        if a.name.strip() and a.name.strip().lower() in names:
            errors.setdefault(f"{key}.name", []).append(
                _("There are two actors called %(name)s.") % {"name": a.name.strip()}
            )
        names.add(a.name.strip().lower())
        actor_rows.append(
            CaseActor(
                name=a.name.strip(), kind=a.kind, organisation_id=a.organisation_id, position=i
            )
        )
    for i, c in enumerate(draft.costs):
        key = f"costs.{i}"
        if not c.label.strip():
            errors.setdefault(f"{key}.label", []).append(_("Say what the cost is for."))
        check_text(errors, f"{key}.label", c.label, 160)
        check_text(errors, f"{key}.source", c.source, 300)
        cents = amount_cents(errors, f"{key}.amount", c.amount)
        cost_rows.append((c, cents))
    for i, o in enumerate(draft.outcomes):
        key = f"outcomes.{i}"
        if not o.label.strip():
            errors.setdefault(f"{key}.label", []).append(_("Name the outcome."))
        for name, limit in (
            ("label", 160),
            ("indicator", 200),
            ("proxy_key", 60),
            ("proxy_source", 300),
            ("adjustment_source", 300),
        ):
            check_text(errors, f"{key}.{name}", getattr(o, name), limit)
        if o.quantity.is_finite() and o.quantity >= 10**10:
            errors.setdefault(f"{key}.quantity", []).append(_("This quantity is too large."))
        check_decimals(errors, f"{key}.quantity", o.quantity, 4)
        for name in ("deadweight", "displacement", "attribution", "drop_off"):
            check_decimals(errors, f"{key}.{name}", getattr(o, name), 2)
        if isinstance(o.duration, int) and o.duration > MAX_HORIZON:
            errors.setdefault(f"{key}.duration", []).append(
                _("The duration can be at most %(max)s years.") % {"max": MAX_HORIZON}
            )
        proxy_cents = amount_cents(errors, f"{key}.proxy", o.proxy_value, allow_none=True)
        outcome_rows.append((o, proxy_cents))
    return actor_rows, cost_rows, outcome_rows


def validate_draft(case: BusinessCase, draft: CaseDraft, reference_set: ReferenceSet):
    """All problems of a draft as {place: [messages]}; empty when it can be saved."""
    errors: dict[str, list[str]] = {}
    _check_case_settings(case, draft, errors)
    rows = _check_lines(case, draft, errors)
    _input, issues = case_input_from_draft(draft, reference_set)
    for issue in issues:
        errors.setdefault(issue_key(issue), []).append(issue_message(issue))
    return errors, rows


def business_case_save(*, actor, business_case: BusinessCase, draft: CaseDraft) -> BusinessCase:
    """Replace the settings, actors, costs and outcomes of a draft case with `draft`."""
    case = BusinessCase.objects.select_related("reference_set").get(pk=business_case.pk)
    if case.is_published:
        raise ValidationError(
            {"__all__": [_("A published business case cannot be changed. Withdraw it first.")]}
        )
    errors, (actor_rows, cost_rows, outcome_rows) = validate_draft(case, draft, case.reference_set)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case.title = draft.title.strip()
        case.summary = draft.summary
        case.discount_rate = draft.discount_rate
        case.horizon_years = draft.horizon
        case.base_year = draft.base_year
        case.sensitivity_percent = draft.sensitivity_percent
        case.save()
        case.actors.all().delete()  # cascades to the lines
        for row in actor_rows:
            row.business_case = case
        CaseActor.objects.bulk_create(actor_rows)
        by_key = {a.key: row for a, row in zip(draft.actors, actor_rows, strict=True)}
        CostLine.objects.bulk_create(
            CostLine(
                business_case=case,
                actor=by_key[c.actor],
                label=c.label.strip(),
                year=c.year,
                amount_cents=cents,
                scenario=c.scenario,
                source=c.source.strip(),
                position=i,
            )
            for i, (c, cents) in enumerate(cost_rows)
        )
        CaseOutcome.objects.bulk_create(
            CaseOutcome(
                business_case=case,
                beneficiary=by_key[o.beneficiary],
                label=o.label.strip(),
                indicator=o.indicator.strip(),
                quantity=o.quantity,
                proxy_key=o.proxy_key,
                proxy_value_cents=proxy_cents,
                proxy_source=o.proxy_source.strip(),
                duration_years=o.duration,
                deadweight=o.deadweight,
                displacement=o.displacement,
                attribution=o.attribution,
                drop_off=o.drop_off,
                adjustment_source=o.adjustment_source.strip(),
                scenario=o.scenario,
                position=i,
            )
            for i, (o, proxy_cents) in enumerate(outcome_rows)
        )
        audit(
            neighbourhood=case.neighbourhood,
            actor=actor,
            action="business_case_save",
            obj=case,
            changes={
                "actors": len(actor_rows),
                "costs": len(cost_rows),
                "outcomes": len(outcome_rows),
            },
        )
    return case


def business_case_publish(*, actor, business_case: BusinessCase) -> BusinessCase:
    from ..selectors import business_case_detail, draft_from_case

    case = business_case_detail(neighbourhood=business_case.neighbourhood, pk=business_case.pk)
    if case.is_published:
        return case
    draft = draft_from_case(case)
    analysis, issues = draft_analysis(draft, case.reference_set)
    if analysis is None:
        raise ValidationError(
            {
                "__all__": [_("Fix the problems in the business case before publishing it.")]
                + [issue_message(i) for i in issues]
            }
        )
    with transaction.atomic():
        case.status = BusinessCase.Status.PUBLISHED
        case.published_at = timezone.now()
        case.published_by = actor if getattr(actor, "is_authenticated", False) else None
        case.published_figures = headline_figures(analysis, draft)
        case.save(
            update_fields=[
                "status",
                "published_at",
                "published_by",
                "published_figures",
                "updated_at",
            ]
        )
        audit(
            neighbourhood=case.neighbourhood,
            actor=actor,
            action="business_case_publish",
            obj=case,
            changes=case.published_figures,
        )
    return case


def business_case_withdraw(*, actor, business_case: BusinessCase) -> BusinessCase:
    case = BusinessCase.objects.get(pk=business_case.pk)
    if not case.is_published:
        return case
    with transaction.atomic():
        case.status = BusinessCase.Status.DRAFT
        case.published_at = None
        case.published_by = None
        case.published_figures = {}
        case.save(
            update_fields=[
                "status",
                "published_at",
                "published_by",
                "published_figures",
                "updated_at",
            ]
        )
        audit(
            neighbourhood=case.neighbourhood, actor=actor, action="business_case_withdraw", obj=case
        )
    return case


def business_case_use_current_references(*, actor, business_case: BusinessCase) -> BusinessCase:
    """Move a draft to the newest reference values; refused when its lines would not fit them."""
    from ..selectors import business_case_detail, draft_from_case

    case = business_case_detail(neighbourhood=business_case.neighbourhood, pk=business_case.pk)
    if case.is_published:
        raise ValidationError(
            {"__all__": [_("A published business case cannot be changed. Withdraw it first.")]}
        )
    current = current_reference_set(neighbourhood=case.neighbourhood)
    if current is None or current.pk == case.reference_set_id:
        return case
    _input, issues = case_input_from_draft(draft_from_case(case), current)
    if issues:
        raise ValidationError({"__all__": [issue_message(i) for i in issues]})
    old = str(case.reference_set)
    with transaction.atomic():
        case.reference_set = current
        case.save(update_fields=["reference_set", "updated_at"])
        audit(
            neighbourhood=case.neighbourhood,
            actor=actor,
            action="business_case_use_current_references",
            obj=case,
            changes={"reference_set": [old, str(current)]},
        )
    return case
