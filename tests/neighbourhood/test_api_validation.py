"""Bad input to the JSON API gets a 4xx JSON answer with a clear message and changes nothing."""

import json

import pytest
from django.db import IntegrityError

from heelwijk.neighbourhood import actions

from .test_api_support import api_as, snapshot

MAX_ID = 2**63 - 1
HOUSEHOLD = {
    "street": "Kastanjelaan",
    "house_number": 7,
    "postcode": "1234 AD",
    "city": "Rijnstede",
}


@pytest.fixture
def staff(world):
    caller = api_as(world, "staff_a")
    caller.headers["Accept-Language"] = "en"
    return caller


def errors_by_field(response) -> dict[str, str]:
    """422 errors as {field: message}, for exact assertions."""
    return {error["loc"][-1]: error["msg"] for error in response.data["errors"]}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"/households/{MAX_ID + 1}", "Input should be less than or equal to 9223372036854775807"),
        ("/households/99999999999999999999999999", None),
        ("/households/0", "Input should be greater than or equal to 1"),
        ("/households/-5", "Input should be greater than or equal to 1"),
        (
            "/households/abc",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        ("/people/1.5", "Input should be a valid integer, unable to parse string as an integer"),
        (f"/areas/{MAX_ID + 1}", "Input should be less than or equal to 9223372036854775807"),
        (f"/organisations/{2**70}", "Input should be less than or equal to 9223372036854775807"),
        (f"/neighbourhoods/{2**64}", "Input should be less than or equal to 9223372036854775807"),
        (f"/tokens/{2**64}/revoke", "Input should be less than or equal to 9223372036854775807"),
    ],
)
def test_bad_ids_are_refused_with_422(world, staff, path, message):
    method = staff.post if path.endswith("revoke") else staff.get
    response = method(path)

    assert response.status_code == 422
    assert response.data["detail"] == "The request does not match the schema."
    if message:
        assert response.data["errors"][0]["msg"] == message


def test_the_largest_id_is_simply_not_found(world, staff):
    response = staff.get(f"/households/{MAX_ID}")

    assert response.status_code == 404
    assert response.data == {"detail": "Not found."}


def test_a_row_of_another_neighbourhood_is_not_found(world, staff):
    before = snapshot(world.household_b)

    read = staff.get(f"/households/{world.household_b.pk}")
    change = staff.patch(f"/households/{world.household_b.pk}", {"size": 9})

    assert (read.status_code, change.status_code) == (404, 404)
    assert read.data == change.data == {"detail": "Not found."}
    assert snapshot(world.household_b) == before


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"limit": 0}, "limit", "Input should be greater than or equal to 1"),
        ({"limit": 101}, "limit", "Input should be less than or equal to 100"),
        ({"offset": -1}, "offset", "Input should be greater than or equal to 0"),
        ({"offset": 10**10}, "offset", "Input should be less than or equal to 1000000000"),
        (
            {"area": "noord"},
            "area",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        ({"area": 2**64}, "area", "Input should be less than or equal to 9223372036854775807"),
        (
            {"composition": "big"},
            "composition",
            "Input should be 'single', 'couple', 'family', 'single_parent', 'shared' or 'other'",
        ),
        ({"search": "a b c d e f g h i"}, "search", "Search for at most 8 words."),
        ({"search": "x" * 101}, "search", "String should have at most 100 characters"),
        ({"search": "Linde\x00"}, "search", "Remove the control character from this text."),
    ],
)
def test_bad_list_parameters_are_refused(world, staff, params, field, message):
    response = staff.get("/households", **params)

    assert response.status_code == 422
    assert errors_by_field(response) == {field: message}


def test_filters_on_the_organisation_kind_must_be_a_known_kind(world, staff):
    response = staff.get("/organisations", kind="bank")

    assert response.status_code == 422
    assert errors_by_field(response) == {
        "kind": "Input should be 'municipality', 'housing', 'care', 'school', 'company', 'shop', "
        "'foundation' or 'wijkbedrijf'"
    }


def test_a_household_with_every_field_wrong_gets_one_message_per_field(world, staff):
    before = snapshot()

    response = staff.post(
        "/households",
        {
            "area_id": "1",
            "street": "   ",
            "house_number": 0,
            "postcode": "0123 AB",
            "city": "R" * 121,
            "composition": "large",
            "size": True,
            "colour": "green",
        },
    )

    assert response.status_code == 422
    assert errors_by_field(response) == {
        "area_id": "Input should be a valid integer",
        "street": "This field cannot be empty.",
        "house_number": "Input should be greater than or equal to 1",
        "postcode": "Enter a Dutch postcode such as 1234 AB.",
        "city": "Use at most 120 characters (now 121).",
        "composition": (
            "Input should be 'single', 'couple', 'family', 'single_parent', 'shared' or 'other'"
        ),
        "size": "Input should be a valid integer",
        "colour": "Extra inputs are not permitted",
    }
    assert snapshot() == before


def test_missing_required_fields_are_named(world, staff):
    response = staff.post("/households", {"street": "Kastanjelaan"})

    assert response.status_code == 422
    assert errors_by_field(response) == {
        "area_id": "Field required",
        "house_number": "Field required",
        "postcode": "Field required",
        "city": "Field required",
    }


