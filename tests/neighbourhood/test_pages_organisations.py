"""Organisation pages: list (search, kind), detail with representatives, create and edit."""

import re

import pytest
from django.urls import reverse

from heelwijk.neighbourhood.models import AuditEntry, Organisation, Role
from tests.factories import OrganisationFactory, RoleFactory, UserFactory

LIST = "/staff/organisaties/"


@pytest.fixture
def shop(world):
    return OrganisationFactory(
        neighbourhood=world.nbh_a,
        name="Buurtsuper Lindenhof",
        kind=Organisation.Kind.SHOP,
        description="Verse groente uit de wijk",
    )


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def listed(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<td data-label="Name"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Buurtsuper Lindenhof", "Gemeente Rijnstede"]),
        ({"q": "gemeente"}, ["Gemeente Rijnstede"]),
        ({"q": "groente"}, ["Buurtsuper Lindenhof"]),
        ({"kind": "shop"}, ["Buurtsuper Lindenhof"]),
        ({"kind": "school"}, []),
        ({"q": "Bakkerij"}, []),  # neighbourhood B's shop
    ],
)
def test_list(world, client_for, shop, params, expected):
    response = english(client_for(world.staff_a)).get(LIST, params)

    assert listed(response) == expected


def test_an_unknown_kind_is_refused(world, client_for, shop):
    response = english(client_for(world.staff_a)).get(LIST, {"kind": "bank"})

    assert listed(response) == ["Buurtsuper Lindenhof", "Gemeente Rijnstede"]
    assert response.context["form"].errors == {
        "kind": ["Select a valid choice. bank is not one of the available choices."]
    }


def test_residents_see_the_list_without_an_add_button(world, client_for, shop):
    response = english(client_for(world.resident_a)).get(LIST)

    assert listed(response) == ["Buurtsuper Lindenhof", "Gemeente Rijnstede"]
    assert "Add an organisation" not in response.content.decode()


def test_detail_shows_representatives_with_their_scale(world, client_for):
    other = UserFactory(full_name="Olga Operationeel", email="olga@example.org")
    RoleFactory(
        user=other,
        neighbourhood=world.nbh_a,
        kind=Role.Kind.REPRESENTATIVE,
        organisation=world.organisation_a,
        scale=Role.Scale.OPERATIONAL,
    )
    url = reverse("neighbourhood:organisation_detail", args=[world.organisation_a.pk])

    staff_page = english(client_for(world.staff_a)).get(url).content.decode()
    resident_page = english(client_for(world.resident_a)).get(url).content.decode()

    rows = re.findall(
        r'<td data-label="Name">([^<]+)</td>\s*<td data-label="Scale">([^<]+)<', staff_page
    )
    assert rows == [("Olga Operationeel", "Operational"), ("Gert Gemeente", "Tactical")]
    assert "olga@example.org" in staff_page
    assert "Olga Operationeel" in resident_page
    assert "olga@example.org" not in resident_page
    assert "Edit organisation" in staff_page
    assert "Edit organisation" not in resident_page


def _form(**changes):
    data = {
        "name": "Gemeente Rijnstede",
        "kind": "municipality",
        "kvk_number": "",
        "email": "wijken@rijnstede.example",
        "phone": "14 0123",
        "website": "www.rijnstede.example",
        "address": "Raadhuisplein 1",
        "description": "",
    }
    data.update(changes)
    return data


def test_a_representative_edits_their_organisation_but_not_its_kind(world, client_for):
    client = english(client_for(world.representative_a))
    url = reverse("neighbourhood:organisation_edit", args=[world.organisation_a.pk])

    form_page = client.get(url)
    response = client.post(url, _form(kind="wijkbedrijf"), follow=True)

    assert "kind" not in form_page.context["form"].fields
    organisation = Organisation.objects.get(pk=world.organisation_a.pk)
    assert organisation.kind == Organisation.Kind.MUNICIPALITY
    assert organisation.email == "wijken@rijnstede.example"
    assert organisation.website == "https://www.rijnstede.example"
    assert "The changes to Gemeente Rijnstede have been saved." in response.content.decode()
    entry = AuditEntry.objects.get(action="organisation_update")
    assert entry.actor == world.representative_a
    assert set(entry.changes) == {"email", "phone", "website", "address"}


def test_staff_create(world, client_for):
    client = english(client_for(world.staff_a))

    response = client.post(
        reverse("neighbourhood:organisation_create"),
        _form(name="Wijkbedrijf Lindenhof", kind="wijkbedrijf", kvk_number="1234 5678"),
    )

    organisation = Organisation.objects.get(name="Wijkbedrijf Lindenhof")
    assert organisation.kvk_number == "12345678"
    assert organisation.neighbourhood == world.nbh_a
    assert response["Location"] == reverse(
        "neighbourhood:organisation_detail", args=[organisation.pk]
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"name": "Gemeente Rijnstede"},
            {"name": ["An organisation with this name already exists in this neighbourhood."]},
        ),
        ({"kvk_number": "123"}, {"kvk_number": ["A KvK number has 8 digits."]}),
        ({"website": "not a url"}, {"website": ["Enter a valid URL."]}),
        (
            {"name": "", "kind": ""},
            {"name": ["This field is required."], "kind": ["This field is required."]},
        ),
    ],
)
def test_create_with_bad_input_changes_nothing(world, client_for, changes, errors):
    client = english(client_for(world.staff_a))
    count = Organisation.objects.count()

    response = client.post(
        reverse("neighbourhood:organisation_create"), _form(**{"name": "Nieuw", **changes})
    )

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert Organisation.objects.count() == count


def test_a_second_wijkbedrijf_is_refused(world, client_for):
    OrganisationFactory(
        neighbourhood=world.nbh_a, name="Wijkbedrijf", kind=Organisation.Kind.WIJKBEDRIJF
    )
    client = english(client_for(world.staff_a))

    response = client.post(
        reverse("neighbourhood:organisation_create"), _form(name="Tweede", kind="wijkbedrijf")
    )

    assert response.context["form"].errors == {
        "kind": ["This neighbourhood already has a wijkbedrijf."]
    }
