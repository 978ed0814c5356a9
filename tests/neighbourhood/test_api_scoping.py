"""The API only ever shows the caller's neighbourhood: in lists, by id, and per token."""

import datetime

import pytest

from heelwijk.accounts.actions import api_token_create
from heelwijk.neighbourhood.models import Household, Role
from tests.factories import (
    AreaFactory,
    HouseholdFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)

from .test_api_support import ApiCaller, api_as, snapshot

LISTS = ["/neighbourhoods", "/areas", "/households", "/people", "/organisations", "/tokens"]


@pytest.fixture
def crowded_world(world):
    """More rows in B than in A, so a leak would show in every list."""
    for n in range(3):
        household = HouseholdFactory(area=world.area_b, street="Eikenlaan", house_number=n + 10)
        PersonFactory(household=household, first_name=f"Eik{n}", last_name="Boom")
        OrganisationFactory(neighbourhood=world.nbh_b, name=f"Eikenwinkel {n}")
    AreaFactory(neighbourhood=world.nbh_b, name="Eikenrand")
    api_token_create(actor=world.staff_b, neighbourhood=world.nbh_b, name="b's dashboard")
    api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="a's dashboard")
    return world


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize("path", LISTS)
def test_staff_of_a_never_sees_rows_of_b_in_lists(crowded_world, path, via):
    world = crowded_world
    response = api_as(world, "staff_a", via).get(path, limit=100)

    assert response.status_code == 200
    items = response.data["items"]
    assert response.data["count"] == len(items) > 0
    if path == "/neighbourhoods":
        assert [item["id"] for item in items] == [world.nbh_a.pk]
    else:
        assert {item["neighbourhood_id"] for item in items} == {world.nbh_a.pk}


def test_list_contents_are_exactly_those_of_a(crowded_world):
    staff = api_as(crowded_world, "staff_a")

    households = staff.get("/households").data
    people = staff.get("/people").data
    organisations = staff.get("/organisations").data
    areas = staff.get("/areas").data

    assert [h["address"] for h in households["items"]] == [
        "Beukenstraat 3, 1234 AC Rijnstede",
        "Lindelaan 12, 1234 AB Rijnstede",
    ]
    assert [p["full_name"] for p in people["items"]] == ["Anna de Vries"]
    assert [o["name"] for o in organisations["items"]] == ["Gemeente Rijnstede"]
    assert [(a["name"], a["household_count"]) for a in areas["items"]] == [("Noord", 2)]


@pytest.mark.parametrize(
    ("path", "attribute"),
    [
        ("/neighbourhoods/{}", "nbh_b"),
        ("/areas/{}", "area_b"),
        ("/households/{}", "household_b"),
        ("/people/{}", "person_b"),
        ("/organisations/{}", "organisation_b"),
    ],
)
@pytest.mark.parametrize("via", ["token", "session"])
def test_staff_of_a_cannot_read_or_change_a_row_of_b_by_id(world, path, attribute, via):
    target = getattr(world, attribute)
    url = path.format(target.pk)
    caller = api_as(world, "staff_a", via)
    before = snapshot(target)

    read = caller.get(url)
    change = caller.patch(url, {})

    assert (read.status_code, change.status_code) == (404, 404)
    assert snapshot(target) == before


def test_staff_of_a_cannot_revoke_a_token_of_b(world):
    token_b, _ = api_token_create(actor=world.staff_b, neighbourhood=world.nbh_b, name="b")
    caller = api_as(world, "staff_a")
    before = snapshot()

    response = caller.post(f"/tokens/{token_b.pk}/revoke")

    assert response.status_code == 404
    assert snapshot() == before


def test_a_token_works_in_its_own_neighbourhood_only(world):
    """Staff of both A and B: the token for B shows B, whatever the session would choose."""
    both = UserFactory(email="beide@example.org")
    RoleFactory(user=both, neighbourhood=world.nbh_a, kind=Role.Kind.STAFF)
    RoleFactory(user=both, neighbourhood=world.nbh_b, kind=Role.Kind.STAFF)
    _, secret_b = api_token_create(actor=both, neighbourhood=world.nbh_b, name="b")
    _, secret_a = api_token_create(actor=both, neighbourhood=world.nbh_a, name="a")
    from django.test import Client

    as_b = ApiCaller(Client(), {"Authorization": f"Bearer {secret_b}"})
    as_a = ApiCaller(Client(), {"Authorization": f"Bearer {secret_a}"})

    assert [h["street"] for h in as_b.get("/households").data["items"]] == ["Dorpsstraat"]
    assert as_b.get(f"/households/{world.household_a.pk}").status_code == 404
    assert as_a.get(f"/households/{world.household_b.pk}").status_code == 404
    assert as_b.get("/me").data["neighbourhood"]["name"] == "Eikendal"
    assert as_a.get("/me").data["neighbourhood"]["name"] == "Lindenhof"


