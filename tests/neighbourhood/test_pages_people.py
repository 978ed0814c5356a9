"""People pages: list (search, members only), detail, create (from a household) and edit."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from heelwijk.neighbourhood.models import AuditEntry, Person
from tests.factories import PersonFactory

LIST = "/staff/mensen/"


@pytest.fixture
def staff(world, client_for):
    client = client_for(world.staff_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def member(world):
    return PersonFactory(
        household=world.household_a2,
        first_name="Mila",
        last_name="Bos",
        email="mila@example.org",
        member_since=date(2023, 5, 1),
    )


def listed(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<td data-label="Name"><a href="[^"]+">([^<]+)</a>', html)


def test_list_shows_people_of_the_neighbourhood_only(world, staff, member):
    response = staff.get(LIST)

    assert listed(response) == ["Mila Bos", "Anna de Vries"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("mila", ["Mila Bos"]),
        ("de vries", ["Anna de Vries"]),
        ("bewoner-a@example", ["Anna de Vries"]),
        ("beukenstraat", ["Mila Bos"]),
        ("Bakker", []),
    ],
)
def test_search(world, staff, member, search, expected):
    assert listed(staff.get(LIST, {"q": search})) == expected


def test_members_only(world, staff, member):
    response = staff.get(LIST, {"members": "on"})

    assert listed(response) == ["Mila Bos"]
    assert "since May 1, 2023" in response.content.decode()


def test_empty_search(world, staff):
    response = staff.get(LIST, {"q": "niemand"})

    assert "Nobody matches your search." in response.content.decode()


def test_htmx_returns_the_results_only(world, staff, member):
    response = staff.get(LIST, {"q": "bos"}, HTTP_HX_REQUEST="true")

    assert "<form" not in response.content.decode()
    assert listed(response) == ["Mila Bos"]


def test_detail(world, staff, member):
    response = staff.get(reverse("neighbourhood:person_detail", args=[member.pk]))

    html = response.content.decode()
    assert "<h1>Mila Bos</h1>" in html
    url = reverse("neighbourhood:household_detail", args=[world.household_a2.pk])
    assert f'<a href="{url}">Beukenstraat 3, 1234 AC Rijnstede</a>' in html
    assert '<a href="mailto:mila@example.org">mila@example.org</a>' in html
    assert "since May 1, 2023" in html
    assert "Edit person" in html


def test_a_resident_sees_themselves_read_only(world, client_for):
    client = client_for(world.resident_a)

    response = client.get(
        reverse("neighbourhood:person_detail", args=[world.person_a.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    html = response.content.decode()
    assert "<h1>Anna de Vries</h1>" in html
    assert "Edit person" not in html


def _form(world, **changes):
    data = {
        "first_name": "Kees",
        "name_prefix": "van",
        "last_name": "Dam",
        "address": "1234ac 3",
        "email": "Kees@Example.org",
        "phone": "06 12345678",
        "date_of_birth": "1980-02-29",
        "contact_preference": "phone",
        "preferred_language": "en",
        "member_since": "",
    }
    data.update(changes)
    return data


def test_create_from_a_household_fills_in_its_address(world, staff):
    response = staff.get(
        reverse("neighbourhood:person_create"), {"household": world.household_a2.pk}
    )

    html = response.content.decode()
    assert 'name="address" value="1234 AC 3"' in html
    # No list of every household: neither this neighbourhood's nor another's addresses
    assert "<option" not in html.split('name="address"')[0][-2000:]
    assert "Lindelaan" not in html and "Dorpsstraat" not in html


def test_a_household_of_another_neighbourhood_is_not_filled_in(world, staff):
    response = staff.get(
        reverse("neighbourhood:person_create"), {"household": world.household_b.pk}
    )

    assert response.context["form"]["address"].value() in (None, "")


def test_create(world, staff):
    response = staff.post(reverse("neighbourhood:person_create"), _form(world), follow=True)

    person = Person.objects.get(last_name="Dam")
    assert (person.neighbourhood, person.household) == (world.nbh_a, world.household_a2)
    assert person.email == "kees@example.org"
    assert person.date_of_birth == date(1980, 2, 29)
    assert "Kees van Dam has been added." in response.content.decode()
    assert AuditEntry.objects.filter(action="person_create", object_id=person.pk).count() == 1


def test_create_with_an_e_mail_address_already_in_use_is_refused(world, staff):
    count = Person.objects.count()

    response = staff.post(
        reverse("neighbourhood:person_create"), _form(world, email="BEWONER-A@example.org")
    )

    assert response.context["form"].errors == {
        "email": ["Someone in this neighbourhood already has this e-mail address."]
    }
    assert Person.objects.count() == count


def test_dates_in_the_future_are_refused(world, staff):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    count = Person.objects.count()

    response = staff.post(
        reverse("neighbourhood:person_create"),
        _form(world, date_of_birth=tomorrow, member_since=tomorrow),
    )

    assert response.context["form"].errors == {
        "date_of_birth": ["A date of birth cannot be in the future."],
        "member_since": ["Membership cannot start in the future."],
    }
    assert Person.objects.count() == count


def test_a_household_of_another_neighbourhood_is_refused(world, staff):
    response = staff.post(reverse("neighbourhood:person_create"), _form(world, address="5678 CD 1"))

    assert response.context["form"].errors == {
        "address": [
            "No household in this neighbourhood lives at 5678 CD 1. Check the address, or add "
            "the household first."
        ]
    }
    assert not Person.objects.filter(last_name="Dam").exists()


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("1234 AB 12", "household_a"),
        ("1234ab12", "household_a"),
        (" 1234 ab, 12 ", "household_a"),
        ("1234 AC 3", "household_a2"),
        ("", None),
    ],
)
def test_the_address_finds_the_household_however_it_is_written(world, staff, written, found):
    response = staff.post(reverse("neighbourhood:person_create"), _form(world, address=written))

    assert response.status_code == 302
    person = Person.objects.get(last_name="Dam")
    assert person.household == (getattr(world, found) if found else None)


def test_an_address_that_is_not_one_is_explained(world, staff):
    response = staff.post(
        reverse("neighbourhood:person_create"), _form(world, address="Lindelaan 12")
    )

    assert response.context["form"].errors == {
        "address": ["Write the address as postcode and house number, for example 1234 AB 12."]
    }


def test_an_address_without_addition_means_the_household_without_one(world, staff):
    from tests.factories import HouseholdFactory

    upstairs = HouseholdFactory(
        area=world.household_a.area,
        street="Lindelaan",
        house_number=12,
        house_number_suffix="A",
        postcode="1234 AB",
    )

    response = staff.post(
        reverse("neighbourhood:person_create"), _form(world, address="1234 AB 12")
    )
    # Without an addition the household without one is meant, when there is one
    assert response.status_code == 302
    assert Person.objects.get(last_name="Dam").household == world.household_a

    response = staff.post(
        reverse("neighbourhood:person_create"),
        _form(world, address="1234 AB 12a", last_name="Boven", email="boven@example.org"),
    )
    assert response.status_code == 302
    assert Person.objects.get(last_name="Boven").household == upstairs


def test_an_address_with_only_additions_asks_which_one(world, staff):
    from tests.factories import HouseholdFactory

    for suffix in ("A", "B"):
        HouseholdFactory(
            area=world.household_a.area,
            street="Kastanjelaan",
            house_number=7,
            house_number_suffix=suffix,
            postcode="1234 AD",
        )

    response = staff.post(reverse("neighbourhood:person_create"), _form(world, address="1234 AD 7"))

    assert response.context["form"].errors == {
        "address": [
            "Several households live at 1234 AD 7 (1234 AD 7A, 1234 AD 7B): add the addition."
        ]
    }
    assert not Person.objects.filter(last_name="Dam").exists()


def test_edit_moves_a_person_to_no_household(world, staff):
    url = reverse("neighbourhood:person_edit", args=[world.person_a.pk])

    response = staff.post(
        url,
        _form(
            world,
            first_name="Anna",
            name_prefix="de",
            last_name="Vries",
            address="",
            email="bewoner-a@example.org",
        ),
    )

    assert response.status_code == 302
    world.person_a.refresh_from_db()
    assert world.person_a.household is None
    assert world.person_a.contact_preference == "phone"
    entry = AuditEntry.objects.get(action="person_update")
    assert entry.changes["household"] == [world.household_a.pk, None]
