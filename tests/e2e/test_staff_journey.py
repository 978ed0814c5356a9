"""Browser journey: the wijkondernemer finds a household by search and reads it in English."""

from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import assert_accessible, login


def test_wijkondernemer_finds_a_household_and_switches_to_english(page, world):
    login(page, "staf-a@example.org", PASSWORD)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Hallo Sanne")

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Huishoudens").click()
    expect(heading).to_have_text("Huishoudens")
    expect(page.locator("#results tbody tr")).to_have_count(2)

    # Typing searches as you go (htmx): only the results change, the page stays.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("searchbox", name="Zoeken").fill("1234ab")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#result-count")).to_have_text("1\u20131 van 1")
    expect(page).to_have_url(page.base_url + "/staff/huishoudens/?q=1234ab&area=&composition=")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    page.get_by_role("link", name="Lindelaan 12").click()
    expect(heading).to_have_text("Lindelaan 12")
    expect(page.get_by_text("Stel met kinderen")).to_be_visible()
    expect(page.get_by_role("link", name="Anna de Vries")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).to_have_text("Lindelaan 12")
    expect(page.get_by_text("Couple with children")).to_be_visible()
    expect(page.get_by_role("heading", name="Residents")).to_be_visible()
    expect(page.get_by_role("link", name="Edit household")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Households")

    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", name="Bewoners")).to_be_visible()
