"""Every write of the neighbourhood app. Each validates fully, runs atomically and is audited."""

from typing import Any

from django.db import transaction
from django.db.models import Model

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


def _save_new(obj: Model, *, actor, action: str) -> Model:
    obj.full_clean()
    with transaction.atomic():
        obj.save()
        nbh = obj if isinstance(obj, Neighbourhood) else obj.neighbourhood
        audit(neighbourhood=nbh, actor=actor, action=action, obj=obj)
    return obj


def _apply_changes(obj: Model, *, actor, action: str, fields: dict[str, Any]) -> Model:
    """Set the given fields, validate the whole row, save only what changed, record the diff."""
    changes = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [_jsonable(old), _jsonable(value)]
            setattr(obj, name, value)
    if not changes:
        return obj
    obj.full_clean()
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
