"""Browser journey: a wijkondernemer makes an API token, sees its secret once and revokes it."""

import re

from playwright.sync_api import expect

from heelwijk.accounts.models import ApiToken
from heelwijk.accounts.tokens import digest_of
from tests.factories import PASSWORD

from .conftest import assert_accessible, assert_fits_phone, login

# The machine running the suite may be busy: wait as long as the page fixture does.
WAIT = 15_000


def test_staff_make_see_once_and_revoke_a_token(page, world):
    login(page, "staf-a@example.org", PASSWORD)
    heading = page.get_by_role("heading", level=1)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="API-tokens").click()
    expect(heading).to_have_text("API-tokens", timeout=WAIT)
    expect(page.get_by_text("Er zijn nog geen API-tokens.")).to_be_visible(timeout=WAIT)
    assert_accessible(page)

    # A name is required: nothing is made without one.
    page.get_by_role("button", name="Token maken").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible(timeout=WAIT)
    assert ApiToken.objects.count() == 0

    page.get_by_label("Naam").fill("Energiedashboard")
    page.get_by_role("button", name="Token maken").click()
    secret_field = page.get_by_label("Geheime code")
    expect(secret_field).to_have_value(re.compile(r"^hw_[-\w]{40,}$"), timeout=WAIT)
    secret = secret_field.input_value()
    expect(page.get_by_text("je ziet het alleen deze ene keer")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Token kopiëren")).to_be_visible(timeout=WAIT)
    assert ApiToken.objects.get().digest == digest_of(secret)
    assert_accessible(page)

    # Shown once: the list page no longer holds the secret, only its first characters.
    page.goto(page.base_url + "/accounts/tokens/")
    assert secret not in page.content()
    row = page.get_by_role("row", name=re.compile("Energiedashboard"))
    expect(row).to_contain_text(secret[:10], timeout=WAIT)
    expect(row).to_contain_text("Sanne Staf", timeout=WAIT)
    expect(row).to_contain_text("actief", timeout=WAIT)

    # Revoking asks first.
    row.get_by_role("link", name=re.compile("Intrekken")).click()
    expect(heading).to_have_text("Het token “Energiedashboard” intrekken?", timeout=WAIT)
    assert_accessible(page)
    assert ApiToken.objects.get().is_active
    page.get_by_role("button", name="Ja, trek dit token in").click()
    expect(page.get_by_role("status").first).to_contain_text("is ingetrokken", timeout=WAIT)
    revoked_row = page.get_by_role("row", name=re.compile("Energiedashboard"))
    expect(revoked_row).to_contain_text("ingetrokken op", timeout=WAIT)
    assert not ApiToken.objects.get().is_active
    page.reload()  # the confirmation message is shown once; check the list itself
    assert_accessible(page)


def test_the_token_page_fits_a_phone(phone_page, world):
    login(phone_page, "staf-a@example.org", PASSWORD)
    phone_page.goto(phone_page.base_url + "/accounts/tokens/")
    phone_page.get_by_label("Naam").fill("Telefoon-app")
    phone_page.get_by_role("button", name="Token maken").click()
    expect(phone_page.get_by_label("Geheime code")).to_be_visible(timeout=WAIT)

    assert_fits_phone(phone_page)
    assert_accessible(phone_page)


def test_the_api_docs_work_without_the_internet(page, world):
    """The token page links to the docs; they load nothing from another site."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    login(page, "staf-a@example.org", PASSWORD)
    page.goto(page.base_url + "/accounts/tokens/")

    page.get_by_role("link", name="Lees de API-documentatie").click()

    expect(page.get_by_text("/api/v1/households").first).to_be_visible(timeout=WAIT)
    elsewhere = [url for url in requests if not url.startswith(page.base_url)]
    assert elsewhere == []
