"""Importing households, people and organisations: dry run, per-row errors, apply, idempotence."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from heelwijk.neighbourhood import actions
from heelwijk.neighbourhood.importing import (
    CHANGE,
    CREATE,
    UNCHANGED,
    RowError,
    import_apply,
    import_preview,
)
from heelwijk.neighbourhood.importing.planner import Change
from heelwijk.neighbourhood.models import AuditEntry, Household, Organisation, Person
from tests.factories import AreaFactory, PersonFactory

from .import_files import HOUSEHOLD_ROWS, ORGANISATION_ROWS, PEOPLE_ROWS, read, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def zuid(world):
    return AreaFactory(neighbourhood=world.nbh_a, name="Zuid")


def preview(world, content, kind=None):
    return import_preview(neighbourhood=world.nbh_a, content=content, filename="f", kind=kind)


def apply(world, content, kind=None, **kwargs):
    return import_apply(
        actor=world.staff_a,
        neighbourhood=world.nbh_a,
        content=content,
        filename="f",
        kind=kind,
        **kwargs,
    )


def snapshot(world):
    """Everything an import could touch, to prove a refused import changed nothing."""
    household = Household.objects.get(pk=world.household_a.pk)
    person = Person.objects.get(pk=world.person_a.pk)
    organisation = Organisation.objects.get(pk=world.organisation_a.pk)
    return {
        "households": Household.objects.count(),
        "people": Person.objects.count(),
        "organisations": Organisation.objects.count(),
        "audit": AuditEntry.objects.count(),
        "household_a": (
            household.street,
            household.size,
            household.composition,
            household.updated_at,
        ),
        "person_a": (
            person.phone,
            person.contact_preference,
            person.member_since,
            person.updated_at,
        ),
        "organisation_a": (organisation.email, organisation.website, organisation.updated_at),
        "every_row": [
            list(model.objects.order_by("pk").values_list("pk", "updated_at"))
            for model in (Household, Person, Organisation)
        ],
    }


def summary(report):
    return [(o.row, o.action, o.description) for o in report.outcomes]


# --- households -----------------------------------------------------------------------------


def test_households_dry_run_shows_what_would_happen_and_writes_nothing(world, zuid):
    before = snapshot(world)

    report = preview(world, read("households.csv"))

    assert report.ok
    assert report.kind == "households"
    assert report.kind_detected
    assert report.rows_read == 4
    assert summary(report) == [
        (2, CHANGE, "Lindelaan 12, 1234 AB Rijnstede"),
        (3, CREATE, "Eikenweg 7a, 1234 AD Rijnstede"),
        (5, CREATE, "Eikenweg 9, 1234 AD Rijnstede"),
        (6, UNCHANGED, "Beukenstraat 3, 1234 AC Rijnstede"),
    ]
    assert report.outcomes[0].changes == [Change("number of people", "4", "5")]
    assert (report.created, report.changed, report.unchanged) == (2, 1, 1)
    assert snapshot(world) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_good_household_file_is_applied_and_audited(world, zuid, fmt):
    content = read("households.csv") if fmt == "csv" else xlsx(HOUSEHOLD_ROWS)
    audit_before = AuditEntry.objects.count()

    result = apply(world, content)

    assert result.applied
    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 4
    assert Household.objects.filter(neighbourhood=world.nbh_b).count() == 1
    world.household_a.refresh_from_db()
    assert (world.household_a.size, world.household_a.composition) == (5, "family")
    created = Household.objects.filter(street="Eikenweg").order_by("house_number")
    assert [
        (
            h.house_number,
            h.house_number_suffix,
            h.postcode,
            h.city,
            h.area.name,
            h.composition,
            h.size,
        )
        for h in created
    ] == [
        (7, "a", "1234 AD", "Rijnstede", "Noord", "single", 1),
        (9, "", "1234 AD", "Rijnstede", "Zuid", "couple", 2),
    ]
    new_audit = AuditEntry.objects.filter(pk__gt=0).order_by("id")[audit_before:]
    assert sorted(e.action for e in new_audit) == [
        "data_import",
        "household_create",
        "household_create",
        "household_update",
    ]
    update = AuditEntry.objects.get(action="household_update")
    assert update.changes == {"size": [4, 5]}
    assert update.actor == world.staff_a
    summary_entry = AuditEntry.objects.get(action="data_import")
    assert summary_entry.changes == {
        "kind": "households",
        "file": "f",
        "created": 2,
        "changed": 1,
        "unchanged": 1,
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, zuid, fmt):
    content = read("households.csv") if fmt == "csv" else xlsx(HOUSEHOLD_ROWS)
    apply(world, content)
    before = snapshot(world)

    second = apply(world, content)

    assert second.applied
    assert (second.report.created, second.report.changed, second.report.unchanged) == (0, 0, 4)
    assert snapshot(world) == before  # not even an audit entry


def test_bad_postcodes_are_reported_per_row_and_nothing_is_imported(world):
    before = snapshot(world)

    result = apply(world, read("households_bad_postcode.csv"))

    assert not result.applied
    assert result.report.errors == [
        RowError(
            3,
            "postcode",
            "“12345” is not a Dutch postcode. Write it as four digits and two letters, like "
            "1234 AB.",
        ),
        RowError(
            4,
            "postcode",
            "“1234 A” is not a Dutch postcode. Write it as four digits and two letters, like "
            "1234 AB.",
        ),
    ]
    assert summary(result.report) == [(2, CREATE, "Eikenweg 7, 1234 AD Rijnstede")]
    assert snapshot(world) == before


def test_the_postcode_message_is_in_dutch_for_a_dutch_user(world):
    with translation.override("nl"):
        report = preview(world, read("households_bad_postcode.csv"))

    assert report.errors[0] == RowError(
        3,
        "postcode",
        "“12345” is geen Nederlandse postcode. Schrijf vier cijfers en twee letters, zoals "
        "1234 AB.",
    )


def test_an_unknown_area_is_reported_with_the_known_areas(world):
    before = snapshot(world)

    result = apply(world, read("households_unknown_area.csv"))

    assert not result.applied
    assert result.report.errors == [
        RowError(3, "area", "Lindenhof has no area “Zuidpunt”. Known areas: Noord.")
    ]
    assert snapshot(world) == before


def test_an_area_of_another_neighbourhood_is_unknown(world):
    content = b"straat;huisnummer;postcode;plaats;buurt\nEikenweg;7;1234 AD;Rijnstede;Dorpskern\n"

    report = preview(world, content)

    assert report.errors == [
        RowError(2, "buurt", "Lindenhof has no area “Dorpskern”. Known areas: Noord.")
    ]


def test_every_problem_of_a_household_row_is_reported_in_column_order(world):
    content = (
        b"street,house_number,addition,postcode,town,area,composition,size\n"
        b",0,,1234 AB,Rijnstede,Noord,castle,0\n"
        b"Eikenweg,7b,c,1234 AB,Rijnstede,Noord,,\n"
        b"Eikenweg,7,,1234 ad,Rijnstede,Noord,,\n"
        b"Eikenweg,7,,1234AD,Rijnstede,Noord,,3\n"
        b"Eikenweg,7,,1234AD,Rijnstede,Noord,,3\n"
    )

    report = preview(world, content)

    assert report.errors == [
        RowError(2, "street", "This cell is empty, but it must be filled in."),
        RowError(2, "house_number", "“0” is not a house number. Write a number such as 12 or 12a."),
        RowError(
            2,
            "composition",
            "“castle” is not one of the choices. Use one of: single, couple, family, "
            "single_parent, shared, other.",
        ),
        RowError(2, "size", "0 is outside the range 1 to 99."),
        RowError(
            3,
            "house_number",
            "The house number has an addition (b) and the addition column is filled in too. "
            "Use one of them.",
        ),
        RowError(5, "", "This address is also in row 4."),
        RowError(6, "", "This row is the same as row 5."),
    ]
    assert summary(report) == [(4, CREATE, "Eikenweg 7, 1234 AD Rijnstede")]


def test_households_match_on_postcode_number_and_addition_whatever_their_spelling(world):
    actions.household_create(
        actor=None,
        neighbourhood=world.nbh_a,
        area=world.area_a,
        street="Eikenweg",
        house_number=7,
        house_number_suffix="a",
        postcode="1234AD",
        city="Rijnstede",
    )
    content = b"straat;huisnummer;postcode;plaats;buurt\nEikenweg;7A;1234 ad;Rijnstede;noord\n"

    report = preview(world, content)

    assert summary(report) == [(2, UNCHANGED, "Eikenweg 7a, 1234AD Rijnstede")]


# --- file-level problems --------------------------------------------------------------------


def test_wrong_headers_are_named_and_nothing_is_imported(world):
    before = snapshot(world)

    result = apply(world, read("households_wrong_headers.csv"))

    assert not result.applied
    assert result.report.file_errors == [
        "Unknown column names: “postkode”. A file of this kind may have these columns: street, "
        "house_number, addition, postcode, town, area, composition, size.",
        "Required columns are missing: postcode.",
    ]
    assert result.report.outcomes == []
    assert snapshot(world) == before


def test_wrong_headers_in_dutch_name_the_dutch_columns(world):
    with translation.override("nl"):
        report = preview(world, read("households_wrong_headers.csv"))

    assert report.file_errors == [
        "Onbekende kolomnamen: “postkode”. Een bestand van deze soort mag deze kolommen hebben: "
        "straat, huisnummer, toevoeging, postcode, plaats, buurt, samenstelling, "
        "aantal_personen.",
        "Deze verplichte kolommen ontbreken: postcode.",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty."),
        ("header_only.csv", "The file has a header row but no rows with data."),
        (
            "people_latin1.csv",
            "The file is not in the UTF-8 encoding: row 2 holds characters that are not UTF-8 "
            "(perhaps it was saved as Windows-1252 or Latin-1). Heelwijk does not guess the "
            "encoding, because a wrong guess garbles names such as Zoë or Çelik. Save the file "
            "as CSV UTF-8 (in Excel: Save as, then CSV UTF-8) and upload it again.",
        ),
    ],
)
def test_unusable_files_are_refused_as_a_whole(world, name, message):
    before = snapshot(world)

    result = apply(world, read(name))

    assert not result.applied
    assert result.report.file_errors == [message]
    assert result.report.errors == []
    assert snapshot(world) == before


def test_headers_nobody_knows(world):
    report = preview(world, b"prijs;aantal\n3;4\n")

    assert report.file_errors == [
        "None of the column names in the first row is known, so it is not clear what the file "
        "holds. The first row must hold column names, such as straat, huisnummer, postcode and "
        "buurt for households; voornaam and achternaam for people; naam and soort for "
        "organisations."
    ]


def test_headers_that_fit_two_kinds_equally_ask_for_the_kind(world):
    report = preview(world, b"postcode;huisnummer\n1234 AB;12\n")

    assert report.file_errors == [
        "The column names fit more than one kind of file. Choose the kind yourself."
    ]


def test_a_chosen_kind_is_checked_against_the_headers(world):
    report = preview(world, read("people.csv"), kind="organisations")

    assert report.kind == "organisations"
    assert not report.kind_detected
    assert report.file_errors[-1] == "Required columns are missing: name, kind."


def test_two_headers_with_one_meaning_are_refused(world):
    report = preview(world, b"naam;soort;organisatie\nA;winkel;B\n")

    assert report.file_errors == [
        "The columns “naam” and “organisatie” mean the same. Keep one of them."
    ]


# --- people ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_good_people_file_is_applied(world, fmt):
    content = read("people.csv") if fmt == "csv" else xlsx(PEOPLE_ROWS)

    dry = preview(world, content)
    result = apply(world, content)

    assert dry.kind == "people"
    assert summary(dry) == [
        (2, CHANGE, "Anna de Vries (bewoner-a@example.org)"),
        (3, CREATE, "Zoë Çelik (zoe@example.org)"),
        (4, CREATE, "Piet van der Berg"),
    ]
    assert dry.outcomes[0].changes == [
        Change("phone", "—", "06-12345678"),
        Change("preferred contact", "e-mail", "phone"),
        Change("member since", "—", "2024-01-15"),
    ]
    assert result.applied
    assert Person.objects.filter(neighbourhood=world.nbh_a).count() == 3
    anna = Person.objects.get(pk=world.person_a.pk)
    assert (anna.phone, anna.contact_preference, anna.member_since, anna.household) == (
        "06-12345678",
        "phone",
        dt.date(2024, 1, 15),
        world.household_a,
    )
    zoe = Person.objects.get(email="zoe@example.org")
    assert (
        zoe.first_name,
        zoe.last_name,
        zoe.date_of_birth,
        zoe.contact_preference,
        zoe.household,
        zoe.neighbourhood,
    ) == ("Zoë", "Çelik", dt.date(1990, 2, 14), "email", world.household_a2, world.nbh_a)
    piet = Person.objects.get(last_name="Berg")
    assert (piet.name_prefix, piet.email, piet.date_of_birth, piet.contact_preference) == (
        "van der",
        "",
        dt.date(1955, 5, 1),
        "post",
    )
    assert piet.household is None

    again = apply(world, content)
    assert (again.report.created, again.report.changed, again.report.unchanged) == (0, 0, 3)


def test_duplicate_people_in_the_file_and_in_the_neighbourhood(world):
    PersonFactory(
        household=world.household_a2,
        first_name="Bram",
        last_name="Bakker",
        email="b.bakker@example.org",
        date_of_birth=dt.date(1985, 6, 30),
    )
    before = snapshot(world)

    result = apply(world, read("people_duplicates.csv"))

    assert not result.applied
    assert result.report.errors == [
        RowError(3, "e-mailadres", "The e-mail address KAREL@example.org is also in row 2."),
        RowError(4, "", "Same name and date of birth as row 2."),
        RowError(
            6,
            "e-mailadres",
            "Bram Bakker already exists with another e-mail address (b.bakker@example.org).",
        ),
    ]
    # An e-mail address already known in the neighbourhood is the same person, not a new one.
    assert summary(result.report) == [
        (2, CREATE, "Karel Smit (karel@example.org)"),
        (5, UNCHANGED, "Anna de Vries (bewoner-a@example.org)"),
    ]
    assert snapshot(world) == before
    assert not Person.objects.filter(last_name="Smit").exists()


def test_a_person_found_by_email_and_another_by_name_and_birth_date_is_refused(world):
    PersonFactory(
        household=world.household_a2,
        first_name="Anna",
        name_prefix="de",
        last_name="Vries",
        email="anna.2@example.org",
        date_of_birth=dt.date(1980, 1, 1),
    )
    content = b"voornaam;tussenvoegsel;achternaam;e-mailadres;geboortedatum\n" + (
        b"Anna;de;Vries;bewoner-a@example.org;1980-01-01\n"
    )

    report = preview(world, content)

    assert report.errors == [
        RowError(
            2,
            "e-mailadres",
            "Anna de Vries, born 1980-01-01, already exists with another e-mail address "
            "(anna.2@example.org), while bewoner-a@example.org belongs to Anna de Vries.",
        )
    ]


def test_people_are_matched_by_name_and_birth_date_and_get_their_email(world):
    existing = PersonFactory(
        household=world.household_a2,
        first_name="Karel",
        last_name="Smit",
        date_of_birth=dt.date(1970, 3, 1),
    )
    content = b"voornaam;achternaam;e-mailadres;geboortedatum\nkarel;SMIT;k@example.org;1-3-1970\n"

    result = apply(world, content)

    assert summary(result.report) == [(2, CHANGE, "Karel Smit (k@example.org)")]
    existing.refresh_from_db()
    assert (existing.email, existing.first_name, existing.last_name) == (
        "k@example.org",
        "karel",
        "SMIT",
    )


def test_people_without_email_are_matched_by_name_and_household(world):
    content = b"voornaam;tussenvoegsel;achternaam;postcode;huisnummer\nAnna;de;Vries;1234AB;12\n"

    assert summary(preview(world, content)) == [
        (2, UNCHANGED, "Anna de Vries (bewoner-a@example.org)")
    ]


def test_person_rows_that_cannot_be_linked_or_recognised(world):
    content = (
        b"first_name,last_name,email,postcode,house_number,date_of_birth,contact_preference\n"
        b"Jan,Jansen,,9999 ZZ,1,,\n"
        b"Piet,Pietersen,,,,,\n"
        b"Kees,Kok,kees@,1234 AB,,,\n"
        b"Lies,Lam,lies@example.org,,,2999-01-01,duif\n"
    )

    report = preview(world, content)

    assert report.errors == [
        RowError(
            2,
            "postcode",
            "There is no household at 9999 ZZ 1 in Lindenhof. Import the households first.",
        ),
        RowError(
            3,
            "",
            "Give an e-mail address, a date of birth or a household address, so this person can "
            "be recognised when a file is imported again.",
        ),
        RowError(4, "email", "“kees@” is not a valid e-mail address."),
        RowError(
            4,
            "house_number",
            "To link this person to a household, give both its postcode and its house number.",
        ),
        RowError(5, "date_of_birth", "The date 2999-01-01 lies in the future."),
        RowError(
            5,
            "contact_preference",
            "“duif” is not one of the choices. Use one of: email, phone, post, in_person.",
        ),
    ]


def test_moving_a_person_shows_the_old_and_new_household(world):
    content = b"e-mailadres;voornaam;achternaam;postcode;huisnummer\n" + (
        b"bewoner-a@example.org;Anna;Vries;1234 AC;3\n"
    )

    result = apply(world, content)

    assert result.report.outcomes[0].changes == [
        Change("household", "Lindelaan 12, 1234 AB Rijnstede", "Beukenstraat 3, 1234 AC Rijnstede")
    ]
    world.person_a.refresh_from_db()
    assert world.person_a.household == world.household_a2


def test_a_household_of_another_neighbourhood_is_not_found(world):
    content = b"voornaam;achternaam;postcode;huisnummer\nBram;Bakker;5678 CD;1\n"

    report = preview(world, content)

    assert report.errors == [
        RowError(
            2,
            "postcode",
            "There is no household at 5678 CD 1 in Lindenhof. Import the households first.",
        )
    ]


# --- organisations --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_good_organisation_file_is_applied(world, fmt):
    content = read("organisations.csv") if fmt == "csv" else xlsx(ORGANISATION_ROWS)

    result = apply(world, content)

    assert result.applied
    assert summary(result.report) == [
        (2, CHANGE, "Gemeente Rijnstede"),
        (3, CREATE, "Bakkerij De Linde"),
        (4, CREATE, "Wijkbedrijf Lindenhof"),
    ]
    assert result.report.outcomes[0].changes == [
        Change("e-mail address", "—", "info@rijnstede.nl"),
        Change("website", "—", "https://rijnstede.nl"),
    ]
    assert Organisation.objects.filter(neighbourhood=world.nbh_a).count() == 3
    bakery = Organisation.objects.get(name="Bakkerij De Linde")
    assert (bakery.kind, bakery.kvk_number, bakery.website, bakery.address) == (
        "shop",
        "12345678",
        "https://bakkerijdelinde.nl",
        "Lindelaan 1",
    )
    wijkbedrijf = Organisation.objects.get(kind="wijkbedrijf")
    assert (wijkbedrijf.name, wijkbedrijf.kvk_number, wijkbedrijf.phone) == (
        "Wijkbedrijf Lindenhof",
        "87654321",
        "030-1234567",
    )
    again = apply(world, content)
    assert (again.report.created, again.report.changed, again.report.unchanged) == (0, 0, 3)


def test_organisations_of_another_neighbourhood_are_not_touched(world):
    content = b"naam;soort\nBakkerij Eikendal;winkel\n"

    result = apply(world, content)

    assert summary(result.report) == [(2, CREATE, "Bakkerij Eikendal")]
    assert Organisation.objects.filter(name="Bakkerij Eikendal").count() == 2
    world.organisation_b.refresh_from_db()
    assert world.organisation_b.neighbourhood == world.nbh_b


def test_a_second_wijkbedrijf_is_refused(world):
    actions.organisation_create(
        actor=None, neighbourhood=world.nbh_a, name="Wijkbedrijf Oud", kind="wijkbedrijf"
    )
    content = (
        b"naam;soort;kvk\n"
        b"Wijkbedrijf Nieuw;wijkbedrijf;12345678\n"
        b"wijkbedrijf oud;wijkbedrijf;\n"
        b"Bakkerij;winkel;123\n"
    )

    report = preview(world, content)

    assert report.errors == [
        RowError(2, "soort", "Lindenhof already has a wijkbedrijf: Wijkbedrijf Oud."),
        RowError(4, "kvk", "“123” is not a KvK number. A KvK number has 8 digits."),
    ]
    assert summary(report) == [(3, UNCHANGED, "wijkbedrijf oud")]


# --- applying -------------------------------------------------------------------------------


def test_a_row_failing_while_saving_rolls_back_every_row(world, zuid, monkeypatch):
    from heelwijk.neighbourhood.importing import applier

    real_create = applier._CREATE["households"]
    calls = []

    def create_then_fail(**kwargs):
        calls.append(kwargs["street"])
        if len(calls) == 2:
            raise ValidationError("the disk is full")
        return real_create(**kwargs)

    monkeypatch.setitem(applier._CREATE, "households", create_then_fail)
    before = snapshot(world)

    result = apply(world, read("households.csv"))

    assert not result.applied
    assert calls == ["Eikenweg", "Eikenweg"]
    assert result.report.errors == [RowError(5, "", "Could not be saved: the disk is full")]
    assert snapshot(world) == before  # the update of row 2 and the create of row 3 are gone


def test_apply_refuses_when_the_data_changed_since_the_dry_run(world, zuid):
    dry = preview(world, read("households.csv"))
    actions.household_update(actor=None, household=world.household_a, size=6)
    before = snapshot(world)

    result = apply(world, read("households.csv"), fingerprint=dry.fingerprint)

    assert not result.applied
    assert result.outdated
    assert result.report.outcomes[0].changes == [Change("number of people", "6", "5")]
    assert snapshot(world) == before


def test_apply_with_the_dry_runs_fingerprint_imports(world, zuid):
    dry = preview(world, read("households.csv"))

    result = apply(world, read("households.csv"), fingerprint=dry.fingerprint)

    assert result.applied
    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 4
