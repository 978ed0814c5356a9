"""Writes of opgaven and their social goals."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Area, Neighbourhood

from ..models import (
    Opgave,
    SocialGoal,
)
from .common import collect

# --- opgaven ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalDraft:
    kind: str
    indicator: str
    target: Decimal
    unit: str = ""


OPGAVE_FIELDS = (
    "title",
    "description",
    "commissioner",
    "budget_cents",
    "contract_value_cents",
    "labour_share",
    "start_date",
    "end_date",
    "status",
)


def _check_opgave(opgave: Opgave, area_ids, goals) -> tuple[list[Area], list[SocialGoal]]:
    errors: dict[str, list[str]] = {}
    try:
        opgave.full_clean(exclude=["neighbourhood"], validate_unique=False)
    except ValidationError as exc:
        collect(errors, "", exc)
    duplicate = Opgave.objects.filter(neighbourhood=opgave.neighbourhood, title=opgave.title)
    if opgave.pk:
        duplicate = duplicate.exclude(pk=opgave.pk)
    if opgave.title and duplicate.exists():
        errors.setdefault("title", []).append(_("There is already an opgave with this title."))
    areas = list(Area.objects.filter(neighbourhood=opgave.neighbourhood, pk__in=set(area_ids)))
    if len(areas) != len(set(area_ids)):
        errors.setdefault("areas", []).append(_("Choose areas of this neighbourhood."))
    rows = []
    for i, goal in enumerate(goals):
        row = SocialGoal(
            kind=goal.kind,
            indicator=goal.indicator,
            target=goal.target,
            unit=goal.unit,
            position=i,
        )
        try:
            row.full_clean(exclude=["opgave"])
        except ValidationError as exc:
            collect(errors, f"goals.{i}", exc)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return areas, rows


def opgave_create(
    *, actor, neighbourhood: Neighbourhood, fields: dict, area_ids=(), goals=()
) -> Opgave:
    opgave = Opgave(neighbourhood=neighbourhood, **fields)
    areas, rows = _check_opgave(opgave, area_ids, goals)
    with transaction.atomic():
        opgave.save()
        opgave.areas.set(areas)
        for row in rows:
            row.opgave = opgave
        SocialGoal.objects.bulk_create(rows)
        audit(
            neighbourhood=neighbourhood,
            actor=actor,
            action="opgave_create",
            obj=opgave,
            changes={"title": opgave.title, "goals": len(rows)},
        )
    return opgave


def opgave_update(*, actor, opgave: Opgave, fields: dict, area_ids=(), goals=()) -> Opgave:
    opgave = Opgave.objects.get(pk=opgave.pk)  # never half-change the caller's object
    changes = {}
    for name, value in fields.items():
        if name not in OPGAVE_FIELDS:
            raise TypeError(f"unknown field {name}")
        old = getattr(opgave, name)
        if old != value:
            changes[name] = [str(getattr(old, "pk", old)), str(getattr(value, "pk", value))]
        setattr(opgave, name, value)
    areas, rows = _check_opgave(opgave, area_ids, goals)
    with transaction.atomic():
        opgave.save()
        opgave.areas.set(areas)
        opgave.goals.all().delete()
        for row in rows:
            row.opgave = opgave
        SocialGoal.objects.bulk_create(rows)
        audit(
            neighbourhood=opgave.neighbourhood,
            actor=actor,
            action="opgave_update",
            obj=opgave,
            changes={**changes, "goals": len(rows), "areas": sorted(a.pk for a in areas)},
        )
    return opgave
