"""Browser journeys: a resident downloads their data; staff erase a person's data on request."""

import json
from pathlib import Path

from playwright.sync_api import expect

from heelwijk.neighbourhood.models import Person
from tests.factories import PASSWORD

from .conftest import assert_accessible, assert_fits_phone, login


def test_resident_downloads_all_their_data(phone_page, world):
    page = phone_page
    login(page, "bewoner-a@example.org", PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download al mijn gegevens (JSON-bestand)").click()
    download = download_info.value
    assert download.suggested_filename == f"heelwijk-gegevens-{world.person_a.pk}.json"
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert document["neighbourhood"]["person"]["first_name"] == "Anna"
    assert document["accounts"]["login"]["email"] == "bewoner-a@example.org"


def test_staff_erase_a_persons_data_on_request(phone_page, world):
    page = phone_page
    login(page, "staf-a@example.org", PASSWORD)
    page.goto(f"{page.base_url}/staff/mensen/{world.person_a.pk}/")
    page.get_by_role("link", name="Wis de persoonsgegevens van deze persoon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Persoonsgegevens wissen")
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_label("Waarom worden de gegevens gewist?").fill("verzoek per brief van 3 mei")
    page.get_by_role("button", name="Wis de persoonsgegevens").click()
    expect(page.get_by_text("Vink aan dat je dit begrijpt.")).to_be_visible()
    assert Person.objects.get(pk=world.person_a.pk).erased_at is None
    assert_accessible(page)

    page.get_by_label("Ik begrijp dat dit niet ongedaan kan worden").check()
    page.get_by_role("button", name="Wis de persoonsgegevens").click()
    expect(page.get_by_text("De persoonsgegevens zijn gewist.")).to_be_visible()
    pseudonym = f"Verwijderde persoon {world.person_a.pk}"
    expect(page.get_by_role("heading", level=1)).to_have_text(pseudonym)
    expect(page.get_by_text("op verzoek van de persoon")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
