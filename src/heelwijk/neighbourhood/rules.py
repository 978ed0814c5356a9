"""Permissions of the neighbourhood app as django-rules predicates.

Every predicate receives the object a permission is asked about (a Neighbourhood, or a row that
belongs to one) and answers within that object's neighbourhood only.
"""

import rules

from .access import access_for, neighbourhood_id_of


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


@rules.predicate
def is_staff_of(user, obj) -> bool:
    nid = neighbourhood_id_of(obj)
    return nid is not None and access_for(user).is_staff(nid)


@rules.predicate
def is_resident_of(user, obj) -> bool:
    nid = neighbourhood_id_of(obj)
    return nid is not None and nid in access_for(user).resident_of


@rules.predicate
def is_representative_in(user, obj) -> bool:
    nid = neighbourhood_id_of(obj)
    return nid is not None and nid in access_for(user).represents


@rules.predicate
def lives_in_household(user, household) -> bool:
    person = access_for(user).person
    return bool(household is not None and person and person.household_id == household.pk)


@rules.predicate
def is_the_person(user, person) -> bool:
    me = access_for(user).person
    return bool(person is not None and me and me.pk == person.pk)


@rules.predicate
def shares_household_with(user, person) -> bool:
    me = access_for(user).person
    return bool(
        person is not None and me and me.household_id and me.household_id == person.household_id
    )


@rules.predicate
def represents_organisation(user, organisation) -> bool:
    if organisation is None:
        return False
    nid = organisation.neighbourhood_id
    return organisation.pk in access_for(user).organisation_ids(nid)


is_in_neighbourhood = is_staff_of | is_resident_of | is_representative_in

rules.add_perm("neighbourhood.add_neighbourhood", is_superuser)
rules.add_perm("neighbourhood.view_neighbourhood", is_superuser | is_in_neighbourhood)
rules.add_perm("neighbourhood.change_neighbourhood", is_superuser | is_staff_of)
rules.add_perm("neighbourhood.view_staff_pages", is_superuser | is_staff_of)

rules.add_perm("neighbourhood.view_area", is_superuser | is_in_neighbourhood)
rules.add_perm("neighbourhood.add_area", is_superuser | is_staff_of)
rules.add_perm("neighbourhood.change_area", is_superuser | is_staff_of)

rules.add_perm("neighbourhood.list_households", is_superuser | is_staff_of)
rules.add_perm("neighbourhood.view_household", is_superuser | is_staff_of | lives_in_household)
rules.add_perm("neighbourhood.add_household", is_superuser | is_staff_of)
rules.add_perm("neighbourhood.change_household", is_superuser | is_staff_of)

rules.add_perm("neighbourhood.list_people", is_superuser | is_staff_of)
rules.add_perm(
    "neighbourhood.view_person",
    is_superuser | is_staff_of | is_the_person | shares_household_with,
)
rules.add_perm("neighbourhood.add_person", is_superuser | is_staff_of)
# AVG/GDPR: a person may download their own data, staff any person's (on request); only staff
# erase, after checking who asks.
rules.add_perm("neighbourhood.export_person", is_superuser | is_staff_of | is_the_person)
rules.add_perm("neighbourhood.erase_person", is_superuser | is_staff_of)
rules.add_perm("neighbourhood.change_person", is_superuser | is_staff_of)

rules.add_perm("neighbourhood.list_organisations", is_superuser | is_in_neighbourhood)
rules.add_perm("neighbourhood.view_organisation", is_superuser | is_in_neighbourhood)
rules.add_perm("neighbourhood.add_organisation", is_superuser | is_staff_of)
rules.add_perm(
    "neighbourhood.change_organisation", is_superuser | is_staff_of | represents_organisation
)

rules.add_perm("neighbourhood.import_data", is_superuser | is_staff_of)
rules.add_perm("neighbourhood.manage_roles", is_superuser | is_staff_of)
