"""A campaign from pledges to contracts, with exact amounts and the ledger postings."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from heelwijk.ledger.selectors import account_list, balance
from heelwijk.neighbourhood.models import AuditEntry
from heelwijk.purchasing import actions, selectors
from heelwijk.purchasing.models import (
    AllocationResult,
    AllocationRun,
    Campaign,
    Contract,
    OfferOutcome,
    Pledge,
    SupplierSettlement,
)
from tests.factories import HouseholdFactory

from .conftest import pledge, submit_offer


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English (unless a test says otherwise)."""
    with translation.override("en"):
        yield


def test_allocation_proposes_the_cheaper_offer_with_exact_savings(purchasing):
    world, campaign = purchasing.world, purchasing.campaign
    # 2,000 kWh at €0.30 + €60 = €660 a year on the first tier; they pay €800 now.
    p1 = pledge(world, campaign, world.household_a)
    p2 = pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    run = actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PROPOSED
    assert run.households_placed == 2
    r1 = AllocationResult.objects.get(run=run, pledge=p1)
    r2 = AllocationResult.objects.get(run=run, pledge=p2)
    assert (r1.yearly_cost_cents, r1.saving_cents) == (66_000, 14_000)
    # 1,000 kWh x €0.30 + €60 = €360; pays €400.
    assert (r2.yearly_cost_cents, r2.saving_cents) == (36_000, 4_000)
    assert run.total_saving_cents == 18_000
    assert run.total_kickback_cents == 2 * 7_500
    assert run.greedy_saving_cents == 18_000
    outcome = OfferOutcome.objects.get(run=run, offer=purchasing.offer)
    assert (outcome.tier_position, outcome.households) == (0, 2)
    from django.utils import translation

    with translation.override("nl"):
        text = selectors.explain_result(r1)
    assert text == (
        "Je betaalt nu € 800,00 per jaar. Buurtstroom van Stroom van Hier kost je ongeveer "
        "€ 660,00 per jaar, dus je bespaart € 140,00 per jaar. Het aanbod gaat door op "
        "prijsniveau 1 van 2, omdat 2 huishoudens meededen."
    )
    with translation.override("en"):
        assert selectors.explain_result(r1).startswith("You now pay € 800.00 a year.")


def test_confirm_then_final_allocation_then_contracts_post_to_the_ledger(purchasing):
    world, campaign = purchasing.world, purchasing.campaign
    p1 = pledge(world, campaign, world.household_a)
    p2 = pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    extra = HouseholdFactory(area=world.area_a, postcode="1234 AD")
    p3 = pledge(world, campaign, extra, usage=3_000, cost_cents=120_000)
    actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    actions.pledge_confirm(actor=world.resident_a, pledge=p1)
    actions.pledge_confirm(actor=world.staff_a, pledge=p3)
    actions.pledge_decline(actor=world.staff_a, pledge=p2)
    final = actions.allocation_finalise(actor=world.staff_a, campaign=campaign)
    assert final.kind == AllocationRun.Kind.FINAL
    assert final.households_considered == 2
    assert final.households_placed == 2
    contracts = actions.contracts_start(actor=world.staff_a, campaign=campaign)
    assert len(contracts) == 2
    assert Contract.objects.filter(campaign=campaign).count() == 2
    settlement = SupplierSettlement.objects.get(campaign=campaign)
    assert (
        settlement.contracts,
        settlement.kickback_cents,
        settlement.participation_fee_cents,
    ) == (
        2,
        15_000,
        25_000,
    )
    fund = account_list(neighbourhood=world.nbh_a).get(code="LOCAL-FUND")
    supplier_account = account_list(neighbourhood=world.nbh_a).get(
        code=f"SUPPLIER-{purchasing.supplier.pk}"
    )
    assert balance(account=fund) == 40_000
    assert balance(account=supplier_account) == -40_000
    totals = selectors.campaign_totals(campaign=campaign)
    assert (totals.contracts, totals.kickback_cents) == (2, 15_000)
    # 2,000 kWh: €660 → saves €140; 3,000 kWh: €960 → saves €240.
    assert totals.saving_cents == 38_000
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CONTRACTED
    assert Pledge.objects.get(pk=p2.pk).status == Pledge.Status.DECLINED


