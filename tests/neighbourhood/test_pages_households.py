"""Household pages: list (search, filters, pagination, htmx), detail, create and edit."""

import re

import pytest
from django.urls import reverse

from heelwijk.neighbourhood.models import AuditEntry, Household
from tests.factories import AreaFactory, HouseholdFactory, NeighbourhoodFactory, PersonFactory

LIST = "/staff/huishoudens/"


@pytest.fixture
def staff(world, client_for):
    client = client_for(world.staff_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def listed(response) -> list[str]:
    """The addresses in the result table, in order."""
    html = response.content.decode()
    return re.findall(r'<td data-label="Address"><a href="[^"]+">([^<]+)</a>', html)


def result_count(response) -> str:
    return re.search(r'id="result-count"[^>]*>([^<]*)<', response.content.decode()).group(1)


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", ["Beukenstraat 3", "Lindelaan 12"]),
        ("lindelaan", ["Lindelaan 12"]),
        ("1234 AB", ["Lindelaan 12"]),
        ("1234ab", ["Lindelaan 12"]),
        ("1234 ac", ["Beukenstraat 3"]),
        ("1234", ["Beukenstraat 3", "Lindelaan 12"]),
        ("3", ["Beukenstraat 3"]),
        ("Lindelaan 12", ["Lindelaan 12"]),
        ("Lindelaan 3", []),
        ("Vries", ["Lindelaan 12"]),
        ("Anna de Vries", ["Lindelaan 12"]),
        ("Dorpsstraat", []),  # neighbourhood B's street is never found from A
    ],
)
def test_search(world, staff, search, expected):
    response = staff.get(LIST, {"q": search})

    assert response.status_code == 200
    assert listed(response) == expected


def test_search_by_house_number_with_addition(world, staff):
    HouseholdFactory(area=world.area_a, street="Eikenlaan", house_number=7, house_number_suffix="A")
    HouseholdFactory(area=world.area_a, street="Eikenlaan", house_number=7, postcode="1234 AD")

    assert listed(staff.get(LIST, {"q": "Eikenlaan 7a"})) == ["Eikenlaan 7A"]
    assert listed(staff.get(LIST, {"q": "Eikenlaan 7"})) == ["Eikenlaan 7", "Eikenlaan 7A"]


def test_a_household_with_two_matching_members_is_listed_once(world, staff):
    PersonFactory(household=world.household_a, first_name="Piet", last_name="Vries")

    response = staff.get(LIST, {"q": "vries"})

    assert listed(response) == ["Lindelaan 12"]
    assert "Anna de Vries, Piet Vries" in response.content.decode()


# --- filters ---------------------------------------------------------------------------------


def test_filter_by_area(world, staff):
    zuid = AreaFactory(neighbourhood=world.nbh_a, name="Zuid")
    HouseholdFactory(area=zuid, street="Zuiderweg", house_number=1)

    assert listed(staff.get(LIST, {"area": zuid.pk})) == ["Zuiderweg 1"]
    assert listed(staff.get(LIST, {"area": world.area_a.pk})) == ["Beukenstraat 3", "Lindelaan 12"]


def test_filter_by_composition(world, staff):
    assert listed(staff.get(LIST, {"composition": "single"})) == ["Beukenstraat 3"]
    assert listed(staff.get(LIST, {"composition": "family", "q": "1234"})) == ["Lindelaan 12"]


