"""A digest of a neighbourhood's rows without database keys or timestamps, to compare builds."""

import hashlib

from ..models import Area, Household, Neighbourhood, Organisation, Person, Role


def demo_fingerprint(neighbourhood: Neighbourhood) -> str:
    """SHA-256 over every row of the neighbourhood, in a fixed order; equal rows, equal digest."""
    rows: list[tuple] = [
        (
            "neighbourhood",
            neighbourhood.name,
            neighbourhood.slug,
            neighbourhood.kind,
            neighbourhood.municipality,
            neighbourhood.cbs_code,
        )
    ]
    scoped = {"neighbourhood": neighbourhood}
    rows += [
        ("area", *row) for row in Area.objects.filter(**scoped).values_list("name", "cbs_code")
    ]
    rows += [
        ("household", *row)
        for row in Household.objects.filter(**scoped).values_list(
            "area__name",
            "street",
            "house_number",
            "house_number_suffix",
            "postcode",
            "city",
            "composition",
            "size",
            "notes",
        )
    ]
    rows += [
        ("person", *row)
        for row in Person.objects.filter(**scoped).values_list(
            "household__postcode",
            "household__house_number",
            "household__house_number_suffix",
            "first_name",
            "name_prefix",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "contact_preference",
            "preferred_language",
            "member_since",
            "user__email",
        )
    ]
    rows += [
        ("organisation", *row)
        for row in Organisation.objects.filter(**scoped).values_list(
            "name", "kind", "kvk_number", "email", "phone", "website", "address", "description"
        )
    ]
    rows += [
        ("role", *row)
        for row in Role.objects.filter(**scoped).values_list(
            "user__email", "kind", "organisation__name", "scale"
        )
    ]
    digest = hashlib.sha256()
    for line in sorted(repr(row) for row in rows):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()
