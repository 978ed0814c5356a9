"""The staff overview: the neighbourhood at a glance and the way to every staff page."""

import re

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def page(world, client_for):
    PersonFactory(household=world.household_a2, member_since="2024-01-01")
    HouseholdFactory(area=world.area_b, street="Dorpsstraat", house_number=9, size=7)

    def _open(user):
        client = client_for(user)
        return client.get(reverse("neighbourhood:overview"), HTTP_ACCEPT_LANGUAGE="en")

    return _open


def cards(html: str) -> dict[str, str]:
    return {
        label.strip(): figure
        for figure, label in re.findall(
            r'<li class="card"><span class="figure">([^<]+)</span>([^<]+)</li>', html
        )
    }


def test_counts_of_the_neighbourhood_only(world, page):
    html = page(world.staff_a).content.decode()

    assert "<h1>Staff overview of Lindenhof</h1>" in html
    assert cards(html) == {
        "households": "2",
        "residents": "5",
        "members of the wijkbedrijf": "1",
        "organisations": "1",
        "areas": "1",
    }
    assert re.search(
        r'\?area=\d+">Noord</a></td>\s*<td data-label="Households" class="num">2<', html
    )
    assert re.search(r'\?composition=single">Single person</a></td>\s*<td[^>]*>1<', html)
    assert re.search(r'\?kind=municipality">Municipality</a></td>\s*<td[^>]*>1<', html)


def test_links_to_every_staff_page(world, page):
    html = page(world.staff_a).content.decode()

    for url in (
        reverse("neighbourhood:household_list"),
        reverse("neighbourhood:person_list"),
        reverse("neighbourhood:organisation_list"),
        reverse("neighbourhood:import_upload"),
        reverse("token_list"),
    ):
        assert f'href="{url}"' in html
    # Admin access is a separate flag on the account.
    assert reverse("admin:index") not in html


def test_links_to_the_admin_for_staff_with_admin_access(world, page):
    world.staff_a.is_staff = True
    world.staff_a.save()

    html = page(world.staff_a).content.decode()

    assert f'<a class="button secondary" href="{reverse("admin:index")}">' in html
