"""The neighbourhood app's part of a privacy request: the person, their household and roles.

Every app may offer a ``privacy.py`` with ``export_person(person) -> dict`` (what it holds about
the person, JSON-ready) and ``erase_person(person, *, pseudonym) -> dict[str, int]`` (what it
changed). ``privacy_requests.py`` runs them all; see there.
"""

from __future__ import annotations

from django.utils import timezone

from .models import Person, Role


def iso(value) -> str | None:
    """A date or datetime as ISO 8601 text for the export (None stays None)."""
    return value.isoformat() if value is not None else None


def export_person(person: Person) -> dict:
    household = person.household
    roles = (
        Role.objects.filter(user=person.user).select_related("neighbourhood", "organisation")
        if person.user_id
        else Role.objects.none()
    )
    return {
        "person": {
            "first_name": person.first_name,
            "name_prefix": person.name_prefix,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "date_of_birth": iso(person.date_of_birth),
            "contact_preference": person.contact_preference,
            "preferred_language": person.preferred_language,
            "member_since": iso(person.member_since),
            "neighbourhood": person.neighbourhood.name,
            "created_at": iso(person.created_at),
        },
        "household": None
        if household is None
        else {
            "address": household.address,
            "area": household.area.name if household.area_id else None,
            "composition": household.composition,
            "size": household.size,
        },
        "roles": [
            {
                "neighbourhood": role.neighbourhood.name,
                "kind": role.kind,
                "organisation": role.organisation.name if role.organisation_id else None,
                "scale": role.scale,
            }
            for role in roles
        ],
    }


def erase_person(person: Person, *, pseudonym: str) -> dict[str, int]:
    """Pseudonymise the person; membership and household stay (the bookkeeping needs them)."""
    Person.objects.filter(pk=person.pk).update(
        first_name=pseudonym,
        name_prefix="",
        last_name="",
        email="",
        phone="",
        date_of_birth=None,
        erased_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return {"people": 1}
