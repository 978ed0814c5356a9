"""Demo purchasing for a demo neighbourhood: a finished energy campaign and an open internet one.

`build_demo(neighbourhood=..., stdout=...)` is called by `heelwijk demo` for every demo
neighbourhood, also on reruns. It is idempotent (agreements are found by supplier and start
date, campaigns by title; an existing campaign is left alone) and deterministic (choices come
from `random.Random` seeded with the slug; dates are fixed around the demo's reference date).
Everything is written through the purchasing actions, so the energy campaign's kickbacks and
participation fees are posted to the local fund through the ledger's actions.

Figures: average Dutch household electricity use 1,706 kWh a year and an average energy bill
of €2,065 a year (CBS, "De energierekening januari 2025"); internet and TV in one package
≈ €46 a month (Breedbandwinkel survey, 2019); a kickback of €75 per household a year, as paid
to a local energy cooperative (Energie VanOns).
"""

import datetime as dt
import random

from django.db import transaction

from heelwijk.neighbourhood.demo.plan import REFERENCE_DATE
from heelwijk.neighbourhood.models import Household, Organisation, Role

from . import actions
from .actions import TierInput
from .models import AllocationResult, AllocationRun, Campaign, Category, Pledge, SupplierAgreement

ENERGY_TITLE = "Samen stroom inkopen 2026"
INTERNET_TITLE = "Glasvezel voor de hele wijk"
ENERGY_SUPPLIERS = ("Rijnstede Energie", "Zonnewerk Installatietechniek")
INTERNET_SUPPLIER = "GlasNet Rijnstede"


