"""Permission matrix: every page and endpoint for every role; a denial changes nothing."""

import pytest

from heelwijk.neighbourhood.models import AuditEntry
from heelwijk.purchasing.models import (
    AllocationRun,
    Campaign,
    Category,
    Offer,
    Pledge,
    SupplierAgreement,
)

from .conftest import ROLES, pledge

OK, LOGIN, DENIED, MISSING, UNAUTHENTICATED = 200, 302, 403, 404, 401

# role order: anonymous, resident_a, resident_b, staff_a, representative_a, supplier_rep
PAGES = {
    "campaign_list": ("/purchasing/", [LOGIN, OK, OK, OK, OK, OK]),
    "campaign_detail": ("/purchasing/campagnes/{campaign}/", [LOGIN, OK, MISSING, OK, OK, OK]),
    "campaign_create": (
        "/purchasing/campagnes/nieuw/",
        [LOGIN, DENIED, DENIED, OK, DENIED, DENIED],
    ),
    "campaign_update": (
        "/purchasing/campagnes/{campaign}/bewerken/",
        [LOGIN, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "pledge_edit": (
        "/purchasing/campagnes/{campaign}/aanmelden/",
        [LOGIN, OK, MISSING, DENIED, DENIED, DENIED],
    ),
    "results": (
        "/purchasing/campagnes/{campaign}/resultaten/",
        [LOGIN, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "export_csv": (
        "/purchasing/campagnes/{campaign}/export/{supplier}.csv",
        [LOGIN, DENIED, MISSING, OK, DENIED, OK],
    ),
    "export_other_supplier": (
        "/purchasing/campagnes/{campaign}/export/{supplier_b}.xlsx",
        [LOGIN, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "offer_create": (
        "/purchasing/campagnes/{campaign}/aanbiedingen/nieuw/",
        [LOGIN, DENIED, MISSING, OK, DENIED, OK],
    ),
    "offer_detail": ("/purchasing/aanbiedingen/{offer}/", [LOGIN, OK, MISSING, OK, DENIED, OK]),
    "offer_detail_other_supplier": (
        "/purchasing/aanbiedingen/{offer_b}/",
        [LOGIN, OK, MISSING, OK, DENIED, DENIED],
    ),
    "offer_update": (
        "/purchasing/aanbiedingen/{offer}/bewerken/",
        [LOGIN, DENIED, MISSING, OK, DENIED, OK],
    ),
    "supplier_list": ("/purchasing/leveranciers/", [LOGIN, OK, OK, OK, OK, OK]),
    "supplier_create": (
        "/purchasing/leveranciers/nieuw/",
        [LOGIN, DENIED, DENIED, OK, DENIED, DENIED],
    ),
    "supplier_detail": (
        "/purchasing/leveranciers/{agreement}/",
        [LOGIN, DENIED, MISSING, OK, DENIED, OK],
    ),
    "supplier_update": (
        "/purchasing/leveranciers/{agreement}/bewerken/",
        [LOGIN, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "on_behalf_list": (
        "/purchasing/campagnes/{campaign}/namens/",
        [LOGIN, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "on_behalf_household": (
        "/purchasing/campagnes/{campaign}/namens/{household}/",
        [LOGIN, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "on_behalf_household_of_another_neighbourhood": (
        "/purchasing/campagnes/{campaign}/namens/{household_b}/",
        [LOGIN, DENIED, MISSING, MISSING, DENIED, DENIED],
    ),
    "category_list": ("/purchasing/categorieen/", [LOGIN, DENIED, DENIED, OK, DENIED, DENIED]),
    "supplier_portal": (
        "/purchasing/voor-leveranciers/",
        [LOGIN, DENIED, DENIED, DENIED, DENIED, OK],
    ),
}

API = {
    "categories": ("get", "/api/v1/purchasing/categories", [UNAUTHENTICATED, OK, OK, OK, OK, OK]),
    "suppliers": ("get", "/api/v1/purchasing/suppliers", [UNAUTHENTICATED, OK, OK, OK, OK, OK]),
    "supplier": (
        "get",
        "/api/v1/purchasing/suppliers/{agreement}",
        [UNAUTHENTICATED, DENIED, MISSING, OK, DENIED, OK],
    ),
    "campaigns": ("get", "/api/v1/purchasing/campaigns", [UNAUTHENTICATED, OK, OK, OK, OK, OK]),
    "campaign": (
        "get",
        "/api/v1/purchasing/campaigns/{campaign}",
        [UNAUTHENTICATED, OK, MISSING, OK, OK, OK],
    ),
    "totals": (
        "get",
        "/api/v1/purchasing/campaigns/{campaign}/totals",
        [UNAUTHENTICATED, OK, MISSING, OK, OK, OK],
    ),
    "offers": (
        "get",
        "/api/v1/purchasing/campaigns/{campaign}/offers",
        [UNAUTHENTICATED, OK, MISSING, OK, OK, OK],
    ),
    "offer": (
        "get",
        "/api/v1/purchasing/offers/{offer}",
        [UNAUTHENTICATED, OK, MISSING, OK, DENIED, OK],
    ),
    "pledge": (
        "get",
        "/api/v1/purchasing/campaigns/{campaign}/pledge",
        [UNAUTHENTICATED, OK, MISSING, DENIED, DENIED, DENIED],
    ),
    "results": (
        "get",
        "/api/v1/purchasing/campaigns/{campaign}/results",
        [UNAUTHENTICATED, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "household_pledge": (
        "get",
        "/api/v1/purchasing/campaigns/{campaign}/households/{household}/pledge",
        [UNAUTHENTICATED, DENIED, MISSING, OK, DENIED, DENIED],
    ),
    "customers": (
        "get",
        "/api/v1/purchasing/campaigns/{campaign}/suppliers/{supplier}/customers",
        [UNAUTHENTICATED, DENIED, MISSING, OK, DENIED, OK],
    ),
}

# Writes that must be refused: (method, url, body, expected per role); None = allowed (skipped).
WRITES = {
    "page_allocate": (
        "post",
        "/purchasing/campagnes/{campaign}/verdelen/",
        None,
        [LOGIN, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "page_cancel": (
        "post",
        "/purchasing/campagnes/{campaign}/annuleren/",
        None,
        [LOGIN, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "page_withdraw_offer": (
        "post",
        "/purchasing/aanbiedingen/{offer}/intrekken/",
        None,
        [LOGIN, DENIED, MISSING, None, DENIED, None],
    ),
    "page_withdraw_other_offer": (
        "post",
        "/purchasing/aanbiedingen/{offer_b}/intrekken/",
        None,
        [LOGIN, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "page_withdraw_pledge": (
        "post",
        "/purchasing/campagnes/{campaign}/intrekken/",
        None,
        [LOGIN, None, MISSING, MISSING, MISSING, MISSING],
    ),
    "page_withdraw_for_household": (
        "post",
        "/purchasing/campagnes/{campaign}/namens/{household}/intrekken/",
        {"withdraw-consent": "on"},
        [LOGIN, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "page_new_category": (
        "post",
        "/purchasing/categorieen/",
        {"name": "Zonnepanelen", "usage_unit": "household"},
        [LOGIN, DENIED, DENIED, None, DENIED, DENIED],
    ),
    "api_allocate": (
        "post",
        "/api/v1/purchasing/campaigns/{campaign}/allocate",
        None,
        [UNAUTHENTICATED, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "api_new_campaign": (
        "post",
        "/api/v1/purchasing/campaigns",
        {
            "category_code": "gas",
            "title": "Gas",
            "registration_opens_on": "2030-01-01",
            "registration_closes_on": "2030-02-01",
            "contracts_start_on": "2030-03-01",
        },
        [UNAUTHENTICATED, DENIED, DENIED, None, DENIED, DENIED],
    ),
    "api_new_offer": (
        "post",
        "/api/v1/purchasing/campaigns/{campaign}/offers",
        {
            "agreement_id": "{agreement_b}",
            "name": "Stiekem",
            "tiers": [{"min_quantity": 0, "unit_price": "0.10", "fixed_fee": "1.00"}],
        },
        [UNAUTHENTICATED, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "api_withdraw_offer": (
        "post",
        "/api/v1/purchasing/offers/{offer_b}/withdraw",
        None,
        [UNAUTHENTICATED, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "api_pledge_for_household": (
        "put",
        "/api/v1/purchasing/campaigns/{campaign}/households/{household}/pledge",
        {"usage": 100, "current_yearly_cost": "500.00", "household_consent": True},
        [UNAUTHENTICATED, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "api_withdraw_for_household": (
        "post",
        "/api/v1/purchasing/campaigns/{campaign}/households/{household}/pledge/withdraw",
        {"household_consent": True},
        [UNAUTHENTICATED, DENIED, MISSING, None, DENIED, DENIED],
    ),
    "api_pledge": (
        "put",
        "/api/v1/purchasing/campaigns/{campaign}/pledge",
        {"usage": 100, "current_yearly_cost": "500.00"},
        [UNAUTHENTICATED, None, MISSING, DENIED, DENIED, DENIED],
    ),
}


@pytest.fixture
def setting(purchasing):
    from .conftest import submit_offer

    world = purchasing.world
    offer_b = submit_offer(
        world, purchasing.campaign, purchasing.agreement_b, name="Groen Licht Stroom"
    )
    pledge(world, purchasing.campaign, world.household_a)
    ids = {
        "campaign": purchasing.campaign.pk,
        "offer": purchasing.offer.pk,
        "offer_b": offer_b.pk,
        "agreement": purchasing.agreement.pk,
        "agreement_b": purchasing.agreement_b.pk,
        "supplier": purchasing.supplier.pk,
        "supplier_b": purchasing.supplier_b.pk,
        "household": world.household_a.pk,
        "household_b": world.household_b.pk,
    }
    return purchasing, ids


def _state():
    return (
        Campaign.objects.count(),
        sorted(Campaign.objects.values_list("status", flat=True)),
        Offer.objects.count(),
        sorted(Offer.objects.values_list("status", flat=True)),
        sorted(Pledge.objects.values_list("status", "usage")),
        Category.objects.count(),
        SupplierAgreement.objects.count(),
        AllocationRun.objects.count(),
        AuditEntry.objects.count(),
    )


def _check_roles(purchasing, client_for, expected, request) -> list:
    """Run `request(client)` for every role; return (role, got, expected) for each mismatch."""
    wrong = []
    for role, want in zip(ROLES, expected, strict=True):
        if want is None:
            continue
        response = request(client_for(purchasing.user(role)))
        if response.status_code != want:
            wrong.append((role, response.status_code, want))
    return wrong


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages(setting, client_for, name):
    purchasing, ids = setting
    url, expected = PAGES[name]
    assert _check_roles(purchasing, client_for, expected, lambda c: c.get(url.format(**ids))) == []


@pytest.mark.parametrize("name", sorted(API))
def test_api_reads(setting, client_for, name):
    purchasing, ids = setting
    method, url, expected = API[name]
    wrong = _check_roles(
        purchasing, client_for, expected, lambda c: getattr(c, method)(url.format(**ids))
    )
    assert wrong == []


def _fill(value, ids):
    if isinstance(value, str):
        text = value.format(**ids)
        return int(text) if value.startswith("{") and text.isdigit() else text
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize("name", sorted(WRITES))
def test_refused_writes_change_nothing(setting, client_for, name):
    purchasing, ids = setting
    method, url, body, expected = WRITES[name]

    def send(client):
        before = _state()
        if url.startswith("/api/"):
            response = getattr(client, method)(
                url.format(**ids), data=_fill(body or {}, ids), content_type="application/json"
            )
        else:
            response = getattr(client, method)(url.format(**ids), data=body or {})
        assert _state() == before, name
        return response

    assert _check_roles(purchasing, client_for, expected, send) == []


def test_supplier_sees_only_its_own_customers_and_only_after_contracting(setting, client_for):
    from heelwijk.purchasing import actions
    from tests.factories import HouseholdFactory

    purchasing, _ids = setting
    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    for n in range(3):
        household = HouseholdFactory(area=world.area_a, postcode="1234 AZ", house_number=100 + n)
        pledge(world, campaign, household, usage=2_500, cost_cents=90_000)
    actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    client = client_for(purchasing.supplier_rep)
    url = f"/api/v1/purchasing/campaigns/{campaign.pk}/suppliers/{purchasing.supplier.pk}/customers"
    assert client.get(url).json() == []  # proposed, not contracted: nothing yet
    for p in Pledge.objects.filter(campaign=campaign):
        actions.pledge_confirm(actor=world.staff_a, pledge=p) if p.results.filter(
            offer__isnull=False
        ).exists() else None
    actions.allocation_finalise(actor=world.staff_a, campaign=campaign)
    contracts = actions.contracts_start(actor=world.staff_a, campaign=campaign)
    mine = [c for c in contracts if c.supplier_id == purchasing.supplier.pk]
    rows = client.get(url).json()
    assert sorted(r["household_id"] for r in rows) == sorted(c.household_id for c in mine)
    other = (
        f"/api/v1/purchasing/campaigns/{campaign.pk}/suppliers/{purchasing.supplier_b.pk}/customers"
    )
    assert client.get(other).status_code == 403
