"""Browser journey: a resident pays the bakery 7,50 through its payment code on a phone, sees
the receipt and the new balance; the bakery's open wallet page shows the payment by itself."""

import re

import pytest
from playwright.sync_api import expect

from heelwijk.currency.actions import currency_create, euro_deposit, wallet_open
from heelwijk.neighbourhood.models import Organisation, Role
from tests.factories import PASSWORD, OrganisationFactory, RoleFactory, UserFactory

from .conftest import CHROMIUM_ARGS, assert_accessible, assert_fits_phone  # noqa: F401


def login(page, email: str, password: str) -> None:
    page.context.clear_cookies()  # whoever was logged in before is logged out
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_label("Wachtwoord").press("Enter")


@pytest.fixture
def bakery(world):
    shop = OrganisationFactory(
        neighbourhood=world.nbh_a,
        name="Bakkerij Van der Linden",
        kind=Organisation.Kind.SHOP,
        address="Lindeplein 4, 6851 AA Rijnstede",
    )
    baker = UserFactory(email="winkel-a@example.org", full_name="Peter van der Linden")
    RoleFactory(
        user=baker,
        neighbourhood=world.nbh_a,
        kind=Role.Kind.REPRESENTATIVE,
        organisation=shop,
        scale=Role.Scale.OPERATIONAL,
    )
    linde = currency_create(
        neighbourhood=world.nbh_a,
        actor=world.staff_a,
        code="LINDE",
        name="Linde",
        symbol="L",
        model="euro_backed",
    )
    anna = wallet_open(currency=linde, holder=world.household_a, actor=world.resident_a)
    shop_wallet = wallet_open(
        currency=linde, holder=shop, actor=baker, category="food_drink", payment_code="BAKR2345"
    )
    euro_deposit(currency=linde, wallet=anna, amount=2000, actor=world.staff_a)
    return shop_wallet


def phone(browser, live_server):
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    return context, page


def test_a_resident_pays_the_bakery_by_its_payment_code(browser, live_server, world, bakery):
    shop_context, shop = phone(browser, live_server)
    resident_context, resident = phone(browser, live_server)
    try:
        # The bakery keeps its wallet page open.
        login(shop, "winkel-a@example.org", PASSWORD)
        shop.goto(f"{live_server.url}/currency/portemonnee/{bakery.pk}/")
        expect(shop.locator("#latest-heading")).to_have_text("Laatste betalingen")
        expect(shop.locator(".live")).to_contain_text("Nog geen betalingen.")

        # The resident sees the bakery's QR code and scans it (opens the address inside it).
        login(resident, "bewoner-a@example.org", PASSWORD)
        resident.goto(f"{live_server.url}/currency/")
        expect(resident.locator(".balance")).to_have_text("L 20,00")
        assert_accessible(resident)
        assert_fits_phone(resident)
        resident.goto(f"{live_server.url}/currency/winkel/{bakery.pk}/")
        expect(
            resident.get_by_role("img", name="QR-code om Bakkerij Van der Linden te betalen")
        ).to_be_visible()
        expect(resident.locator(".payment-code")).to_have_text("BAKR2345")
        assert_accessible(resident)
        resident.goto(f"{live_server.url}/currency/code/BAKR2345/")

        expect(resident.get_by_role("heading", level=1)).to_have_text("Betalen in Linde")
        expect(resident.locator(".confirm-box")).to_contain_text("Bakkerij Van der Linden")
        expect(resident.get_by_label("Betaalcode van de ontvanger")).to_have_value("BAKR2345")
        resident.get_by_label("Bedrag").fill("7,50")
        assert_accessible(resident)
        assert_fits_phone(resident)
        resident.get_by_role("button", name="Volgende").click()

        expect(resident.get_by_role("heading", level=1)).to_have_text("Betaling bevestigen")
        expect(resident.locator(".big-amount")).to_have_text("L 7,50")
        assert_accessible(resident)
        resident.get_by_role("button", name="Nu betalen").click()

        expect(resident.get_by_role("heading", level=1)).to_have_text("Betaald")
        expect(resident.locator(".receipt")).to_contain_text("Bakkerij Van der Linden")
        expect(resident.locator("#new-balance")).to_have_text("L 12,50")
        assert_accessible(resident)
        assert_fits_phone(resident)
        resident.get_by_role("link", name="Terug naar de portemonnee").click()
        expect(resident.locator("#balance")).to_have_text("L 12,50")
        expect(resident.get_by_role("table", name="Afschrift")).to_contain_text(
            "Bakkerij Van der Linden"
        )

        # Without reloading, the bakery's page shows the payment within seconds.
        expect(shop.locator(".live")).to_contain_text("Ontvangen van Anna de Vries", timeout=12000)
        expect(shop.locator(".live")).to_contain_text("L 7,50")
        assert_accessible(shop)
        assert_fits_phone(shop)
        shop.reload()
        expect(shop.locator("#balance")).to_have_text("L 7,50")
        expect(shop.get_by_role("table", name="Afschrift")).to_contain_text(
            re.compile("Anna de Vries")
        )
        assert_accessible(shop)
    finally:
        shop_context.close()
        resident_context.close()


def test_the_other_currency_pages_are_accessible_on_a_phone(phone_page, world, bakery):
    from heelwijk.currency.actions import payment_create, payment_request_create
    from heelwijk.currency.models import Wallet

    anna = Wallet.objects.get(household=world.household_a)
    payment_create(payer=anna, payee=bakery, amount=450, actor=world.resident_a)
    request = payment_request_create(payee=bakery, amount=300, actor=None, description="Brood")
    page = phone_page
    base = page.base_url

    page.goto(f"{base}/currency/openbaar/lindenhof/LINDE/")
    expect(page.get_by_role("img", name=re.compile("Linde per maand"))).to_be_visible()
    expect(page.get_by_role("table", name="De cijfers van de grafiek")).to_contain_text("L 4,50")
    assert_accessible(page)
    assert_fits_phone(page)

    login(page, "winkel-a@example.org", PASSWORD)
    page.goto(f"{base}/currency/verzoek/{request.token}/")
    expect(page.locator("#request-status")).to_contain_text("Wachten op de betaling")
    assert_accessible(page)
    assert_fits_phone(page)

    login(page, "bewoner-a@example.org", PASSWORD)
    page.goto(f"{base}/currency/portemonnee/{anna.pk}/betalen/?q=bakkerij")
    expect(page.locator("#recipients")).to_contain_text("Bakkerij Van der Linden")
    assert_accessible(page)
    assert_fits_phone(page)

    login(page, "staf-a@example.org", PASSWORD)
    for path in (
        "/currency/beheer/",
        "/currency/beheer/LINDE/",
        "/currency/beheer/LINDE/portemonnees/",
        "/currency/munt/LINDE/uren/",
        "/currency/munt/LINDE/storten/",
    ):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        assert_fits_phone(page)
