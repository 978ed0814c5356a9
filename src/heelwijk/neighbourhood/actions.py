"""Every write of the neighbourhood app. Each validates fully, runs atomically and is audited."""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import forget_access
from .models import AuditEntry, Household, Neighbourhood, Organisation, Person, Role


def audit(*, neighbourhood: Neighbourhood, actor, action: str, obj: Model, changes=None) -> None:
    AuditEntry.objects.create(
        neighbourhood=neighbourhood,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        changes=changes or {},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def validate_row(obj: Model) -> None:
    """Everything a row must satisfy before it is saved, as one ValidationError per field.

    Django's own messages for broken unique constraints name the constraint ("Constraint
    'person_unique_email' is violated"); the checks below say the same in words a user
    understands, on the field the user has to change. Forms (pages and admin) call this too, so
    every interface reports the same problems.
    """
    errors: dict[str, list] = {}
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for field, message in _domain_problems(obj):
        errors.setdefault(field, []).append(message)
    if not errors:
        try:
            obj.validate_constraints()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _others(obj: Model, **lookups):
    return type(obj)._default_manager.filter(**lookups).exclude(pk=obj.pk)


def _domain_problems(obj: Model) -> Iterator[tuple[str, Any]]:
    nbh_id = getattr(obj, "neighbourhood_id", None)
    if isinstance(obj, Household):
        if obj.area_id and nbh_id and obj.area.neighbourhood_id != nbh_id:
            yield "area", _("Choose an area of this neighbourhood.")
        if obj.size is not None and obj.size < 1:
            yield "size", _("A household has at least one person.")
        if (
            nbh_id
            and obj.house_number is not None
            and obj.postcode
            and _others(
                obj,
                neighbourhood_id=nbh_id,
                postcode__in={obj.postcode, obj.postcode.replace(" ", "")}
                | {f"{obj.postcode[:4]} {obj.postcode[-2:]}"},
                house_number=obj.house_number,
                house_number_suffix__iexact=obj.house_number_suffix,
            ).exists()
        ):
            yield "house_number", _("There is already a household at this address.")
    elif isinstance(obj, Person):
        if obj.household_id and nbh_id and obj.household.neighbourhood_id != nbh_id:
            yield "household", _("Choose a household of this neighbourhood.")
        today = timezone.localdate()
        if obj.date_of_birth and obj.date_of_birth > today:
            yield "date_of_birth", _("A date of birth cannot be in the future.")
        if obj.member_since and obj.member_since > today:
            yield "member_since", _("Membership cannot start in the future.")
        if (
            obj.email
            and nbh_id
            and _others(obj, neighbourhood_id=nbh_id, email__iexact=obj.email).exists()
        ):
            yield "email", _("Someone in this neighbourhood already has this e-mail address.")
    elif isinstance(obj, Organisation):
        if obj.name and nbh_id and _others(obj, neighbourhood_id=nbh_id, name=obj.name).exists():
            yield "name", _("An organisation with this name already exists in this neighbourhood.")
        if (
            obj.kind == Organisation.Kind.WIJKBEDRIJF
            and nbh_id
            and _others(obj, neighbourhood_id=nbh_id, kind=obj.kind).exists()
        ):
            yield "kind", _("This neighbourhood already has a wijkbedrijf.")
    elif isinstance(obj, Role):
        if obj.kind == Role.Kind.REPRESENTATIVE:
            if not obj.organisation_id:
                yield "organisation", _("A representative represents an organisation.")
            elif nbh_id and obj.organisation.neighbourhood_id != nbh_id:
                yield "organisation", _("Choose an organisation of this neighbourhood.")
            if not obj.scale:
                yield "scale", _("Choose the scale this representative acts at.")
        elif obj.organisation_id:
            yield "organisation", _("Only a representative is linked to an organisation.")


def _save_new(obj: Model, *, actor, action: str) -> Model:
    validate_row(obj)
    with transaction.atomic():
        obj.save()
        nbh = obj if isinstance(obj, Neighbourhood) else obj.neighbourhood
        audit(neighbourhood=nbh, actor=actor, action=action, obj=obj)
    return obj


def _apply_changes(obj: Model, *, actor, action: str, fields: dict[str, Any]) -> Model:
    """Set the given fields, validate the whole row, save only what changed, record the diff."""
    changes = {}
    previous = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [_jsonable(old), _jsonable(value)]
            previous[name] = old
            setattr(obj, name, value)
    if not changes:
        return obj
    try:
        validate_row(obj)
    except ValidationError:
        # Bad input changes nothing, not even the object the caller holds.
        for name, old in previous.items():
            setattr(obj, name, old)
        raise
    with transaction.atomic():
        obj.save(update_fields=[*changes, *_auto_now_fields(obj)])
        nbh = obj if isinstance(obj, Neighbourhood) else obj.neighbourhood
        audit(neighbourhood=nbh, actor=actor, action=action, obj=obj, changes=changes)
    return obj


def _auto_now_fields(obj: Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]


def neighbourhood_create(*, actor, **fields) -> Neighbourhood:
    return _save_new(Neighbourhood(**fields), actor=actor, action="neighbourhood_create")


def neighbourhood_update(*, actor, neighbourhood: Neighbourhood, **fields) -> Neighbourhood:
    return _apply_changes(neighbourhood, actor=actor, action="neighbourhood_update", fields=fields)


def area_create(*, actor, neighbourhood: Neighbourhood, **fields):
    from .models import Area

    return _save_new(Area(neighbourhood=neighbourhood, **fields), actor=actor, action="area_create")


def area_update(*, actor, area, **fields):
    return _apply_changes(area, actor=actor, action="area_update", fields=fields)


def household_create(*, actor, neighbourhood: Neighbourhood, **fields) -> Household:
    household = Household(neighbourhood=neighbourhood, **fields)
    return _save_new(household, actor=actor, action="household_create")


def household_update(*, actor, household: Household, **fields) -> Household:
    return _apply_changes(household, actor=actor, action="household_update", fields=fields)


def person_create(*, actor, neighbourhood: Neighbourhood, **fields) -> Person:
    return _save_new(
        Person(neighbourhood=neighbourhood, **fields), actor=actor, action="person_create"
    )


def person_update(*, actor, person: Person, **fields) -> Person:
    return _apply_changes(person, actor=actor, action="person_update", fields=fields)


def organisation_create(*, actor, neighbourhood: Neighbourhood, **fields) -> Organisation:
    org = Organisation(neighbourhood=neighbourhood, **fields)
    return _save_new(org, actor=actor, action="organisation_create")


def organisation_update(*, actor, organisation: Organisation, **fields) -> Organisation:
    return _apply_changes(organisation, actor=actor, action="organisation_update", fields=fields)


def role_grant(
    *, actor, user, neighbourhood: Neighbourhood, kind: str, organisation=None, scale: str = ""
) -> Role:
    """Give a user a role in a neighbourhood; granting an existing role changes nothing."""
    existing = Role.objects.filter(
        user=user, neighbourhood=neighbourhood, kind=kind, organisation=organisation
    ).first()
    if existing:
        return existing
    role = Role(
        user=user, neighbourhood=neighbourhood, kind=kind, organisation=organisation, scale=scale
    )
    _save_new(role, actor=actor, action="role_grant")
    forget_access(user)
    return role


def role_revoke(*, actor, role: Role) -> None:
    """Take a role away; the audit entry keeps who had it."""
    with transaction.atomic():
        audit(
            neighbourhood=role.neighbourhood,
            actor=actor,
            action="role_revoke",
            obj=role,
            changes={
                "user": role.user_id,
                "kind": role.kind,
                "organisation": role.organisation_id,
                "scale": role.scale,
            },
        )
        role.delete()
    forget_access(role.user)