@pytest.mark.parametrize(
    "postcode", ["1234 A", "123 AB", "12345", "1234 A1", "ABCD EF", "1234 A B", "", "0000 AA"]
)
def test_invalid_postcodes_are_refused(world, staff, postcode):
    before = snapshot()

    response = staff.post(
        "/households", {**HOUSEHOLD, "area_id": world.area_a.pk, "postcode": postcode}
    )

    assert response.status_code == 422
    assert errors_by_field(response) == {"postcode": "Enter a Dutch postcode such as 1234 AB."}
    assert snapshot() == before


@pytest.mark.parametrize("typed", ["1234ad", "1234 ad", " 1234AD ", "1234  AD", "1234 AD"])
def test_a_postcode_is_stored_in_one_form(world, staff, typed):
    response = staff.post(
        "/households", {**HOUSEHOLD, "area_id": world.area_a.pk, "postcode": typed}
    )

    assert response.status_code == 201, response.data
    assert response.data["postcode"] == "1234 AD"


def test_an_address_is_taken_once_however_its_postcode_is_typed(world, staff):
    before = snapshot()

    response = staff.post(
        "/households",
        {**HOUSEHOLD, "area_id": world.area_a.pk, "postcode": "1234ab", "house_number": 12},
    )

    assert response.status_code == 400
    assert response.data == {
        "detail": "The data is not valid.",
        "errors": {"house_number": ["There is already a household at this address."]},
    }
    assert snapshot() == before


def test_an_area_of_another_neighbourhood_is_refused(world, staff):
    before = snapshot(world.household_a)

    created = staff.post("/households", {**HOUSEHOLD, "area_id": world.area_b.pk})
    moved = staff.patch(f"/households/{world.household_a.pk}", {"area_id": world.area_b.pk})

    expected = {
        "detail": "The data is not valid.",
        "errors": {"area_id": ["There is no area with this id in this neighbourhood."]},
    }
    assert (created.status_code, moved.status_code) == (400, 400)
    assert created.data == moved.data == expected
    assert snapshot(world.household_a) == before


def test_a_household_of_another_neighbourhood_is_refused_for_a_person(world, staff):
    before = snapshot(world.person_a)

    created = staff.post(
        "/people",
        {"first_name": "Noor", "last_name": "Visser", "household_id": world.household_b.pk},
    )
    moved = staff.patch(f"/people/{world.person_a.pk}", {"household_id": world.household_b.pk})

    expected = {
        "detail": "The data is not valid.",
        "errors": {"household_id": ["There is no household with this id in this neighbourhood."]},
    }
    assert created.data == moved.data == expected
    assert (created.status_code, moved.status_code) == (400, 400)
    assert snapshot(world.person_a) == before


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        (
            "/people",
            {"first_name": "Anne", "last_name": "Vries", "email": "bewoner-a@example.org"},
            "email",
            "Someone in this neighbourhood already has this e-mail address.",
        ),
        (
            "/organisations",
            {"name": "Gemeente Rijnstede", "kind": "municipality"},
            "name",
            "An organisation with this name already exists in this neighbourhood.",
        ),
        (
            "/areas",
            {"name": "Noord"},
            "name",
            "Area with this name already exists in this neighbourhood.",
        ),
    ],
)
def test_duplicates_are_refused_with_a_message(world, staff, path, body, field, message):
    before = snapshot()

    response = staff.post(path, body)

    assert response.status_code == 400
    assert response.data == {"detail": "The data is not valid.", "errors": {field: [message]}}
    assert snapshot() == before


def test_a_second_wijkbedrijf_is_refused(world, staff):
    first = staff.post("/organisations", {"name": "Wijkbedrijf Lindenhof", "kind": "wijkbedrijf"})
    before = snapshot()

    second = staff.post("/organisations", {"name": "Nog een wijkbedrijf", "kind": "wijkbedrijf"})

    assert first.status_code == 201
    assert second.status_code == 400
    assert second.data["errors"] == {"kind": ["This neighbourhood already has a wijkbedrijf."]}
    assert snapshot() == before


