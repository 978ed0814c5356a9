"""Creating and changing rows through the API: exact answers, stored values and audit entries."""

import datetime

from heelwijk.neighbourhood.models import Area, AuditEntry, Household, Organisation, Person

from .test_api_support import api_as


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def test_staff_creates_a_household_in_their_neighbourhood(world):
    staff = api_as(world, "staff_a")

    response = staff.post(
        "/households",
        {
            "area_id": world.area_a.pk,
            "street": " Kastanjelaan ",
            "house_number": 7,
            "house_number_suffix": "b",
            "postcode": "1234ad",
            "city": "Rijnstede",
            "composition": "single_parent",
            "size": 3,
        },
    )

    assert response.status_code == 201, response.data
    household = Household.objects.get(pk=response.data["id"])
    assert household.neighbourhood == world.nbh_a
    assert household.area == world.area_a
    assert (household.street, household.postcode, household.size) == ("Kastanjelaan", "1234 AD", 3)
    body = response.data
    assert body["address"] == "Kastanjelaan 7b, 1234 AD Rijnstede"
    assert body["area"] == {"id": world.area_a.pk, "name": "Noord"}
    assert (body["member_count"], body["members"], body["notes"]) == (0, [], "")
    entry = last_audit()
    assert (entry.action, entry.object_id, entry.actor) == (
        "household_create",
        household.pk,
        world.staff_a,
    )


def test_staff_moves_a_household_to_another_area(world):
    south = Area.objects.create(neighbourhood=world.nbh_a, name="Zuid")

    response = api_as(world, "staff_a").patch(
        f"/households/{world.household_a.pk}", {"area_id": south.pk, "composition": "couple"}
    )

    assert response.status_code == 200
    assert response.data["area"] == {"id": south.pk, "name": "Zuid"}
    assert response.data["members"] == [{"id": world.person_a.pk, "full_name": "Anna de Vries"}]
    world.household_a.refresh_from_db()
    assert (world.household_a.area_id, world.household_a.composition) == (south.pk, "couple")
    assert last_audit().changes == {
        "area": [world.area_a.pk, south.pk],
        "composition": ["family", "couple"],
    }


def test_staff_creates_and_changes_a_person(world):
    staff = api_as(world, "staff_a", "session")

    created = staff.post(
        "/people",
        {
            "household_id": world.household_a2.pk,
            "first_name": "Noor",
            "name_prefix": "van der",
            "last_name": "Berg",
            "email": "noor@example.org",
            "date_of_birth": "1990-04-12",
            "contact_preference": "phone",
            "preferred_language": "en",
        },
    )
    changed = staff.patch(f"/people/{created.data['id']}", {"member_since": "2024-01-01"})

    assert created.status_code == 201, created.data
    assert created.data["full_name"] == "Noor van der Berg"
    assert created.data["has_login"] is False
    assert changed.status_code == 200
    assert (changed.data["is_member"], changed.data["member_since"]) == (True, "2024-01-01")
    person = Person.objects.get(pk=created.data["id"])
    assert person.household == world.household_a2
    assert person.date_of_birth == datetime.date(1990, 4, 12)
    assert person.member_since == datetime.date(2024, 1, 1)


def test_staff_creates_an_organisation_and_an_area(world):
    staff = api_as(world, "staff_a")

    organisation = staff.post(
        "/organisations",
        {
            "name": "Zorg Dichtbij",
            "kind": "care",
            "kvk_number": "12345678",
            "website": "https://zorg.example.org",
        },
    )
    area = staff.post("/areas", {"name": "Zuid", "cbs_code": "BU99000102"})

    assert organisation.status_code == 201
    assert Organisation.objects.get(pk=organisation.data["id"]).kvk_number == "12345678"
    assert area.status_code == 201
    assert area.data == {
        "id": area.data["id"],
        "neighbourhood_id": world.nbh_a.pk,
        "name": "Zuid",
        "cbs_code": "BU99000102",
        "household_count": 0,
    }


def test_staff_changes_their_neighbourhood(world):
    response = api_as(world, "staff_a").patch(
        f"/neighbourhoods/{world.nbh_a.pk}", {"kind": "dorp", "cbs_code": "WK036301"}
    )

    assert response.status_code == 200
    world.nbh_a.refresh_from_db()
    assert (world.nbh_a.kind, world.nbh_a.cbs_code) == ("dorp", "WK036301")
    assert last_audit().action == "neighbourhood_update"


def test_a_resident_reads_who_they_are(world):
    response = api_as(world, "resident_a").get("/me")

    assert response.data == {
        "user_id": world.resident_a.pk,
        "email": "bewoner-a@example.org",
        "full_name": "Anna de Vries",
        "neighbourhood": response.data["neighbourhood"],
        "person_id": world.person_a.pk,
        "household_id": world.household_a.pk,
        "is_staff": False,
        "organisation_ids": [],
    }
    assert response.data["neighbourhood"]["slug"] == "lindenhof"


def test_a_representative_sees_the_organisation_they_represent(world):
    response = api_as(world, "representative_a").get("/me")

    assert response.data["organisation_ids"] == [world.organisation_a.pk]
    assert response.data["person_id"] is None