def test_an_area_of_another_neighbourhood_is_refused_and_ignored(world, staff):
    response = staff.get(LIST, {"area": world.area_b.pk})

    assert response.status_code == 200
    assert listed(response) == ["Beukenstraat 3", "Lindelaan 12"]
    assert response.context["form"].errors["area"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_the_area_filter_offers_only_areas_of_the_neighbourhood(world, staff):
    response = staff.get(LIST)

    assert list(response.context["form"].fields["area"].queryset) == [world.area_a]


# --- pagination ------------------------------------------------------------------------------


@pytest.fixture
def seven_households(world):
    for number in range(1, 6):
        HouseholdFactory(area=world.area_a, street="Acaciastraat", house_number=number)


def test_pagination(world, staff, seven_households, settings):
    settings.HEELWIJK_PAGE_SIZE = 3

    first = staff.get(LIST)
    last = staff.get(LIST, {"page": 3})

    assert listed(first) == ["Acaciastraat 1", "Acaciastraat 2", "Acaciastraat 3"]
    assert result_count(first) == "1\u20133 of 7"
    html = first.content.decode()
    assert '<a href="?page=2"><span class="visually-hidden">Page </span>2</a>' in html
    assert '<a class="button secondary" href="?page=2" rel="next">Next</a>' in html
    assert 'rel="prev"' not in html
    assert listed(last) == ["Lindelaan 12"]
    assert result_count(last) == "7\u20137 of 7"
    assert 'href="?page=2" rel="prev"' in last.content.decode()


def test_page_links_keep_the_search(world, staff, seven_households, settings):
    settings.HEELWIJK_PAGE_SIZE = 2

    response = staff.get(LIST, {"q": "acacia"})

    assert result_count(response) == "1\u20132 of 5"
    assert 'href="?q=acacia&amp;page=3"' in response.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(world, staff, seven_households, settings):
    settings.HEELWIJK_PAGE_SIZE = 3

    response = staff.get(LIST, {"page": "99"})

    assert listed(response) == ["Lindelaan 12"]


# --- empty states ----------------------------------------------------------------------------


def test_empty_search(world, staff):
    response = staff.get(LIST, {"q": "Nergensweg"})

    html = response.content.decode()
    assert listed(response) == []
    assert "No household matches your search." in html
    assert result_count(response) == "No results"


def test_empty_neighbourhood(db, client_for):
    from heelwijk.neighbourhood.models import Role
    from tests.factories import RoleFactory, UserFactory

    user = UserFactory()
    RoleFactory(user=user, neighbourhood=NeighbourhoodFactory(), kind=Role.Kind.STAFF)
    client = client_for(user)

    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "There are no households in this neighbourhood yet." in html
    assert f'href="{reverse("neighbourhood:import_upload")}"' in html


# --- htmx ------------------------------------------------------------------------------------


def test_htmx_search_returns_only_the_results(world, staff):
    response = staff.get(LIST, {"q": "1234AB"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert listed(response) == ["Lindelaan 12"]
    assert (
        '<p id="result-count" class="result-count" role="status" hx-swap-oob="innerHTML">' in html
    )
    assert "HX-Request" in response["Vary"]


def test_full_page_has_the_live_search_form(world, staff):
    response = staff.get(LIST)

    html = response.content.decode()
    assert 'hx-get="/staff/huishoudens/"' in html
    assert 'hx-target="#results"' in html
    assert 'hx-push-url="true"' in html
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(world, staff):
    response = staff.get(LIST, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert "<html" in response.content.decode()


# --- constant number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_list_runs_a_constant_number_of_queries(
    db, client, django_assert_num_queries, settings, count
):
    from heelwijk.neighbourhood.models import Role
    from tests.factories import RoleFactory, UserFactory

    settings.HEELWIJK_PAGE_SIZE = 25
    neighbourhood = NeighbourhoodFactory()
    areas = [AreaFactory(neighbourhood=neighbourhood) for _ in range(3)]
    for n in range(count):
        household = HouseholdFactory(area=areas[n % 3], house_number=n + 1)
        PersonFactory(household=household)
        PersonFactory(household=household)
    user = UserFactory()
    RoleFactory(user=user, neighbourhood=neighbourhood, kind=Role.Kind.WIJKONDERNEMER)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    # session, user, access (person, roles), current neighbourhood, the area filter,
    # the count, the page of households, their members
    with django_assert_num_queries(9):
        response = client.get(LIST, {"q": "Lindelaan"})
    assert len(listed(response)) == min(count, 25)

    # the htmx answer has no filter form, so no query for the areas
    with django_assert_num_queries(8):
        client.get(LIST, {"q": "Lindelaan"}, HTTP_HX_REQUEST="true")


# --- detail ----------------------------------------------------------------------------------


def test_detail_shows_members_area_and_composition(world, staff):
    PersonFactory(
        household=world.household_a, first_name="Bo", last_name="Vries", member_since="2024-03-01"
    )

    response = staff.get(reverse("neighbourhood:household_detail", args=[world.household_a.pk]))

    html = response.content.decode()
    assert "<h1>Lindelaan 12</h1>" in html
    assert "<dd>Noord</dd>" in html
    assert "<dd>Couple with children</dd>" in html
    assert "<dd>4</dd>" in html
    assert ">Anna de Vries</a>" in html
    assert ">Bo Vries</a>" in html
    assert "since March 1, 2024" in html
    assert "Edit household" in html


def test_a_resident_sees_their_household_without_staff_details(world, client_for):
    Household.objects.filter(pk=world.household_a.pk).update(notes="Let op: hond")
    client = client_for(world.resident_a)

    response = client.get(
        reverse("neighbourhood:household_detail", args=[world.household_a.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna de Vries" in html
    assert "Let op: hond" not in html
    assert "Edit household" not in html
    assert "/staff/mensen/" not in html


# --- create and edit -------------------------------------------------------------------------


def _form(world, **changes):
    data = {
        "street": "Nieuwe Weg",
        "house_number": "5",
        "house_number_suffix": "",
        "postcode": "1234xy",
        "city": "Rijnstede",
        "area": world.area_a.pk,
        "composition": "single",
        "size": "1",
        "notes": "",
    }
    data.update(changes)
    return data


def test_create(world, staff):
    response = staff.post(reverse("neighbourhood:household_create"), _form(world), follow=True)

    household = Household.objects.get(street="Nieuwe Weg")
    assert household.neighbourhood == world.nbh_a
    assert household.postcode == "1234 XY"
    assert response.redirect_chain == [
        (reverse("neighbourhood:household_detail", args=[household.pk]), 302)
    ]
    assert "The household at Nieuwe Weg 5, 1234 XY Rijnstede has been added." in (
        response.content.decode()
    )
    entry = AuditEntry.objects.get(action="household_create")
    assert (entry.actor, entry.object_id) == (world.staff_a, household.pk)


def test_create_at_an_existing_address_is_refused(world, staff):
    count = Household.objects.count()

    response = staff.post(
        reverse("neighbourhood:household_create"),
        _form(world, street="Lindelaan", house_number="12", postcode="1234AB"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "house_number": ["There is already a household at this address."]
    }
    assert Household.objects.count() == count


def test_create_with_bad_input_shows_every_error_next_to_its_field(world, staff):
    count = Household.objects.count()

    response = staff.post(
        reverse("neighbourhood:household_create"),
        _form(world, street="", postcode="12345", size="0", area=world.area_b.pk),
    )

    errors = response.context["form"].errors
    assert errors == {
        "street": ["This field is required."],
        "postcode": ["Enter a Dutch postcode such as 1234 AB."],
        "area": ["Select a valid choice. That choice is not one of the available choices."],
        "size": ["Ensure this value is greater than or equal to 1."],
    }
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_postcode_error">' in html
    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html
    assert Household.objects.count() == count


def test_edit(world, staff):
    url = reverse("neighbourhood:household_edit", args=[world.household_a.pk])

    response = staff.post(
        url,
        _form(world, street="Lindelaan", house_number="12", postcode="1234 AB", size="5"),
        follow=True,
    )

    world.household_a.refresh_from_db()
    assert world.household_a.size == 5
    assert world.household_a.composition == "single"
    assert "The changes to Lindelaan 12, 1234 AB Rijnstede have been saved." in (
        response.content.decode()
    )
    entry = AuditEntry.objects.get(action="household_update")
    assert entry.changes == {"composition": ["family", "single"], "size": [4, 5]}


def test_edit_without_changes_says_so(world, staff):
    household = world.household_a
    data = _form(
        world,
        street=household.street,
        house_number=household.house_number,
        postcode=household.postcode,
        city=household.city,
        composition=household.composition,
        size=household.size,
    )

    response = staff.post(
        reverse("neighbourhood:household_edit", args=[household.pk]), data, follow=True
    )

    assert "Nothing was changed." in response.content.decode()
    assert not AuditEntry.objects.filter(action="household_update").exists()


def test_edit_with_bad_input_changes_nothing(world, staff):
    url = reverse("neighbourhood:household_edit", args=[world.household_a.pk])

    response = staff.post(url, _form(world, house_number="3", postcode="1234 AC"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "house_number": ["There is already a household at this address."]
    }
    # The page still names the household as it is stored.
    assert "Edit Lindelaan 12, 1234 AB Rijnstede" in response.content.decode()
    world.household_a.refresh_from_db()
    assert (world.household_a.street, world.household_a.house_number) == ("Lindelaan", 12)


def test_form_fields_have_labels_and_help(world, staff):
    response = staff.get(reverse("neighbourhood:household_create"))

    html = response.content.decode()
    for field in ("street", "house_number", "postcode", "city", "area", "composition", "size"):
        assert f'<label for="id_{field}">' in html
    assert '<div class="helptext" id="id_postcode_helptext">For example 1234 AB.</div>' in html
    assert 'aria-describedby="id_postcode_helptext"' in html
