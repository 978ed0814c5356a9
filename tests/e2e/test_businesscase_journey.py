"""Browser journey: staff build a business case, change an assumption and watch the ratio move."""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from heelwijk.businesscase.models import ReferenceSet
from tests.factories import PASSWORD

from .conftest import assert_accessible, assert_fits_phone, login


@pytest.fixture
def seeded(world):
    """The national reference values (a flushed test database may have lost them)."""
    if not ReferenceSet.objects.filter(neighbourhood__isnull=True).exists():
        from importlib import import_module

        seed = import_module(
            "heelwijk.businesscase.migrations.0002_seed_national_reference_values"
        ).seed
        seed(apps, None)
    return world


def test_staff_build_a_case_and_see_the_ratio_change(page, seeded):
    login(page, "staf-a@example.org", PASSWORD)
    heading = page.get_by_role("heading", level=1)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Opgaven").click()
    expect(heading).to_have_text("Opgaven")
    expect(page.get_by_text("Er zijn nog geen opgaven.")).to_be_visible()
    assert_accessible(page)

    # A new opgave: the sewer of the Lindelaan, with a social goal.
    page.get_by_role("link", name="Nieuwe opgave").click()
    page.get_by_label("Titel").fill("Riool Lindelaan")
    page.get_by_label("Opdrachtgever").select_option(label="Gemeente Rijnstede")
    page.get_by_label("Budget (€)").fill("2.300.000")
    page.get_by_label("Opdrachtwaarde (€)").fill("2.000.000")
    page.get_by_label("Aandeel arbeid (%)").fill("40")
    page.get_by_label("Begin").fill("2025-09-01")
    page.get_by_label("Einde").fill("2026-08-31")
    page.get_by_label("Noord").check()
    page.get_by_label("Indicator").fill("bewoners uit de bijstand met een baan")
    page.get_by_label("Streefwaarde").fill("3")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(heading).to_have_text("Riool Lindelaan")
    # 5 % of 2,000,000 and 100,000 / 40,000 = 2 residents for a year.
    expect(page.locator("#sr-obligation")).to_have_text("€ 100.000,00")
    expect(page.locator("#sr-residents")).to_have_text("2")

    # A business case with one cost and one outcome.
    page.get_by_role("link", name="Nieuwe businesscase").click()
    page.get_by_role("button", name="Businesscase maken").click()
    expect(page.get_by_role("heading", name="Instellingen")).to_be_visible()
    page.get_by_label("Discontovoet (%)").fill("5")
    page.get_by_label("Horizon (jaren)").fill("3")
    cost = page.get_by_role("group", name="Kosten 1")
    cost.get_by_label("Wat").fill("Jobcoaching")
    cost.get_by_label("Betaald door").select_option(label="Gemeente Rijnstede")
    cost.get_by_label("Bedrag (€)").fill("10.000")
    cost.get_by_label("Bron").fill("offerte")
    outcome = page.get_by_role("group", name="Effect 1")
    outcome.get_by_label("Effect:", exact=True).fill("Bijstand bespaard")
    outcome.get_by_label("Voordeel voor").select_option(label="Gemeente Rijnstede")
    outcome.get_by_label("Hoeveelheid").fill("1")
    outcome.get_by_label("Financiële proxy").select_option("welfare_benefit_cost")
    outcome.get_by_label("Duur (jaren)").fill("2")
    outcome.get_by_label("Afname per jaar (%)").fill("10")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De businesscase is bewaard.")).to_be_visible()
    # (14000 / 1.05 + 12600 / 1.05^2) / 10000 = (13333.33 + 11428.57) / 10000 = 2.48
    ratio = page.locator("#sroi-ratio")
    expect(ratio).to_have_text("2,48")
    # (Checked without the flash message: base.html's <ul role="status"> is reported to the lead.)
    page.reload()
    expect(ratio).to_have_text("2,48")
    assert_accessible(page)

    # Typing a new quantity recalculates at once (htmx), without leaving the page or saving.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("group", name="Effect 1").get_by_label("Hoeveelheid").fill("2")
    expect(ratio).to_have_text("4,95")
    assert page.evaluate("window.stillTheSamePage") is True
    page.get_by_role("group", name="Effect 1").get_by_label("Afname per jaar (%)").fill("150")
    expect(page.locator("#results .problems")).to_contain_text("Afname per jaar")
    page.get_by_role("group", name="Effect 1").get_by_label("Afname per jaar (%)").fill("10")
    expect(ratio).to_have_text("4,95")
    page.get_by_role("button", name="Opslaan").click()
    expect(ratio).to_have_text("4,95")

    # The report a municipality reads: charts with their tables and every source.
    page.get_by_role("link", name="Rapport bekijken").click()
    expect(page.locator("#sroi-ratio")).to_have_text("4,95")
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.get_by_role("heading", name="Aannames en bronnen")).to_be_visible()
    expect(page.get_by_text("offerte").first).to_be_visible()
    assert_accessible(page)


def test_the_report_fits_a_phone(phone_page, seeded):
    import io

    from heelwijk.businesscase.demo import build_demo

    case = build_demo(neighbourhood=seeded.nbh_a, stdout=io.StringIO())
    login(phone_page, "bewoner-a@example.org", PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/businesscase/business-cases/{case.pk}/rapport/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Riolering met lokaal werk")
    expect(phone_page.locator("#sroi-ratio")).to_have_text("1,87")
    assert_fits_phone(phone_page)
    assert_accessible(phone_page)


def test_the_other_business_case_pages_are_accessible(page, seeded):
    import io

    from heelwijk.businesscase.demo import build_demo

    case = build_demo(neighbourhood=seeded.nbh_a, stdout=io.StringIO())
    opgave = case.opgave_id
    login(page, "staf-a@example.org", PASSWORD)
    for path in (
        f"/businesscase/opgaven/{opgave}/",
        f"/businesscase/opgaven/{opgave}/wijzigen/",
        f"/businesscase/opgaven/{opgave}/social-return/",
        "/businesscase/rapporten/",
        "/businesscase/referentiewaarden/",
        "/businesscase/referentiewaarden/welfare_benefit_cost/wijzigen/",
        f"/businesscase/opgaven/{opgave}/business-case/nieuw/",
    ):
        page.goto(page.base_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    # The calculator answers as you type.
    page.goto(f"{page.base_url}/businesscase/opgaven/{opgave}/social-return/")
    expect(page.locator("#sr-obligation")).to_have_text("€ 100.000,00")
    page.get_by_label("Aandeel arbeid (%)").fill("20")
    expect(page.locator("#sr-obligation")).to_have_text("€ 40.000,00")
    assert_accessible(page)
