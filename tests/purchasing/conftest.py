"""Purchasing fixtures on top of the shared two-neighbourhood world: suppliers, a campaign."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from heelwijk.neighbourhood.models import Organisation, Role
from heelwijk.purchasing import actions
from heelwijk.purchasing.actions import TierInput
from heelwijk.purchasing.models import Category
from tests.factories import OrganisationFactory, RoleFactory, UserFactory

ELECTRICITY_TIERS = [
    # 0-4 households: €0.30/kWh + €60 a year; 5 or more: €0.25/kWh + €50.
    TierInput(0, 4, 300_000, 6_000),
    TierInput(5, None, 250_000, 5_000),
]


@dataclass
class Purchasing:
    world: object
    supplier: object
    supplier_b: object
    agreement: object
    agreement_b: object
    supplier_rep: object
    campaign: object
    offer: object

    def user(self, role: str):
        if role == "supplier_rep":
            return self.supplier_rep
        return self.world.user(role)


ROLES = ["anonymous", "resident_a", "resident_b", "staff_a", "representative_a", "supplier_rep"]


def today():
    return timezone.localdate()


def open_campaign(world, *, title="Samen stroom", category_code="electricity"):
    return actions.campaign_create(
        actor=world.staff_a,
        neighbourhood=world.nbh_a,
        category=Category.objects.get(neighbourhood=None, code=category_code),
        title=title,
        registration_opens_on=today() - dt.timedelta(days=3),
        registration_closes_on=today() + dt.timedelta(days=10),
        contracts_start_on=today() + dt.timedelta(days=40),
    )


def agreement_for(world, supplier, **kw):
    fields = {
        "terms": "Vaste prijs voor een jaar.",
        "starts_on": today() - dt.timedelta(days=30),
        "kickback_per_contract_cents": 7_500,
        "participation_fee_cents": 25_000,
        "contact_name": "Petra Post",
        "contact_email": "petra@example.org",
    } | kw
    return actions.agreement_create(
        actor=world.staff_a, neighbourhood=world.nbh_a, supplier=supplier, **fields
    )


def submit_offer(world, campaign, agreement, *, tiers=ELECTRICITY_TIERS, **kw):
    fields = {"name": "Buurtstroom", "tier_basis": "households", "min_households": 2} | kw
    return actions.offer_submit(
        actor=world.staff_a, campaign=campaign, agreement=agreement, tiers=tiers, **fields
    )


def pledge(world, campaign, household, *, usage=2_000, cost_cents=80_000, **kw):
    return actions.pledge_save(
        actor=world.staff_a,
        campaign=campaign,
        household=household,
        usage=usage,
        current_yearly_cost_cents=cost_cents,
        **kw,
    )


@pytest.fixture
def purchasing(world) -> Purchasing:
    supplier = OrganisationFactory(
        neighbourhood=world.nbh_a, name="Stroom van Hier", kind=Organisation.Kind.COMPANY
    )
    supplier_b = OrganisationFactory(
        neighbourhood=world.nbh_a, name="Groen Licht", kind=Organisation.Kind.COMPANY
    )
    supplier_rep = UserFactory(email="leverancier-a@example.org", full_name="Lars Leverancier")
    RoleFactory(
        user=supplier_rep,
        neighbourhood=world.nbh_a,
        kind=Role.Kind.REPRESENTATIVE,
        organisation=supplier,
        scale=Role.Scale.OPERATIONAL,
    )
    agreement = agreement_for(world, supplier)
    agreement_b = agreement_for(world, supplier_b, kickback_per_contract_cents=5_000)
    campaign = open_campaign(world)
    offer = submit_offer(world, campaign, agreement)
    return Purchasing(
        world, supplier, supplier_b, agreement, agreement_b, supplier_rep, campaign, offer
    )
