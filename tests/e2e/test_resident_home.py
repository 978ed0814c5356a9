"""Browser journey: a resident logs in and sees their household and neighbourhood."""

from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import assert_accessible, assert_fits_phone, login
from .test_purchasing_journey import campaign  # noqa: F401  (an open campaign)


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


def test_resident_sees_wallet_balance_and_campaign_cards(phone_page, world, campaign):  # noqa: F811
    from heelwijk.currency.actions import currency_create, payment_create, wallet_open
    from heelwijk.neighbourhood.models import Organisation
    from tests.factories import OrganisationFactory

    OrganisationFactory(
        neighbourhood=world.nbh_a, name="Wijkbedrijf Lindenhof", kind=Organisation.Kind.WIJKBEDRIJF
    )
    currency = currency_create(
        neighbourhood=world.nbh_a,
        actor=world.staff_a,
        code="LINDE",
        name="Linde",
        symbol="L",
        model="mutual_credit",
        limit_household=5000,
    )
    anna = wallet_open(currency=currency, holder=world.household_a, actor=world.resident_a)
    beuk = wallet_open(currency=currency, holder=world.household_a2, actor=world.staff_a)
    payment_create(payer=beuk, payee=anna, amount=750, actor=world.staff_a)

    page = phone_page
    login(page, "bewoner-a@example.org", PASSWORD)
    cards = page.get_by_role("region", name="Voor je huishouden")
    expect(cards.get_by_role("heading", level=3)).to_have_text(["Samen stroom", "Linde"])
    expect(cards).to_contain_text("L 7,50")
    assert_accessible(page)
    assert_fits_phone(page)
    cards.get_by_role("link", name="Betaal of bekijk je overzicht").click()
    expect(page.locator("#balance")).to_have_text("L 7,50")
