"""Browser journey: the wijkondernemer imports a CSV of households, checks the dry run, confirms."""

import pytest
from playwright.sync_api import expect

from heelwijk.neighbourhood.models import Household
from tests.factories import PASSWORD, AreaFactory
from tests.neighbourhood.import_files import path

from .conftest import assert_accessible, assert_fits_phone


def login(page, email: str, password: str) -> None:
    # Submits with Enter rather than by the button's name, which the shared helper expects to
    # be "Inloggen" while Django admin's catalogue currently makes it "Aanmelden".
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_label("Wachtwoord").press("Enter")


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.HEELWIJK_IMPORT_DIR = str(tmp_path / "imports")


def test_staff_upload_a_csv_check_the_dry_run_and_confirm(page, world):
    AreaFactory(neighbourhood=world.nbh_a, name="Zuid")
    login(page, "staf-a@example.org", PASSWORD)

    page.goto(page.base_url + "/staff/importeren/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Huishoudens, mensen of organisaties importeren"
    )
    assert_accessible(page)
    page.get_by_label("Bestand", exact=True).set_input_files(str(path("households.csv")))
    page.get_by_role("button", name="Bestand controleren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import controleren")
    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Lindelaan 12, 1234 AB Rijnstede")
    expect(rows.nth(0)).to_contain_text("aantal personen: 4 → 5")
    expect(rows.nth(1)).to_contain_text("nieuw")
    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 2
    assert_accessible(page)

    page.get_by_role("button", name="Bevestigen en importeren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import klaar")
    expect(page.get_by_role("status")).to_contain_text("Het bestand is geïmporteerd.")
    expect(page.locator(".cards")).to_contain_text("2 nieuw")
    assert_accessible(page)
    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 4
    world.household_a.refresh_from_db()
    assert world.household_a.size == 5


def test_errors_in_a_file_are_shown_per_row_on_a_phone(phone_page, world):
    page = phone_page
    login(page, "staf-a@example.org", PASSWORD)

    page.goto(page.base_url + "/staff/importeren/")
    page.get_by_label("Bestand", exact=True).set_input_files(
        str(path("households_bad_postcode.csv"))
    )
    page.get_by_role("button", name="Bestand controleren").click()

    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("“12345” is geen Nederlandse postcode.")
    expect(page.get_by_role("button", name="Bevestigen en importeren")).to_have_count(0)
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_role("button", name="Annuleren").click()

    expect(page.get_by_role("status")).to_contain_text("De import is afgebroken.")
    assert Household.objects.filter(neighbourhood=world.nbh_a).count() == 2
