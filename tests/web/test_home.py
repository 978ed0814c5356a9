"""The home page: a welcome for visitors, my household and my neighbourhood for residents."""

import re

import pytest
from django.urls import reverse

from heelwijk.neighbourhood.models import Organisation, Role
from tests.factories import OrganisationFactory, RoleFactory


@pytest.fixture
def home(client_for):
    def _open(user):
        client = client_for(user)
        return client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    return _open


@pytest.fixture
def wijkbedrijf(world):
    return OrganisationFactory(
        neighbourhood=world.nbh_a,
        name="Wijkbedrijf Lindenhof",
        kind=Organisation.Kind.WIJKBEDRIJF,
        email="hallo@lindenhof.example",
        phone="010 1234567",
        address="Lindeplein 1",
    )


def test_a_visitor_is_welcomed(world, home):
    html = home(None)

    assert "<h1>Welcome to Heelwijk</h1>" in html
    assert f'href="{reverse("login")}"' in html


def test_a_resident_sees_their_household_and_neighbourhood(world, home, wijkbedrijf):
    html = home(world.resident_a)

    assert "<h1>Hello Anna</h1>" in html
    assert "Lindelaan 12, 1234 AB Rijnstede" in html
    assert "<li>Anna de Vries</li>" in html
    url = reverse("neighbourhood:household_detail", args=[world.household_a.pk])
    assert f'<a href="{url}">View my household</a>' in html
    assert "Lindenhof at a glance" in html
    assert re.search(r'<span class="figure">2</span> households', html)
    assert "Your wijkbedrijf is Wijkbedrijf Lindenhof." in html
    assert '<a href="mailto:hallo@lindenhof.example">' in html
    assert '<a href="tel:010 1234567">010 1234567</a>' in html
    assert "<dd>Lindeplein 1</dd>" in html
    assert "staff overview" not in html


def test_a_resident_of_b_sees_b(world, home):
    html = home(world.resident_b)

    assert "Dorpsstraat 1" in html
    assert "Eikendal at a glance" in html
    assert "Lindenhof" not in html


def test_a_representative_sees_their_organisations_and_scale(world, home):
    school = OrganisationFactory(
        neighbourhood=world.nbh_a, name="OBS De Linde", kind=Organisation.Kind.SCHOOL
    )
    RoleFactory(
        user=world.representative_a,
        neighbourhood=world.nbh_a,
        kind=Role.Kind.REPRESENTATIVE,
        organisation=school,
        scale=Role.Scale.STRATEGIC,
    )

    html = home(world.representative_a)

    assert "Organisations you represent" in html
    items = re.findall(r'<li><a href="[^"]+">([^<]+)</a>\s*— at the (\w+) level</li>', html)
    assert items == [("Gemeente Rijnstede", "tactical"), ("OBS De Linde", "strategic")]
    assert "My household" not in html


def test_staff_get_a_link_to_the_overview(world, home):
    html = home(world.staff_a)

    assert f'href="{reverse("neighbourhood:overview")}"' in html
    assert "Lindenhof at a glance" in html


def test_someone_in_two_neighbourhoods_can_switch(world, client_for):
    RoleFactory(user=world.staff_a, neighbourhood=world.nbh_b, kind=Role.Kind.STAFF)
    client = client_for(world.staff_a)

    client.post(reverse("switch_neighbourhood"), {"neighbourhood": world.nbh_b.pk})
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Eikendal at a glance" in html
    assert f'<option value="{world.nbh_b.pk}" selected>Eikendal</option>' in html
