"""Staff act for a household that asked them to: pledge, confirm, decline, withdraw."""

import json
from decimal import Decimal

from heelwijk.neighbourhood.models import AuditEntry
from heelwijk.purchasing import actions
from heelwijk.purchasing.models import Pledge

from .conftest import pledge


def _household_url(campaign, household, step=""):
    base = f"/purchasing/campagnes/{campaign.pk}/namens/{household.pk}/"
    return base + (f"{step}/" if step else "")


def _api(campaign, household, step=""):
    base = f"/api/v1/purchasing/campaigns/{campaign.pk}/households/{household.pk}/pledge"
    return base + (f"/{step}" if step else "")


FORM = {
    "current_supplier": "Oud Stroom",
    "current_yearly_cost": "800,00",  # as a Dutch user types it
    "usage": "2000",
    "accepts_any_offer": "yes",
}


def test_the_list_finds_households_by_postcode_and_shows_their_pledge(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a2)
    client = client_for(world.staff_a)
    page = client.get(f"/purchasing/campagnes/{campaign.pk}/namens/?q=1234AC")
    assert page.status_code == 200
    rows = page.context["page"].object_list
    assert [(h.pk, h.pledge_status, str(h.pledge_label)) for h in rows] == [
        (world.household_a2.pk, "conditional", "voorwaardelijk")
    ]
    everyone = client.get(f"/purchasing/campagnes/{campaign.pk}/namens/").context["page"]
    assert sorted(h.pk for h in everyone.object_list) == sorted(
        [world.household_a.pk, world.household_a2.pk]
    )  # never a household of another neighbourhood
    nothing = client.get(f"/purchasing/campagnes/{campaign.pk}/namens/?q=9999ZZ")
    assert "Geen huishoudens gevonden" in nothing.content.decode()


def test_staff_pledge_needs_the_households_consent_and_is_logged_as_on_behalf(
    purchasing, client_for
):
    world, campaign = purchasing.world, purchasing.campaign
    client = client_for(world.staff_a)
    url = _household_url(campaign, world.household_a2)
    audit_before = AuditEntry.objects.count()

    refused = client.post(url, FORM)
    assert refused.status_code == 200
    assert refused.context["form"].errors["consent"] == [
        "Vink aan dat het huishouden je heeft gevraagd dit te doen."
    ]
    assert not Pledge.objects.filter(household=world.household_a2).exists()
    assert AuditEntry.objects.count() == audit_before

    saved = client.post(url, FORM | {"consent": "on"})
    assert saved.status_code == 302 and saved.url == url
    p = Pledge.objects.get(campaign=campaign, household=world.household_a2)
    assert (p.usage, p.current_yearly_cost_cents, p.current_supplier, p.status) == (
        2000,
        80_000,
        "Oud Stroom",
        "conditional",
    )
    entry = AuditEntry.objects.filter(action="purchasing_pledge_create").latest("pk")
    assert entry.actor_id == world.staff_a.pk
    assert entry.changes["on_behalf"] is True

    # The page shows the saved answers back, as Decimal euros (not a float).
    again = client.get(url)
    assert again.context["form"].initial["current_yearly_cost"] == Decimal("800")
    assert 'value="800"' in again.content.decode()


def test_a_resident_pledge_is_not_marked_as_on_behalf(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    client = client_for(world.resident_a)
    response = client.post(f"/purchasing/campagnes/{campaign.pk}/aanmelden/", FORM)
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="purchasing_pledge_create").latest("pk")
    assert entry.actor_id == world.resident_a.pk
    assert entry.changes["on_behalf"] is False


