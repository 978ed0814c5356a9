"""Browser journey: on a phone, the wijkondernemer adds a person to a household by typing its
address; an address where nobody lives is explained in Dutch and nothing is saved."""

from playwright.sync_api import expect

from heelwijk.neighbourhood.models import Person
from tests.factories import PASSWORD

from .conftest import assert_accessible, assert_fits_phone, login


def test_wijkondernemer_adds_a_person_by_address(phone_page, world):
    page = phone_page
    login(page, "staf-a@example.org", PASSWORD)
    page.goto(page.base_url + "/staff/mensen/")
    page.get_by_role("main").get_by_role("link", name="Persoon toevoegen").first.click()
    heading = page.get_by_role("heading", level=1)

    page.get_by_label("Voornaam").fill("Kees")
    page.get_by_label("Achternaam").fill("Dam")
    page.get_by_label("Adres", exact=True).fill("1234 AB 99")
    page.get_by_role("button", name="Persoon toevoegen").click()
    expect(page.locator("#id_address_error")).to_contain_text(
        "In deze wijk woont geen huishouden op 1234 AB 99."
    )
    assert not Person.objects.filter(last_name="Dam").exists()
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_label("Adres", exact=True).fill("1234ab 12")
    page.get_by_role("button", name="Persoon toevoegen").click()
    expect(heading).to_have_text("Kees Dam")
    expect(page.get_by_role("link", name="Lindelaan 12")).to_be_visible()
    assert Person.objects.get(last_name="Dam").household == world.household_a
    assert_accessible(page)
    assert_fits_phone(page)