def test_an_infeasible_campaign_saves_nothing_and_says_why(purchasing):
    world, campaign = purchasing.world, purchasing.campaign
    # Every offer needs two households; one pledges.
    pledge(world, campaign, world.household_a)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    text = " ".join(caught.value.messages)
    assert "No feasible allocation" in text
    assert "1 household(s) could join and save, at least 2 needed" in text
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    assert AllocationRun.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_no_offers_or_no_pledges_is_refused(world):
    from .conftest import open_campaign

    campaign = open_campaign(world)
    with pytest.raises(ValidationError, match="no offers"):
        actions.allocation_propose(actor=world.staff_a, campaign=campaign)


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([(0, 10, 1, 1), (5, None, 1, 1)], "Tier 2 overlaps tier 1"),
        ([(10, None, 1, 1), (0, 9, 1, 1)], "not in ascending order"),
        ([(0, 10, 1, 1), (20, None, 1, 1)], "gap between tier 1 and tier 2"),
        ([(0, None, 1, 1), (20, None, 1, 1)], "Only the last tier may be open-ended"),
        ([(0, None, -1, 1)], "price per unit cannot be negative"),
        ([(0, None, 1, -5)], "fixed fee cannot be negative"),
        ([(0, 5, 1, 1), (6, 3, 1, 1)], "is below"),
        ([], "at least one price tier"),
    ],
)
def test_bad_tiers_are_refused_and_nothing_is_saved(purchasing, tiers, message):
    from heelwijk.purchasing.actions import TierInput
    from heelwijk.purchasing.models import Offer, OfferTier

    before = (Offer.objects.count(), OfferTier.objects.count())
    with pytest.raises(ValidationError) as caught:
        submit_offer(
            purchasing.world,
            purchasing.campaign,
            purchasing.agreement_b,
            tiers=[TierInput(*t) for t in tiers],
            name="Fout",
        )
    assert message in " ".join(caught.value.message_dict["tiers"])
    assert (Offer.objects.count(), OfferTier.objects.count()) == before


def test_a_pledge_without_usage_is_refused(purchasing):
    world = purchasing.world
    with pytest.raises(ValidationError) as caught:
        actions.pledge_save(
            actor=world.resident_a,
            campaign=purchasing.campaign,
            household=world.household_a,
            usage=None,
            current_yearly_cost_cents=80_000,
        )
    assert "yearly usage (in kWh)" in caught.value.message_dict["usage"][0]
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "the price per unit cannot be negative"),
        ("nl", "de prijs per eenheid mag niet negatief"),
    ],
)
def test_a_negative_price_from_the_form_is_refused_in_the_users_language(
    purchasing, client_for, language, expected
):
    client = client_for(purchasing.world.staff_a)
    data = {
        "agreement": purchasing.agreement_b.pk,
        "name": "Goedkoop",
        "tier_basis": "volume",
        "min_households": 1,
        "tiers-TOTAL_FORMS": 4,
        "tiers-INITIAL_FORMS": 0,
        "tiers-MIN_NUM_FORMS": 4,
        "tiers-MAX_NUM_FORMS": 8,
        "tiers-0-min_quantity": 0,
        "tiers-0-unit_price": "-0.10",
        "tiers-0-fixed_fee": "10",
    }
    response = client.post(
        f"/purchasing/campagnes/{purchasing.campaign.pk}/aanbiedingen/nieuw/",
        data,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert purchasing.campaign.offers.count() == 1


def test_the_allocation_runs_from_the_command_line(purchasing):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a)
    with translation.override("nl"), pytest.raises(CommandError, match="Geen haalbare verdeling"):
        call_command("purchasing_allocate", campaign.pk)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    out = io.StringIO()
    call_command("purchasing_allocate", campaign.pk, stdout=out)
    assert "2 of 2 households placed" in out.getvalue()
    assert AllocationRun.objects.filter(campaign=campaign, kind="proposal").count() == 1


def test_campaign_pages_run_a_constant_number_of_queries(
    purchasing, client_for, django_assert_max_num_queries
):
    from .conftest import open_campaign

    world = purchasing.world
    client = client_for(world.staff_a)
    client.get("/purchasing/")  # warm caches (sessions, access)
    with django_assert_max_num_queries(12) as few:
        client.get("/purchasing/")
    for n in range(5):
        open_campaign(world, title=f"Campagne {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/purchasing/")
    assert response.status_code == 200


def test_export_per_supplier_as_csv_and_xlsx_with_exact_amounts(purchasing, client_for):
    import csv
    import io

    from openpyxl import load_workbook

    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    client = client_for(world.staff_a)
    base = f"/purchasing/campagnes/{campaign.pk}/export/{purchasing.supplier.pk}"
    response = client.get(f"{base}.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Household", "Address", "Postcode"]
    assert sorted((r[2], r[9], r[10]) for r in rows[1:]) == [
        ("1234 AB", "660.00", "140.00"),
        ("1234 AC", "360.00", "40.00"),
    ]
    response = client.get(f"{base}.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = sorted(
        (row[2], str(row[9]), str(row[10])) for row in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert values == [("1234 AB", "660", "140"), ("1234 AC", "360", "40")]
