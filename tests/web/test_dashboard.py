"""The resident's home page cards: currency balances, offers to decide on, campaigns, savings."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heelwijk.currency.actions import payment_create, wallet_open
from heelwijk.purchasing import actions as purchasing_actions
from heelwijk.purchasing.models import Pledge
from tests.currency.conftest import make_currency, town  # noqa: F401  (fixture)
from tests.purchasing.conftest import open_campaign, pledge, purchasing  # noqa: F401  (fixture)


def _cards(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [
        (str(c.title), c.figure, str(c.text), c.url, c.to_do) for c in response.context["cards"]
    ]


def test_a_resident_sees_the_balance_of_the_household_wallet(town, client_for):  # noqa: F811
    world = town.world
    currency = make_currency(world, "mutual_credit", limit_household=5000)
    anna = wallet_open(currency=currency, holder=world.household_a, actor=world.resident_a)
    beuk = wallet_open(currency=currency, holder=world.household_a2, actor=world.staff_a)
    payment_create(payer=beuk, payee=anna, amount=1_250, actor=world.staff_a)

    cards = _cards(client_for(world.resident_a))

    assert cards == [
        (
            "Linde",
            "L 12,50",
            f"Saldo van {anna.name}.",
            reverse("currency:wallet", args=[anna.pk]),
            False,
        )
    ]


def test_a_resident_without_wallet_is_invited_to_open_one(town, client_for):  # noqa: F811
    make_currency(town.world, "time_credit", code="UUR", name="Buurturen", symbol="u")
    cards = _cards(client_for(town.world.resident_a))
    assert cards == [
        (
            "Buurturen",
            "",
            "Je wijk heeft een eigen munt. Open een portemonnee om mee te doen.",
            reverse("currency:home"),
            True,
        )
    ]


def test_campaign_cards_follow_the_household_through_a_campaign(purchasing, client_for):  # noqa: F811
    world, campaign = purchasing.world, purchasing.campaign
    client = client_for(world.resident_a)
    detail = reverse("purchasing:campaign_detail", args=[campaign.pk])
    closes = campaign.registration_closes_on

    assert _cards(client) == [
        (
            "Samen stroom",
            "",
            f"Koop samen met de wijk. Meld je aan vóór {closes.day} {_month_nl(closes)}.",
            detail,
            True,
        )
    ]

    own = pledge(world, campaign, world.household_a, usage=2_000, cost_cents=80_000)
    assert _cards(client) == []  # pledged: nothing to do until the proposal

    pledge(world, campaign, world.household_a2, usage=1_000, cost_cents=40_000)
    purchasing_actions.allocation_propose(actor=world.staff_a, campaign=campaign)
    # 2 households: tier 1, €0.30/kWh + €60: 2,000 kWh cost €660 instead of €800.
    assert _cards(client) == [
        (
            "Samen stroom",
            "€ 140,00",
            "Een aanbod voor je huishouden: Buurtstroom bespaart je zoveel per jaar.",
            detail,
            True,
        )
    ]

    for p in Pledge.objects.filter(campaign=campaign):
        purchasing_actions.pledge_confirm(actor=world.staff_a, pledge=p)
    purchasing_actions.allocation_finalise(actor=world.staff_a, campaign=campaign)
    purchasing_actions.contracts_start(actor=world.staff_a, campaign=campaign)
    own.refresh_from_db()
    assert _cards(client) == [
        (
            "Samen inkopen",
            "€ 140,00",
            "Je huishouden bespaart zoveel per jaar met 1 contract.",
            reverse("purchasing:campaign_list"),
            False,
        )
    ]


def _month_nl(day: dt.date) -> str:
    return [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ][day.month - 1]


def _query_count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_home_page_query_count_does_not_grow_with_the_data(purchasing, client_for):  # noqa: F811
    world = purchasing.world
    client = client_for(world.resident_a)
    currency = make_currency(world, "mutual_credit")
    wallet_open(currency=currency, holder=world.household_a, actor=world.resident_a)
    before = _query_count(client)

    second = make_currency(world, "time_credit", code="UUR", name="Buurturen", symbol="u")
    wallet_open(currency=second, holder=world.person_a, actor=world.resident_a)
    for n in range(3):
        open_campaign(world, title=f"Campagne {n}")
    cards = _cards(client)
    # 4 campaigns to join (the fixture's and 3 more), of which 3 are shown, and 2 wallets.
    assert [c[4] for c in cards] == [True, True, True, False, False]
    assert _query_count(client) == before


def test_staff_without_a_household_get_no_cards(purchasing, client_for):  # noqa: F811
    response = client_for(purchasing.world.staff_a).get(reverse("home"))
    assert response.context["cards"] == []
    assert "Voor je huishouden" not in response.content.decode()
