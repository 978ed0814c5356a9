"""The JSON API: writes through the same actions, decimal strings for money, clear errors."""

from heelwijk.purchasing.models import AllocationRun, Offer, OfferTier, Pledge

from .conftest import pledge


def _json(client, method, url, body=None):
    return getattr(client, method)(
        url, data=body or {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_supplier_submits_an_offer_with_decimal_prices(purchasing, client_for):
    client = client_for(purchasing.supplier_rep)
    body = {
        "agreement_id": purchasing.agreement.pk,
        "name": "Stroom Plus",
        "tier_basis": "volume",
        "min_households": 1,
        "features": ["green"],
        "tiers": [
            {"min_quantity": 0, "max_quantity": 9999, "unit_price": "0.2834", "fixed_fee": "55.00"},
            {"min_quantity": 10000, "unit_price": "0.27", "fixed_fee": "50"},
        ],
    }
    url = f"/api/v1/purchasing/campaigns/{purchasing.campaign.pk}/offers"
    response = _json(client, "post", url, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [t["unit_price"] for t in data["tiers"]] == ["0.2834", "0.27"]
    assert [t["fixed_fee"] for t in data["tiers"]] == ["55.00", "50.00"]
    assert data["kickback_per_contract"] == "75.00"
    offer = Offer.objects.get(pk=data["id"])
    assert list(offer.tiers.values_list("unit_price_micros", "fixed_fee_cents")) == [
        (283_400, 5_500),
        (270_000, 5_000),
    ]


def test_a_supplier_cannot_submit_under_another_suppliers_agreement(purchasing, client_for):
    client = client_for(purchasing.supplier_rep)
    body = {
        "agreement_id": purchasing.agreement_b.pk,
        "name": "Namaak",
        "tiers": [{"min_quantity": 0, "unit_price": "0.10", "fixed_fee": "0"}],
    }
    url = f"/api/v1/purchasing/campaigns/{purchasing.campaign.pk}/offers"
    assert _json(client, "post", url, body).status_code == 403
    assert Offer.objects.count() == 1


def test_overlapping_tiers_give_400_with_the_reason_and_save_nothing(purchasing, client_for):
    client = client_for(purchasing.world.staff_a)
    body = {
        "agreement_id": purchasing.agreement_b.pk,
        "name": "Overlap",
        "tiers": [
            {"min_quantity": 0, "max_quantity": 100, "unit_price": "0.30", "fixed_fee": "0"},
            {"min_quantity": 50, "unit_price": "0.25", "fixed_fee": "0"},
        ],
    }
    before = (Offer.objects.count(), OfferTier.objects.count())
    response = _json(
        client, "post", f"/api/v1/purchasing/campaigns/{purchasing.campaign.pk}/offers", body
    )
    assert response.status_code == 400
    assert response.json()["errors"]["tiers"] == [
        "Tier 2 overlaps tier 1: tier 1 runs up to 100, so tier 2 must start at 101."
    ]
    assert (Offer.objects.count(), OfferTier.objects.count()) == before


def test_a_price_with_too_many_decimals_is_refused(purchasing, client_for):
    client = client_for(purchasing.world.staff_a)
    body = {
        "agreement_id": purchasing.agreement_b.pk,
        "name": "Te precies",
        "tiers": [{"min_quantity": 0, "unit_price": "0.1234567", "fixed_fee": "0"}],
    }
    response = _json(
        client, "post", f"/api/v1/purchasing/campaigns/{purchasing.campaign.pk}/offers", body
    )
    assert response.status_code == 400
    assert "six decimals" in response.json()["errors"]["tiers"][0]


def test_resident_pledges_sees_the_result_and_confirms_through_the_api(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    client = client_for(world.resident_a)
    base = f"/api/v1/purchasing/campaigns/{campaign.pk}"
    response = _json(client, "put", f"{base}/pledge", {"current_yearly_cost": "800.00"})
    assert response.status_code == 400
    assert "yearly usage" in response.json()["errors"]["usage"][0]
    assert not Pledge.objects.exists()
    response = _json(
        client, "put", f"{base}/pledge", {"current_yearly_cost": "800.00", "usage": 2000}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "conditional"

    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    staff = client_for(world.staff_a)
    run = _json(staff, "post", f"{base}/allocate").json()
    assert (run["households_placed"], run["total_saving"], run["greedy_saving"]) == (
        2,
        "180.00",
        "180.00",
    )
    assert run["solver_status"] == "optimal"

    client = client_for(world.resident_a)
    result = client.get(f"{base}/result", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (result["offer_name"], result["yearly_cost"], result["saving"]) == (
        "Buurtstroom",
        "660.00",
        "140.00",
    )
    assert result["price_level"] == 1
    assert _json(client, "post", f"{base}/pledge/confirm").json()["status"] == "confirmed"
    totals = client.get(f"{base}/totals", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (totals["households_confirmed"], totals["saving_per_year"]) == (1, "180.00")


def test_allocating_twice_is_refused_with_a_clear_message(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    staff = client_for(world.staff_a)
    url = f"/api/v1/purchasing/campaigns/{campaign.pk}/allocate"
    assert _json(staff, "post", url).status_code == 200
    response = _json(staff, "post", url)
    assert response.status_code == 400
    assert AllocationRun.objects.count() == 1
