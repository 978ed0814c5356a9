"""Browser journey: a resident logs in and sees their household and neighbourhood."""

from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import assert_accessible, assert_fits_phone, login


def test_resident_sees_their_household(phone_page, world):
    page = phone_page
    login(page, "bewoner-a@example.org", PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Anna")
    household = page.get_by_role("region", name="Mijn huishouden")
    expect(household).to_contain_text("Lindelaan 12, 1234 AB Rijnstede")
    expect(household).to_contain_text("Buurt: Noord")
    expect(household.get_by_role("listitem")).to_have_text(["Anna de Vries"])
    expect(page.get_by_role("heading", name="Lindenhof in het kort")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)

    household.get_by_role("link", name="Mijn huishouden bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lindelaan 12")
    expect(page.get_by_role("link", name="Huishouden bewerken")).to_have_count(0)
    assert_accessible(page)
    assert_fits_phone(page)
