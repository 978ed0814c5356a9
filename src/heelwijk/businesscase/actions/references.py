"""Writes of reference values: every change makes a new frozen version."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from heelwijk.neighbourhood.actions import audit
from heelwijk.neighbourhood.models import Neighbourhood

from ..models import (
    UNIT_DECIMALS,
    ReferenceSet,
    ReferenceUnit,
    ReferenceValue,
)
from ..selectors import (
    current_reference_set,
    reference_lookup,
)
from .common import collect

# --- reference values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceValueDraft:
    key: str
    name: str
    category: str
    value: Decimal
    unit: str
    year: int
    source: str
    per: str = ""
    source_url: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""


COPIED_FIELDS = (
    "key",
    "name",
    "category",
    "value_minor",
    "unit",
    "per",
    "year",
    "source",
    "source_url",
    "valid_from",
    "valid_to",
    "note",
)


def _reference_row(draft: ReferenceValueDraft) -> ReferenceValue:
    errors: dict[str, list[str]] = {}
    if draft.unit not in ReferenceUnit.values:
        errors.setdefault("unit", []).append(_("Choose a unit."))
        raise ValidationError(errors)
    places = UNIT_DECIMALS[draft.unit]
    value = draft.value
    minor = None
    if not value.is_finite():
        errors.setdefault("value", []).append(_("Enter a number."))
    elif value < 0:
        errors.setdefault("value", []).append(_("A reference value cannot be negative."))
    elif value >= 10**15:
        errors.setdefault("value", []).append(_("This number is too large."))
    elif value != value.quantize(Decimal(1).scaleb(-places)):
        errors.setdefault("value", []).append(
            _("Use at most %(places)s decimals for this unit.") % {"places": places}
        )
    elif draft.unit in (ReferenceUnit.PERCENT, ReferenceUnit.PERCENT_PER_YEAR) and value > 100:
        errors.setdefault("value", []).append(_("A percentage cannot be more than 100."))
    else:
        minor = int(value.scaleb(places))
    row = ReferenceValue(
        key=draft.key.strip(),
        name=draft.name.strip(),
        category=draft.category,
        value_minor=minor if minor is not None else 0,
        unit=draft.unit,
        per=draft.per.strip(),
        year=draft.year,
        source=draft.source.strip(),
        source_url=draft.source_url.strip(),
        valid_from=draft.valid_from,
        valid_to=draft.valid_to,
        note=draft.note.strip(),
    )
    try:
        row.full_clean(exclude=["reference_set"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        collect(errors, "", exc)
    if draft.year < 1900 or draft.year > 2200:
        errors.setdefault("year", []).append(_("Enter a year such as 2025."))
    if draft.valid_from and draft.valid_to and draft.valid_to < draft.valid_from:
        errors.setdefault("valid_to", []).append(
            _("The end of validity cannot be before its start.")
        )
    if errors:
        raise ValidationError(errors)
    return row


def reference_value_save(
    *, actor, neighbourhood: Neighbourhood, draft: ReferenceValueDraft, note: str = ""
) -> ReferenceSet:
    """Add or change one value: makes a new version of the neighbourhood's reference set.

    The previous versions stay as they were, so business cases made with them keep their results.
    Changing nothing makes no new version.
    """
    row = _reference_row(draft)
    with transaction.atomic():
        # Serialise version numbers per neighbourhood (SQLite already has one writer at a time).
        Neighbourhood.objects.select_for_update().filter(pk=neighbourhood.pk).first()
        current = current_reference_set(neighbourhood=neighbourhood)
        existing = reference_lookup(current) if current else {}
        old = existing.get(row.key)
        if old is not None and all(getattr(old, f) == getattr(row, f) for f in COPIED_FIELDS):
            return current
        last = ReferenceSet.objects.filter(neighbourhood=neighbourhood).order_by("-version").first()
        new_set = ReferenceSet.objects.create(
            neighbourhood=neighbourhood,
            version=(last.version + 1) if last else 1,
            based_on=current,
            note=note.strip()[:300] or row.name[:300],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        copies = [
            ReferenceValue(reference_set=new_set, **{f: getattr(v, f) for f in COPIED_FIELDS})
            for key, v in existing.items()
            if key != row.key
        ]
        row.reference_set = new_set
        copies.append(row)
        ReferenceValue.objects.bulk_create(copies)
        audit(
            neighbourhood=neighbourhood,
            actor=actor,
            action="reference_value_save",
            obj=new_set,
            changes={
                "key": row.key,
                "value": [None if old is None else str(old.value), str(row.value)],
                "version": new_set.version,
            },
        )
    return new_set
