"""Every page of the neighbourhood passes axe-core and fits a 360 px phone.

One login per role and viewport; every page is checked and all problems are reported together.
The tests that pick their viewport at run time name `live_server` themselves, so pytest-django
knows before the database is set up that another thread (the server) must see the data.
"""

import pytest
from django.urls import reverse

from heelwijk.neighbourhood.models import Organisation, Role
from tests.factories import (
    PASSWORD,
    HouseholdFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
)

from .conftest import assert_accessible, assert_fits_phone, login


@pytest.fixture
def busy_world(world, settings):
    """Enough rows for pagination, long names and every kind of cell."""
    settings.HEELWIJK_PAGE_SIZE = 3
    for number in range(1, 6):
        household = HouseholdFactory(
            area=world.area_a,
            street="Burgemeester van Roijen-Hoogstratenlaan",
            house_number=number,
            house_number_suffix="bis" if number == 1 else "",
        )
        PersonFactory(
            household=household,
            first_name="Maximiliaan",
            name_prefix="van der",
            last_name="Heijden-Oosterbroek",
            email=f"maximiliaan.vanderheijden-oosterbroek{number}@voorbeeldprovider.example",
            member_since="2024-02-01",
        )
    OrganisationFactory(
        neighbourhood=world.nbh_a,
        name="Wijkbedrijf Lindenhof",
        kind=Organisation.Kind.WIJKBEDRIJF,
        email="contact@wijkbedrijf-lindenhof.example",
        website="https://www.wijkbedrijf-lindenhof.example/over-ons",
    )
    RoleFactory(
        user=world.resident_a,
        neighbourhood=world.nbh_a,
        kind=Role.Kind.REPRESENTATIVE,
        organisation=world.organisation_a,
        scale=Role.Scale.OPERATIONAL,
    )
    return world


def staff_pages(world) -> list[str]:
    household, person, organisation = world.household_a, world.person_a, world.organisation_a
    return [
        reverse("home"),
        reverse("neighbourhood:overview"),
        reverse("neighbourhood:household_list"),
        reverse("neighbourhood:household_list") + "?q=Burgemeester&page=2",
        reverse("neighbourhood:household_list") + "?q=nergens",
        reverse("neighbourhood:household_detail", args=[household.pk]),
        reverse("neighbourhood:household_edit", args=[household.pk]),
        reverse("neighbourhood:household_create"),
        reverse("neighbourhood:person_list"),
        reverse("neighbourhood:person_list") + "?members=on",
        reverse("neighbourhood:person_detail", args=[person.pk]),
        reverse("neighbourhood:person_edit", args=[person.pk]),
        reverse("neighbourhood:person_create") + f"?household={household.pk}",
        reverse("neighbourhood:organisation_list"),
        reverse("neighbourhood:organisation_detail", args=[organisation.pk]),
        reverse("neighbourhood:organisation_edit", args=[organisation.pk]),
        reverse("neighbourhood:organisation_create"),
        "/staff/huishoudens/999999/",  # the not-found page
    ]


def resident_pages(world) -> list[str]:
    return [
        reverse("home"),
        reverse("neighbourhood:household_detail", args=[world.household_a.pk]),
        reverse("neighbourhood:organisation_list"),
        reverse("neighbourhood:organisation_edit", args=[world.organisation_a.pk]),
        reverse("neighbourhood:overview"),  # the no-access page
    ]


def anonymous_pages() -> list[str]:
    return [
        reverse("home"),
        reverse("login"),
        reverse("password_reset"),
        reverse("password_reset_done"),
    ]


def check_pages(page, urls, *, phone: bool) -> None:
    problems = {}
    for url in urls:
        page.goto(page.base_url + url)
        try:
            assert page.locator("h1").count() == 1, "a page has exactly one h1"
            assert_accessible(page)
            if phone:
                assert_fits_phone(page)
        except AssertionError as exc:
            problems[url] = str(exc)
    assert problems == {}


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_staff_pages(request, live_server, busy_world, viewport):
    page = request.getfixturevalue(viewport)
    login(page, "staf-a@example.org", PASSWORD)

    check_pages(page, staff_pages(busy_world), phone=viewport == "phone_page")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_resident_pages(request, live_server, busy_world, viewport):
    page = request.getfixturevalue(viewport)
    login(page, "bewoner-a@example.org", PASSWORD)

    check_pages(page, resident_pages(busy_world), phone=viewport == "phone_page")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_pages_before_login(request, live_server, world, viewport):
    page = request.getfixturevalue(viewport)

    check_pages(page, anonymous_pages(), phone=viewport == "phone_page")


def test_a_form_with_errors(phone_page, world):
    page = phone_page
    login(page, "staf-a@example.org", PASSWORD)
    page.goto(page.base_url + reverse("neighbourhood:household_create"))

    page.get_by_label("Postcode").fill("12")
    page.get_by_role("button", name="Huishouden toevoegen").click()

    summary = page.get_by_role("alert")
    assert "Verbeter het volgende" in summary.inner_text()
    assert page.get_by_label("Postcode").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    assert_fits_phone(page)


def test_focus_is_visible(page, world):
    login(page, "staf-a@example.org", PASSWORD)
    page.goto(page.base_url + reverse("neighbourhood:household_list"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    outline = skip_link.evaluate("el => getComputedStyle(el).outlineStyle")
    search = page.get_by_role("searchbox", name="Zoeken")
    search.focus()
    search_outline = search.evaluate("el => getComputedStyle(el).outlineWidth")

    assert outline == "solid"
    assert search_outline == "3px"


def test_the_menu_folds_away_on_a_phone(phone_page, world):
    page = phone_page
    login(page, "staf-a@example.org", PASSWORD)
    page.goto(page.base_url + reverse("neighbourhood:overview"))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = page.get_by_role("button", name="Menu")

    assert not menu.is_visible()
    toggle.click()

    assert toggle.get_attribute("aria-expanded") == "true"
    menu.get_by_role("link", name="Mensen").click()
    page.wait_for_url("**" + reverse("neighbourhood:person_list"))
    assert page.get_by_role("heading", level=1).inner_text() == "Mensen"
