"""Permissions of the purchasing app as django-rules predicates.

Asked with a Neighbourhood, or with the row concerned (campaign, offer, pledge, agreement,
organisation); every predicate answers within that row's neighbourhood only.
"""

import rules

from heelwijk.neighbourhood.access import access_for, neighbourhood_id_of
from heelwijk.neighbourhood.rules import (
    is_in_neighbourhood,
    is_resident_of,
    is_staff_of,
    is_superuser,
    represents_organisation,
)

from .models import SupplierAgreement


@rules.predicate
def is_supplier_representative(user, obj) -> bool:
    """Represents an organisation that is (or was) a preferred supplier of the neighbourhood."""
    nid = neighbourhood_id_of(obj)
    orgs = access_for(user).organisation_ids(nid) if nid else frozenset()
    return (
        bool(orgs)
        and SupplierAgreement.objects.filter(neighbourhood_id=nid, supplier_id__in=orgs).exists()
    )


@rules.predicate
def represents_supplier_of(user, obj) -> bool:
    """For an offer or agreement: the user represents its supplier."""
    if obj is None:
        return False
    return obj.supplier_id in access_for(user).organisation_ids(obj.neighbourhood_id)


@rules.predicate
def has_household_in(user, obj) -> bool:
    person = access_for(user).person
    nid = neighbourhood_id_of(obj)
    return bool(person and person.household_id and person.neighbourhood_id == nid)


@rules.predicate
def owns_pledge(user, pledge) -> bool:
    person = access_for(user).person
    return bool(
        pledge is not None
        and person
        and person.household_id
        and person.household_id == pledge.household_id
    )


@rules.predicate
def offer_is_submitted(user, offer) -> bool:
    return offer is not None and offer.status == "submitted"


staff = is_superuser | is_staff_of

rules.add_perm("purchasing.view_campaigns", is_superuser | is_in_neighbourhood)
rules.add_perm("purchasing.manage_campaigns", staff)
rules.add_perm("purchasing.manage_categories", staff)
rules.add_perm("purchasing.view_suppliers", is_superuser | is_in_neighbourhood)
rules.add_perm("purchasing.manage_suppliers", staff)
rules.add_perm("purchasing.view_agreement", staff | represents_supplier_of)
rules.add_perm("purchasing.submit_offer", staff | is_supplier_representative)
rules.add_perm(
    "purchasing.view_offer",
    staff | represents_supplier_of | (is_resident_of & offer_is_submitted),
)
rules.add_perm("purchasing.change_offer", staff | represents_supplier_of)
rules.add_perm("purchasing.pledge", has_household_in)
rules.add_perm("purchasing.view_pledge", staff | owns_pledge)
rules.add_perm("purchasing.change_pledge", owns_pledge)
# Staff register, change, confirm or decline a pledge for a household that asked them to
# (at the desk, by phone, from a paper form): many residents do not use the website.
rules.add_perm("purchasing.pledge_on_behalf", staff)
rules.add_perm("purchasing.view_results", staff)
rules.add_perm("purchasing.view_totals", is_superuser | is_in_neighbourhood)
rules.add_perm("purchasing.use_supplier_portal", is_supplier_representative)
rules.add_perm("purchasing.view_supplier_customers", staff | represents_organisation)
