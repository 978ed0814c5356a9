"""The staff import pages: upload, dry-run report, confirm or cancel, and who may use them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from heelwijk.neighbourhood import actions
from heelwijk.neighbourhood.importing import RowError, batches
from heelwijk.neighbourhood.models import AuditEntry, Household
from tests.conftest import ROLES
from tests.factories import AreaFactory

from .import_files import HOUSEHOLD_ROWS, read, xlsx

pytestmark = pytest.mark.django_db

UPLOAD = "/staff/importeren/"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.HEELWIJK_IMPORT_DIR = str(tmp_path / "imports")
    return tmp_path / "imports"


@pytest.fixture
def zuid(world):
    return AreaFactory(neighbourhood=world.nbh_a, name="Zuid")


def stored_batches(import_dir) -> list[str]:
    return sorted(p.name for p in import_dir.iterdir()) if import_dir.exists() else []


def upload(client, name: str, content: bytes, kind: str = ""):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), "kind": kind})


def state(world):
    household = Household.objects.get(pk=world.household_a.pk)
    return (
        Household.objects.count(),
        AuditEntry.objects.count(),
        household.size,
        household.updated_at,
    )


def staff_batch(client_for, world, name="huishoudens.csv", content=None) -> str:
    client = client_for(world.staff_a)
    response = upload(client, name, content or read("households.csv"))
    assert response.status_code == 302
    return response.url


def test_the_urls_are_the_reserved_ones():
    assert reverse("neighbourhood:import_upload") == UPLOAD
    assert reverse("neighbourhood:import_review", args=["abc"]) == UPLOAD + "abc/"


def test_staff_see_the_upload_form_with_the_column_help_in_dutch(client_for, world):
    response = client_for(world.staff_a).get(UPLOAD)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Huishoudens, mensen of organisaties importeren</h1>" in html
    assert "Kolommen van een bestand met huishoudens" in html
    assert "<code>aantal_personen</code>" in html
    assert "<code>geboortedatum</code>" in html
    assert "alleenstaand, stel, gezin, eenoudergezin, woongroep, anders" in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "Hoogstens 20.000 rijen en 10 MB." in html


def test_upload_dry_run_confirm_and_result(client_for, world, zuid, import_dir):
    client = client_for(world.staff_a)
    before = state(world)

    response = upload(client, "huishoudens.csv", read("households.csv"))

    assert response.status_code == 302
    review_url = response.url
    assert review_url.startswith(UPLOAD)
    assert state(world) == before

    response = client.get(review_url)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.changed, report.unchanged, report.error_count) == (2, 1, 1, 0)
    html = response.content.decode()
    assert "huishoudens.csv" in html
    assert "Lindelaan 12, 1234 AB Rijnstede" in html
    assert "Bevestigen en importeren" in html
    assert state(world) == before

    response = client.post(review_url, {"fingerprint": report.fingerprint, "confirm": "1"})

    assert response.status_code == 302
    assert response.url == review_url
    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 4
    world.household_a.refresh_from_db()
    assert world.household_a.size == 5
    assert AuditEntry.objects.filter(action="household_create", actor=world.staff_a).count() == 2
    (batch_dir,) = import_dir.iterdir()
    assert not (batch_dir / "upload.bin").exists()  # the personal data is gone from disk

    response = client.get(review_url)

    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "neighbourhood/import_done.html"
    assert response.context["result"]["created"] == 2
    assert response.context["result"]["changed"] == 1
    assert "Het bestand is geïmporteerd." in response.content.decode()

    # Confirming the same batch again does nothing more.
    client.post(review_url, {"fingerprint": report.fingerprint})
    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 4


def test_an_xlsx_upload_works_the_same(client_for, world, zuid):
    client = client_for(world.staff_a)
    review_url = upload(client, "huishoudens.xlsx", xlsx(HOUSEHOLD_ROWS)).url

    report = client.get(review_url).context["report"]
    client.post(review_url, {"fingerprint": report.fingerprint})

    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 4


def test_row_errors_are_listed_and_cannot_be_confirmed(client_for, world):
    client = client_for(world.staff_a)
    before = state(world)
    review_url = upload(client, "fout.csv", read("households_bad_postcode.csv")).url

    response = client.get(review_url)

    assert response.context["report"].errors == [
        RowError(
            3,
            "postcode",
            "“12345” is geen Nederlandse postcode. Schrijf vier cijfers en twee letters, zoals "
            "1234 AB.",
        ),
        RowError(
            4,
            "postcode",
            "“1234 A” is geen Nederlandse postcode. Schrijf vier cijfers en twee letters, zoals "
            "1234 AB.",
        ),
    ]
    html = response.content.decode()
    assert "Bevestigen en importeren" not in html
    assert "Er is niets geïmporteerd. Verbeter deze rijen" in html
    assert '<td data-label="Rij">3</td>' in html

    response = client.post(review_url, {"fingerprint": "anything", "confirm": "1"})

    assert response.status_code == 200
    assert state(world) == before


def test_messages_are_in_english_for_an_english_user(client_for, world, settings):
    client = client_for(world.staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    review_url = upload(client, "fout.csv", read("households_bad_postcode.csv")).url

    response = client.get(review_url)

    html = response.content.decode()
    assert "<h1>Check the import</h1>" in html
    assert (
        "“12345” is not a Dutch postcode. Write it as four digits and two letters, like 1234 AB."
        in html
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("leeg.csv", "Het bestand is leeg."),
        ("kop.csv", "Het bestand heeft een rij met kolomnamen, maar geen rijen met gegevens."),
        ("latin1.csv", "Het bestand is niet in de codering UTF-8: in rij 2 staan tekens"),
        ("koppen.csv", "Onbekende kolomnamen: “postkode”."),
    ],
)
def test_a_file_problem_shows_on_the_upload_page_and_nothing_is_kept(
    client_for, world, import_dir, name, message
):
    content = {
        "leeg.csv": read("empty.csv"),
        "kop.csv": read("header_only.csv"),
        "latin1.csv": read("people_latin1.csv"),
        "koppen.csv": read("households_wrong_headers.csv"),
    }[name]
    before = state(world)

    response = upload(client_for(world.staff_a), name, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Dit bestand kan niet worden geïmporteerd" in response.content.decode()
    assert stored_batches(import_dir) == []
    assert state(world) == before


def test_no_file_is_a_form_error(client_for, world):
    response = client_for(world.staff_a).post(UPLOAD, {"kind": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_chosen_kind_is_kept_with_the_batch(client_for, world):
    client = client_for(world.staff_a)

    response = upload(client, "mensen.csv", read("people.csv"), kind="organisations")

    assert response.status_code == 200
    assert "Deze verplichte kolommen ontbreken: naam, soort." in response.content.decode()


def test_cancel_discards_the_file(client_for, world, import_dir):
    client = client_for(world.staff_a)
    review_url = upload(client, "huishoudens.csv", read("households.csv")).url
    before = state(world)

    response = client.post(review_url, {"cancel": "1"}, follow=True)

    assert response.redirect_chain == [(UPLOAD, 302)]
    assert "De import is afgebroken. Er is niets geïmporteerd." in response.content.decode()
    assert stored_batches(import_dir) == []
    assert client.get(review_url).status_code == 404
    assert state(world) == before


def test_an_expired_batch_is_deleted_and_says_so(client_for, world, import_dir, monkeypatch):
    client = client_for(world.staff_a)
    review_url = upload(client, "huishoudens.csv", read("households.csv")).url
    monkeypatch.setattr(batches, "LIFETIME", dt.timedelta(seconds=-1))

    response = client.get(review_url, follow=True)

    assert response.redirect_chain == [(UPLOAD, 302)]
    assert "Deze import is verlopen" in response.content.decode()
    assert stored_batches(import_dir) == []


def test_a_new_upload_purges_expired_batches(client_for, world, import_dir, monkeypatch):
    client = client_for(world.staff_a)
    upload(client, "oud.csv", read("households.csv"))
    (old,) = stored_batches(import_dir)
    monkeypatch.setattr(batches, "LIFETIME", dt.timedelta(seconds=-1))

    upload(client, "nieuw.csv", read("households.csv"))

    assert old not in stored_batches(import_dir)
    assert len(stored_batches(import_dir)) == 1


def test_confirming_after_the_data_changed_shows_the_new_report(client_for, world, zuid):
    client = client_for(world.staff_a)
    review_url = upload(client, "huishoudens.csv", read("households.csv")).url
    fingerprint = client.get(review_url).context["report"].fingerprint
    actions.household_update(actor=None, household=world.household_a, size=7)
    before = state(world)

    response = client.post(review_url, {"fingerprint": fingerprint, "confirm": "1"})

    assert response.status_code == 200
    assert response.context["outdated"]
    assert "De gegevens in Heelwijk zijn veranderd" in response.content.decode()
    assert "aantal personen: 7 → 5" in response.content.decode()
    assert state(world) == before


def test_a_second_confirmation_while_the_first_runs_does_nothing(
    client_for, world, zuid, import_dir
):
    client = client_for(world.staff_a)
    review_url = upload(client, "huishoudens.csv", read("households.csv")).url
    fingerprint = client.get(review_url).context["report"].fingerprint
    (batch_dir,) = import_dir.iterdir()
    (batch_dir / "applying.lock").touch()  # what the first request holds while it writes
    before = state(world)

    response = client.post(review_url, {"fingerprint": fingerprint, "confirm": "1"})

    assert response.status_code == 302
    assert state(world) == before


def test_the_rows_are_paginated(client_for, world, zuid, monkeypatch):
    monkeypatch.setattr("heelwijk.neighbourhood.import_views.ROWS_PER_PAGE", 3)
    client = client_for(world.staff_a)
    review_url = upload(client, "huishoudens.csv", read("households.csv")).url

    first = client.get(review_url)
    second = client.get(review_url + "?page=2")

    assert [o.row for o in first.context["page"].object_list] == [2, 3, 5]
    assert [o.row for o in second.context["page"].object_list] == [6]
    assert "Pagina 2 van 2" in second.content.decode()


@pytest.mark.parametrize("batch", ["not-a-batch", "A" * 32, "..", "%2e%2e"])
def test_unknown_batches_are_not_found(client_for, world, batch):
    assert client_for(world.staff_a).get(f"{UPLOAD}{batch}/").status_code == 404


# --- permissions ----------------------------------------------------------------------------

EXPECTED = {
    "anonymous": 302,
    "resident_a": 403,
    "resident_b": 403,
    "staff_a": 200,
    "representative_a": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_upload_page_permissions(client_for, world, role, import_dir):
    client = client_for(world.user(role))
    before = state(world)

    shown = client.get(UPLOAD)
    posted = upload(client, "huishoudens.csv", read("households.csv"))

    assert shown.status_code == EXPECTED[role]
    if role == "anonymous":
        assert shown.url == f"/accounts/login/?next={UPLOAD}"
        assert posted.status_code == 302 and posted.url.startswith("/accounts/login/")
    elif role == "staff_a":
        assert posted.status_code == 302
    else:
        assert posted.status_code == 403
    if role != "staff_a":
        assert stored_batches(import_dir) == []
    assert state(world) == before


@pytest.mark.parametrize("role", [*ROLES, "staff_b"])
def test_review_page_permissions(client_for, world, zuid, role, import_dir):
    review_url = staff_batch(client_for, world)
    fingerprint = client_for(world.staff_a).get(review_url).context["report"].fingerprint
    client = client_for(world.user(role))
    before = state(world)

    shown = client.get(review_url)
    confirmed = client.post(review_url, {"fingerprint": fingerprint, "confirm": "1"})
    cancelled = client.post(review_url, {"cancel": "1"})

    expected = {**EXPECTED, "staff_b": 404}[role]
    if role == "staff_a":
        assert shown.status_code == 200
        assert confirmed.status_code == 302
        assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 4
        return
    assert shown.status_code == expected
    assert confirmed.status_code == expected
    assert cancelled.status_code == expected
    if role == "anonymous":
        assert shown.url.startswith("/accounts/login/?next=")
    assert state(world) == before
    assert len(stored_batches(import_dir)) == 1  # the owner's batch is untouched


def test_staff_of_another_neighbourhood_import_into_their_own(client_for, world):
    client = client_for(world.staff_b)
    content = b"naam;soort\nBakkerij Nieuw;winkel\n"

    review_url = upload(client, "orgs.csv", content).url
    report = client.get(review_url).context["report"]
    client.post(review_url, {"fingerprint": report.fingerprint})

    assert world.nbh_b.organisations.filter(name="Bakkerij Nieuw").exists()
    assert not world.nbh_a.organisations.filter(name="Bakkerij Nieuw").exists()


def test_a_batch_is_only_for_the_neighbourhood_it_was_uploaded_in(client_for, world):
    from heelwijk.neighbourhood.models import Role

    review_url = staff_batch(client_for, world)
    Role.objects.create(user=world.staff_a, neighbourhood=world.nbh_b, kind=Role.Kind.STAFF)
    client = client_for(world.staff_a)
    session = client.session
    session["neighbourhood_id"] = world.nbh_b.pk
    session.save()

    assert client.get(review_url).status_code == 404