def test_a_token_stops_working_when_its_user_leaves_the_neighbourhood(world):
    caller = api_as(world, "staff_a")
    Role.objects.filter(user=world.staff_a).delete()

    response = caller.get("/households")

    assert response.status_code == 401


def test_lists_are_paginated_with_a_total(world):
    for n in range(30):
        HouseholdFactory(
            area=world.area_a, street="Acacialaan", house_number=n + 1, postcode="1234 ZZ"
        )
    staff = api_as(world, "staff_a")

    first = staff.get("/households", limit=10)
    last = staff.get("/households", limit=10, offset=30)
    beyond = staff.get("/households", limit=10, offset=40)

    assert (first.data["count"], first.data["limit"], first.data["offset"]) == (32, 10, 0)
    assert [h["house_number"] for h in first.data["items"]] == list(range(1, 11))
    assert [h["street"] for h in last.data["items"]] == ["Beukenstraat", "Lindelaan"]
    assert beyond.data == {"count": 32, "limit": 10, "offset": 40, "items": []}


def test_the_default_page_holds_25_rows(world):
    for n in range(30):
        OrganisationFactory(neighbourhood=world.nbh_a, name=f"Winkel {n:02d}")

    response = api_as(world, "staff_a").get("/organisations")

    assert response.data["count"] == 31
    assert response.data["limit"] == 25
    assert len(response.data["items"]) == 25


def test_household_filters_match_the_staff_pages(world):
    north = world.area_a
    south = AreaFactory(neighbourhood=world.nbh_a, name="Zuid")
    HouseholdFactory(
        area=south,
        street="Lindelaan",
        house_number=40,
        postcode="1234 AE",
        composition=Household.Composition.SINGLE,
    )
    staff = api_as(world, "staff_a")

    def streets(**params):
        data = staff.get("/households", **params).data
        return [(h["street"], h["house_number"]) for h in data["items"]]

    assert streets(search="lindelaan") == [("Lindelaan", 12), ("Lindelaan", 40)]
    assert streets(search="Vries") == [("Lindelaan", 12)]
    assert streets(search="1234AC") == [("Beukenstraat", 3)]
    assert streets(area=north.pk) == [("Beukenstraat", 3), ("Lindelaan", 12)]
    assert streets(area=south.pk, composition="single") == [("Lindelaan", 40)]
    assert streets(composition="single") == [("Beukenstraat", 3), ("Lindelaan", 40)]
    assert streets(area=world.area_b.pk) == []
    assert streets(search="Dorpsstraat") == []


def test_people_and_organisation_filters(world):
    member = PersonFactory(
        household=world.household_a2,
        first_name="Mo",
        last_name="Lid",
        member_since=datetime.date(2024, 3, 1),
    )
    OrganisationFactory(neighbourhood=world.nbh_a, name="Bakker Bart", kind="shop")
    staff = api_as(world, "staff_a")

    members = staff.get("/people", members_only="true").data
    searched = staff.get("/people", search="anna").data
    shops = staff.get("/organisations", kind="shop").data
    municipal = staff.get("/organisations", search="gemeente").data

    assert [p["id"] for p in members["items"]] == [member.pk]
    assert members["items"][0]["is_member"] is True
    assert [p["full_name"] for p in searched["items"]] == ["Anna de Vries"]
    assert [o["name"] for o in shops["items"]] == ["Bakker Bart"]
    assert [o["name"] for o in municipal["items"]] == ["Gemeente Rijnstede"]


def test_the_household_list_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    staff = api_as(world, "staff_a")
    staff.get("/households")  # warm up: the token's first use is recorded once
    for n in range(20):
        household = HouseholdFactory(
            area=world.area_a, street="Acacialaan", house_number=n + 1, postcode="1234 ZZ"
        )
        PersonFactory(household=household)

    with django_assert_max_num_queries(8):
        response = staff.get("/households", limit=100)

    assert response.data["count"] == 22


def test_household_notes_are_for_staff_only(world):
    world.household_a.notes = "Wil graag hulp bij de energierekening."
    world.household_a.save()
    path = f"/households/{world.household_a.pk}"
    assert api_as(world, "staff_a", "session").get(path).data["notes"] == (
        "Wil graag hulp bij de energierekening."
    )
    resident_view = api_as(world, "resident_a", "session").get(path)
    assert resident_view.status_code == 200
    assert resident_view.data["notes"] is None