def _actor(neighbourhood):
    role = (
        Role.objects.filter(neighbourhood=neighbourhood, kind=Role.Kind.WIJKONDERNEMER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return role.user if role else None


def _agreement(neighbourhood, actor, supplier, *, categories, kickback_cents, fee_cents, terms):
    starts_on = dt.date(REFERENCE_DATE.year - 1, 1, 1)
    existing = SupplierAgreement.objects.filter(
        neighbourhood=neighbourhood, supplier=supplier, starts_on=starts_on
    ).first()
    if existing:
        return existing
    return actions.agreement_create(
        actor=actor,
        neighbourhood=neighbourhood,
        supplier=supplier,
        categories=categories,
        terms=terms,
        service_levels="Klantenservice op werkdagen binnen 1 werkdag; storingen binnen 4 uur.",
        starts_on=starts_on,
        ends_on=dt.date(REFERENCE_DATE.year + 3, 12, 31),
        kickback_per_contract_cents=kickback_cents,
        participation_fee_cents=fee_cents,
        contact_name="Accountmanager " + supplier.name,
        contact_email=supplier.email,
        contact_phone=supplier.phone,
    )


def _open_window(neighbourhood, actor, *, title, category, description):
    """A campaign open for pledges now (the actions only take pledges inside the window)."""
    today = dt.date.today()
    return actions.campaign_create(
        actor=actor,
        neighbourhood=neighbourhood,
        category=category,
        title=title,
        description=description,
        registration_opens_on=min(today, REFERENCE_DATE),
        registration_closes_on=max(today, dt.date(REFERENCE_DATE.year + 1, 12, 31)),
        contracts_start_on=max(today, dt.date(REFERENCE_DATE.year + 1, 12, 31))
        + dt.timedelta(days=32),
    )


def _households(neighbourhood):
    return list(Household.objects.filter(neighbourhood=neighbourhood).order_by("pk"))


def _energy(neighbourhood, actor, rng, suppliers, stdout) -> None:
    electricity = Category.objects.get(neighbourhood=None, code="electricity")
    grey, green = suppliers
    agreement_grey = _agreement(
        neighbourhood,
        actor,
        grey,
        categories=[electricity],
        kickback_cents=7_500,
        fee_cents=50_000,
        terms="Vaste leveringsprijs voor een jaar; opzeggen kan maandelijks.",
    )
    agreement_green = _agreement(
        neighbourhood,
        actor,
        green,
        categories=[electricity],
        kickback_cents=7_500,
        fee_cents=25_000,
        terms="Stroom van zonnedaken in en rond de wijk, vaste prijs voor een jaar.",
    )
    campaign = _open_window(
        neighbourhood,
        actor,
        title=ENERGY_TITLE,
        category=electricity,
        description=(
            "De wijk koopt samen stroom in. Hoe meer huishoudens meedoen, hoe lager de prijs."
        ),
    )
    households = _households(neighbourhood)
    volume_unit = 2_000  # kWh per household the tiers are sized on
    n = len(households)
    actions.offer_submit(
        actor=actor,
        campaign=campaign,
        agreement=agreement_grey,
        name="Buurtstroom",
        description="Gewone stroom tegen een vaste prijs.",
        tier_basis="volume",
        min_households=max(3, n // 50),
        features=["monthly_cancel"],
        tiers=[
            TierInput(0, volume_unit * max(1, n // 10) - 1, 262_000, 6_500),
            TierInput(
                volume_unit * max(1, n // 10), volume_unit * max(2, n // 4) - 1, 249_000, 6_000
            ),
            TierInput(volume_unit * max(2, n // 4), None, 238_000, 5_500),
        ],
    )
    actions.offer_submit(
        actor=actor,
        campaign=campaign,
        agreement=agreement_green,
        name="Zonnestroom Lindenhof",
        description="100 % groene stroom van zonnedaken in de buurt.",
        tier_basis="households",
        min_households=max(3, n // 60),
        capacity=max(10, n // 5),
        features=["green", "local"],
        tiers=[
            TierInput(0, max(1, n // 20) - 1, 279_000, 5_000),
            TierInput(max(1, n // 20), max(2, n // 8) - 1, 265_000, 5_000),
            TierInput(max(2, n // 8), None, 255_000, 4_500),
        ],
    )
    for household in households:
        if rng.random() > 0.55:
            continue
        usage = rng.randint(1_200, 4_500)
        price = rng.randint(270_000, 360_000)  # micro-euros per kWh today
        fee = rng.randint(6_000, 11_000)  # cents a year today
        actions.pledge_save(
            actor=actor,
            campaign=campaign,
            household=household,
            current_supplier=rng.choice(["Vattenfall", "Eneco", "Essent", "Budget Energie"]),
            usage=usage,
            current_yearly_cost_cents=fee + (usage * price + 5_000) // 10_000,
            required_features=["green"] if rng.random() < 0.3 else [],
        )
    # Move the window into the past before allocating, so the finished campaign reads right.
    actions.campaign_update(
        actor=actor,
        campaign=campaign,
        registration_opens_on=dt.date(REFERENCE_DATE.year - 1, 9, 1),
        registration_closes_on=dt.date(REFERENCE_DATE.year - 1, 10, 31),
        contracts_start_on=REFERENCE_DATE,
    )
    actions.allocation_propose(actor=actor, campaign=campaign)
    proposals = (
        AllocationResult.objects.filter(
            run__campaign=campaign,
            run__kind=AllocationRun.Kind.PROPOSAL,
            run__is_current=True,
            offer__isnull=False,
        )
        .select_related("pledge")
        .order_by("pk")
    )
    for result in proposals:
        step = actions.pledge_confirm if rng.random() < 0.85 else actions.pledge_decline
        step(actor=actor, pledge=result.pledge)
    actions.allocation_finalise(actor=actor, campaign=campaign)
    contracts = actions.contracts_start(actor=actor, campaign=campaign)
    stdout.write(
        f"Purchasing of {neighbourhood.name}: energy campaign finished with "
        f"{len(contracts)} contracts."
    )


def _internet(neighbourhood, actor, rng, supplier, stdout) -> None:
    internet = Category.objects.get(neighbourhood=None, code="internet_tv")
    agreement = _agreement(
        neighbourhood,
        actor,
        supplier,
        categories=[internet],
        kickback_cents=3_000,
        fee_cents=15_000,
        terms="Glasvezel met tv; geen aansluitkosten voor deelnemers.",
    )
    campaign = _open_window(
        neighbourhood,
        actor,
        title=INTERNET_TITLE,
        category=internet,
        description="Samen overstappen naar glasvezel: met meer huishoudens daalt de maandprijs.",
    )
    n = len(_households(neighbourhood))
    # Usage is in months (12 a year); the price per unit is the price per month.
    actions.offer_submit(
        actor=actor,
        campaign=campaign,
        agreement=agreement,
        name="Glasvezel samen",
        description="1 Gbit/s internet met tv-pakket.",
        tier_basis="households",
        min_households=max(3, n // 40),
        features=["fibre", "monthly_cancel"],
        tiers=[
            TierInput(0, max(1, n // 15) - 1, 39_500_000, 0),
            TierInput(max(1, n // 15), max(2, n // 6) - 1, 36_000_000, 0),
            TierInput(max(2, n // 6), None, 33_000_000, 0),
        ],
    )
    for household in _households(neighbourhood):
        if rng.random() > 0.2:
            continue
        actions.pledge_save(
            actor=actor,
            campaign=campaign,
            household=household,
            current_supplier=rng.choice(["KPN", "Ziggo", "Odido"]),
            usage=12,
            current_yearly_cost_cents=12 * rng.randint(4_000, 6_000),
        )
    pledges = Pledge.objects.filter(campaign=campaign).count()
    stdout.write(
        f"Purchasing of {neighbourhood.name}: internet campaign open with {pledges} pledges."
    )


def build_demo(*, neighbourhood, stdout) -> None:
    rng = random.Random(f"purchasing:{neighbourhood.slug}")
    actor = _actor(neighbourhood)
    companies = {o.name: o for o in Organisation.objects.filter(neighbourhood=neighbourhood)}
    energy = [companies.get(name) for name in ENERGY_SUPPLIERS]
    internet = companies.get(INTERNET_SUPPLIER)
    done = set(Campaign.objects.filter(neighbourhood=neighbourhood).values_list("title", flat=True))
    if all(energy) and ENERGY_TITLE not in done:
        with transaction.atomic():
            _energy(neighbourhood, actor, random.Random(f"{rng.random()}"), energy, stdout)
    else:
        rng.random()
    if internet and INTERNET_TITLE not in done:
        with transaction.atomic():
            _internet(neighbourhood, actor, random.Random(f"{rng.random()}"), internet, stdout)
    if (not all(energy) and not internet) or (ENERGY_TITLE in done and INTERNET_TITLE in done):
        stdout.write(f"Purchasing of {neighbourhood.name}: nothing to add.")
