"""Browser journey: at the desk, staff register a household's pledge and later confirm for it."""

from playwright.sync_api import expect

from heelwijk.purchasing import actions
from heelwijk.purchasing.models import Pledge
from tests.factories import PASSWORD
from tests.purchasing.conftest import pledge

from .conftest import assert_accessible, assert_fits_phone, login
from .test_purchasing_journey import campaign  # noqa: F401  (the open campaign fixture)


def test_staff_pledge_and_confirm_for_a_household_on_a_phone(phone_page, world, campaign):  # noqa: F811
    page = phone_page
    login(page, "staf-a@example.org", PASSWORD)
    page.goto(f"{page.base_url}/purchasing/campagnes/{campaign.pk}/")
    page.get_by_role("link", name="Namens een huishouden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Namens een huishouden")
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_label("Zoek een huishouden").fill("1234 AC")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("cell", name="geen aanmelding")).to_be_visible()
    page.get_by_role("link", name="Beukenstraat 3").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beukenstraat 3")
    assert_accessible(page)
    assert_fits_phone(page)

    # Without the household's consent nothing is saved.
    page.get_by_label("Wat je nu per jaar betaalt (€)").fill("400")
    page.get_by_label("Je jaarverbruik (kWh)").fill("1000")
    page.get_by_role("button", name="Bewaar de aanmelding").click()
    expect(
        page.get_by_text("Vink aan dat het huishouden je heeft gevraagd dit te doen.")
    ).to_be_visible()
    assert not Pledge.objects.filter(household=world.household_a2).exists()
    assert_accessible(page)

    page.get_by_label("Het huishouden heeft mij gevraagd dit voor hen te doen").check()
    page.get_by_role("button", name="Bewaar de aanmelding").click()
    expect(page.get_by_text("De aanmelding van het huishouden op Beukenstraat 3")).to_be_visible()
    assert Pledge.objects.get(household=world.household_a2).usage == 1000

    # A neighbour pledges online; staff allocate; the household phones to say yes.
    pledge(world, campaign, world.household_a, usage=2_000, cost_cents=80_000)
    actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    page.reload()
    # 1,000 kWh x €0.30 + €60 = €360 a year instead of €400: €40 saved.
    expect(page.locator(".card .figure").first).to_have_text("€ 40,00")
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_label("Het huishouden heeft mij zijn besluit verteld").check()
    page.get_by_role("button", name="Bevestig dit aanbod voor het huishouden").click()
    expect(page.get_by_text("Je hebt het aanbod voor het huishouden bevestigd.")).to_be_visible()
    assert Pledge.objects.get(household=world.household_a2).status == Pledge.Status.CONFIRMED