def test_staff_confirm_and_decline_for_households_after_the_proposal(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    first = pledge(world, campaign, world.household_a, usage=2_000, cost_cents=80_000)
    second = pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    client = client_for(world.staff_a)

    page = client.get(_household_url(campaign, world.household_a))
    assert page.context["can_decide"] is True
    assert page.context["result"].saving_cents == 80_000 - (
        2_000 * 30 + 6_000
    )  # tier 1: 2 households

    no_consent = client.post(_household_url(campaign, world.household_a, "bevestigen"), {})
    assert no_consent.status_code == 302
    first.refresh_from_db()
    assert first.status == "conditional"

    client.post(_household_url(campaign, world.household_a, "bevestigen"), {"decide-consent": "on"})
    client.post(_household_url(campaign, world.household_a2, "afzien"), {"decide-consent": "on"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "declined")
    entries = AuditEntry.objects.filter(
        action__in=["purchasing_pledge_confirm", "purchasing_pledge_decline"]
    ).order_by("pk")
    assert [(e.action, e.actor_id, e.changes["on_behalf"]) for e in entries] == [
        ("purchasing_pledge_confirm", world.staff_a.pk, True),
        ("purchasing_pledge_decline", world.staff_a.pk, True),
    ]


def test_an_unknown_step_or_a_household_without_pledge_is_not_found(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    client = client_for(world.staff_a)
    consent = {"decide-consent": "on"}
    assert (
        client.post(_household_url(campaign, world.household_a, "bevestigen"), consent).status_code
        == 404
    )
    pledge(world, campaign, world.household_a)
    assert (
        client.post(_household_url(campaign, world.household_a, "wissen"), consent).status_code
        == 404
    )


def test_staff_withdraw_for_a_household_with_consent(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    p = pledge(world, campaign, world.household_a)
    client = client_for(world.staff_a)
    client.post(_household_url(campaign, world.household_a, "intrekken"), {})
    p.refresh_from_db()
    assert p.status == "conditional"
    client.post(
        _household_url(campaign, world.household_a, "intrekken"), {"withdraw-consent": "on"}
    )
    p.refresh_from_db()
    assert p.status == "withdrawn"


def _put(client, url, body):
    return client.put(
        url, data=json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_api_pledge_for_a_household_needs_consent(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    client = client_for(world.staff_a)
    body = {"usage": 1500, "current_yearly_cost": "612.40", "current_supplier": "Oud"}
    refused = _put(client, _api(campaign, world.household_a2), body)
    assert refused.status_code == 400
    assert "household_consent" in refused.content.decode()
    assert not Pledge.objects.filter(household=world.household_a2).exists()

    saved = _put(client, _api(campaign, world.household_a2), body | {"household_consent": True})
    assert saved.status_code == 200, saved.content
    data = saved.json()
    assert (data["household_id"], data["usage"], data["current_yearly_cost"], data["status"]) == (
        world.household_a2.pk,
        1500,
        "612.40",
        "conditional",
    )
    read = client.get(_api(campaign, world.household_a2))
    assert read.json()["id"] == data["id"]
    other = _put(client, _api(campaign, world.household_b), body | {"household_consent": True})
    assert other.status_code == 404


def test_api_confirm_for_a_household(purchasing, client_for):
    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a, usage=2_000, cost_cents=80_000)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    client = client_for(world.staff_a)
    url = _api(campaign, world.household_a, "confirm")
    assert client.post(url, data={}, content_type="application/json").status_code == 400
    done = client.post(url, data={"household_consent": True}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "confirmed"


def test_staff_see_how_close_an_unfinished_allocation_is(purchasing, client_for, settings):
    from heelwijk.purchasing.models import AllocationRun

    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a, usage=2_000, cost_cents=80_000)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    settings.HEELWIJK_PURCHASING_TIME_LIMIT = 0
    run = actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    assert (run.solver_status, run.gap_ppm) == ("time_limit", None)
    client = client_for(world.staff_a)
    page = client.get(f"/purchasing/campagnes/{campaign.pk}/").content.decode()
    assert "Hoe ver deze verdeling van de best mogelijke af zit, is niet bekend." in page

    AllocationRun.objects.filter(pk=run.pk).update(gap_ppm=370)
    page = client.get(f"/purchasing/campagnes/{campaign.pk}/").content.decode()
    assert "hoogstens 0,037 % minder bespaart" in page


def test_an_allocation_proven_within_the_gap_says_how_close_it_is(
    purchasing, client_for, settings, monkeypatch
):
    from heelwijk.purchasing.actions import allocation as allocation_actions
    from heelwijk.purchasing.models import AllocationRun

    world, campaign = purchasing.world, purchasing.campaign
    pledge(world, campaign, world.household_a, usage=2_000, cost_cents=80_000)
    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    # The gap staff allow reaches the solver
    asked = []
    real = allocation_actions.allocate

    def spy(problem, **kw):
        asked.append(kw["mip_rel_gap"])
        return real(problem, **kw)

    monkeypatch.setattr(allocation_actions, "allocate", spy)
    settings.HEELWIJK_PURCHASING_GAP = 0.0005
    run = actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    assert asked == [0.0005]
    assert run.solver_status == "optimal" and run.gap_ppm == 0
    client = client_for(world.staff_a)
    page = client.get(f"/purchasing/campagnes/{campaign.pk}/").content.decode()
    assert "Deze verdeling is aantoonbaar de beste." in page
    # An allocation that stopped within the gap says how close it is proven to be
    AllocationRun.objects.filter(pk=run.pk).update(gap_ppm=820)
    page = client.get(f"/purchasing/campagnes/{campaign.pk}/").content.decode()
    assert (
        "De rekenmethode stopte zodra bewezen was dat deze verdeling hoogstens 0,082 % minder "
        "bespaart dan de best mogelijke." in page
    )
    assert "aantoonbaar de beste" not in page


def test_the_default_gap_is_the_targets_proof_of_optimality():
    from django.conf import settings

    assert settings.HEELWIJK_PURCHASING_GAP == 0.001