def test_a_duplicate_saved_at_the_same_moment_answers_409(world, staff, monkeypatch):
    def lose_the_race(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: neighbourhood_area.name")

    monkeypatch.setattr(actions, "area_create", lose_the_race)

    response = staff.post("/areas", {"name": "Zuid"})

    assert response.status_code == 409
    assert response.data == {
        "detail": "This conflicts with data that was saved at the same moment. Nothing changed."
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"first_name": "Noor\x00"}, "first_name", "Remove the control character from this text."),
        (
            {"first_name": "No\ud800or"},
            "first_name",
            "Remove the control character from this text.",
        ),
        ({"first_name": 7}, "first_name", "Send text (a JSON string)."),
        ({"email": "noor@"}, "email", "Enter a valid e-mail address."),
        ({"phone": "bel maar"}, "phone", "A phone number holds only digits, spaces and + ( ) -."),
        (
            {"date_of_birth": "31-05-1980"},
            "date_of_birth",
            "Give a date as YYYY-MM-DD, e.g. 1980-05-31.",
        ),
        (
            {"date_of_birth": 328579200},
            "date_of_birth",
            "Give a date as YYYY-MM-DD, e.g. 1980-05-31.",
        ),
        ({"date_of_birth": "1980-02-30"}, "date_of_birth", None),
        (
            {"date_of_birth": "2999-01-01"},
            "date_of_birth",
            "A date of birth lies between 1900-01-01 and today.",
        ),
        ({"contact_preference": "pigeon"}, "contact_preference", None),
        ({"preferred_language": "de"}, "preferred_language", "Input should be 'nl' or 'en'"),
        ({"household_id": "12"}, "household_id", None),
    ],
)
def test_bad_person_fields(world, staff, body, field, message):
    before = snapshot()

    response = staff.post("/people", {"first_name": "Noor", "last_name": "Visser", **body})

    assert response.status_code == 422
    assert list(errors_by_field(response)) == [field]
    if message:
        assert errors_by_field(response)[field] == message
    assert snapshot() == before


def test_patch_refuses_null_for_a_required_field_but_clears_an_optional_one(world, staff):
    before = snapshot(world.person_a)

    refused = staff.patch(f"/people/{world.person_a.pk}", {"last_name": None})
    assert snapshot(world.person_a) == before
    cleared = staff.patch(f"/people/{world.person_a.pk}", {"household_id": None})

    assert refused.status_code == 422
    assert errors_by_field(refused) == {"last_name": "Send text (a JSON string)."}
    assert cleared.status_code == 200
    assert cleared.data["household_id"] is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kvk_number": "1234567"}, "kvk_number", "A KvK number has 8 digits."),
        (
            {"website": "ftp://files.example.org"},
            "website",
            "Enter a web address that starts with http:// or https://.",
        ),
        ({"kind": "bank"}, "kind", None),
        ({"name": "x" * 161}, "name", "Use at most 160 characters (now 161)."),
    ],
)
def test_bad_organisation_fields(world, staff, body, field, message):
    before = snapshot(world.organisation_a)

    response = staff.patch(f"/organisations/{world.organisation_a.pk}", body)

    assert response.status_code == 422
    assert list(errors_by_field(response)) == [field]
    if message:
        assert errors_by_field(response)[field] == message
    assert snapshot(world.organisation_a) == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"slug": "nieuw wijk"}, "slug", "Use only letters, digits, hyphens and underscores."),
        ({"cbs_code": "XX1234"}, "cbs_code", "A CBS code looks like WK036301."),
        ({"kind": "stad"}, "kind", "Input should be 'wijk' or 'dorp'"),
    ],
)
def test_bad_neighbourhood_fields(world, staff, body, field, message):
    before = snapshot(world.nbh_a)

    response = staff.patch(f"/neighbourhoods/{world.nbh_a.pk}", body)

    assert response.status_code == 422
    assert errors_by_field(response) == {field: message}
    assert snapshot(world.nbh_a) == before


def test_a_slug_in_use_is_refused(world, staff):
    before = snapshot(world.nbh_a)

    response = staff.patch(f"/neighbourhoods/{world.nbh_a.pk}", {"slug": "eikendal"})

    assert response.status_code == 400
    assert list(response.data["errors"]) == ["slug"]
    assert snapshot(world.nbh_a) == before


@pytest.mark.parametrize(
    ("raw", "status", "detail"),
    [
        ("not json", 400, "Cannot parse request body"),
        ('{"name": ', 400, "Cannot parse request body"),
        ("[1, 2]", 422, "The request does not match the schema."),
        ('"Zuid"', 422, "The request does not match the schema."),
        ("null", 422, "The request does not match the schema."),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(world, staff, raw, status, detail):
    before = snapshot()

    response = staff.post("/areas", raw)

    assert response.status_code == status
    assert response.data["detail"] == detail
    assert snapshot() == before


def test_errors_are_dutch_by_default(world):
    caller = api_as(world, "staff_a")

    response = caller.post("/households", {**HOUSEHOLD, "area_id": world.area_b.pk})
    schema = caller.post("/households", {**HOUSEHOLD, "area_id": world.area_a.pk, "postcode": "1"})

    assert response.data == {
        "detail": "De gegevens kloppen niet.",
        "errors": {"area_id": ["Er is geen buurt met dit nummer in deze wijk."]},
    }
    assert errors_by_field(schema) == {
        "postcode": "Vul een Nederlandse postcode in, zoals 1234 AB."
    }


def test_an_empty_patch_changes_nothing(world, staff):
    before = snapshot(world.household_a)

    response = staff.patch(f"/households/{world.household_a.pk}", {})

    assert response.status_code == 200
    assert response.data["id"] == world.household_a.pk
    assert snapshot(world.household_a) == before


def test_validation_error_bodies_are_plain_json(world, staff):
    response = staff.post("/people", {"first_name": "Noor", "last_name": "Visser", "email": "x"})

    assert json.loads(response.content)["errors"][0]["loc"] == ["body", "payload", "email"]
