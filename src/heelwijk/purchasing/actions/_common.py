"""Small helpers the purchasing actions share."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from heelwijk.neighbourhood.actions import audit


def jsonable(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return str(value)


def same_neighbourhood(neighbourhood, *objects) -> None:
    """Refuse to link rows of different neighbourhoods (a programming or tampering error)."""
    for obj in objects:
        if obj is not None and obj.neighbourhood_id != neighbourhood.pk:
            raise PermissionDenied


def record(*, neighbourhood, actor, action: str, obj: Model, changes=None) -> None:
    audit(
        neighbourhood=neighbourhood,
        actor=actor,
        action=action,
        obj=obj,
        changes={k: jsonable(v) for k, v in (changes or {}).items()},
    )
