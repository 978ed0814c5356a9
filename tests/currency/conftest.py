"""Currency fixtures: a shop with its representative, currencies of each model, wallets."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from heelwijk.currency.actions import currency_create, wallet_open
from heelwijk.currency.models import Currency, Wallet
from heelwijk.ledger.verify import verify_ledger
from heelwijk.neighbourhood.models import Organisation, Role
from tests.factories import OrganisationFactory, RoleFactory, UserFactory

# The roles of the permission matrix: the five of tests/conftest.py plus a shop's login.
ROLES = ["anonymous", "resident_a", "resident_b", "staff_a", "representative_a", "shop_a"]


@pytest.fixture(autouse=True)
def ledger_stays_sound(request):
    """After every test that used the database: zero sums, stored balances, limits and the
    hash chain of the ledger are all intact."""
    names = set(request.fixturenames)
    uses_db = bool({"db", "transactional_db", "world", "town"} & names)
    if uses_db:
        # Asked for here, so the database outlives this fixture's check.
        request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    yield
    if uses_db:
        report = verify_ledger()
        assert report.ok, [p.message for p in report.problems]


@dataclass
class Town:
    """World A/B plus a shop in A, its representative, and the wijkbedrijf of A."""

    world: object
    shop: Organisation
    shop_a: object  # the shop's login
    wijkbedrijf: Organisation
    shop_b: Organisation

    def user(self, role: str):
        if role == "shop_a":
            return self.shop_a
        return self.world.user(role)


@pytest.fixture
def town(world) -> Town:
    shop = OrganisationFactory(
        neighbourhood=world.nbh_a, name="Bakkerij Van der Linden", kind=Organisation.Kind.SHOP
    )
    shop_user = UserFactory(email="winkel-a@example.org", full_name="Peter van der Linden")
    RoleFactory(
        user=shop_user,
        neighbourhood=world.nbh_a,
        kind=Role.Kind.REPRESENTATIVE,
        organisation=shop,
        scale=Role.Scale.OPERATIONAL,
    )
    wijkbedrijf = OrganisationFactory(
        neighbourhood=world.nbh_a, name="Wijkbedrijf Lindenhof", kind=Organisation.Kind.WIJKBEDRIJF
    )
    return Town(world, shop, shop_user, wijkbedrijf, world.organisation_b)


def make_currency(world, model: str, *, code: str = "LINDE", neighbourhood=None, **options):
    return currency_create(
        neighbourhood=neighbourhood or world.nbh_a,
        actor=world.staff_a,
        code=code,
        name=options.pop("name", "Linde"),
        symbol=options.pop("symbol", "L"),
        model=model,
        **options,
    )


@dataclass
class Wallets:
    currency: Currency
    anna: Wallet  # resident_a's household (Lindelaan 12)
    beuk: Wallet  # household A2 (Beukenstraat 3), nobody logged in
    shop: Wallet  # the bakery
    community: Wallet


def open_wallets(town: Town, currency: Currency) -> Wallets:
    world = town.world
    return Wallets(
        currency=currency,
        anna=wallet_open(currency=currency, holder=world.household_a, actor=world.resident_a),
        beuk=wallet_open(currency=currency, holder=world.household_a2, actor=world.staff_a),
        shop=wallet_open(
            currency=currency, holder=town.shop, actor=town.shop_a, category="food_drink"
        ),
        community=Wallet.objects.get(currency=currency, kind=Wallet.Kind.COMMUNITY),
    )


@pytest.fixture
def mutual(town) -> Wallets:
    """A mutual credit: households may go to -50,00, shops to -200,00."""
    currency = make_currency(
        town.world, "mutual_credit", limit_household=5000, limit_person=5000, limit_shop=20000
    )
    return open_wallets(town, currency)


@pytest.fixture
def euro(town) -> Wallets:
    """A euro-backed voucher; shops exchange units for euros at a 5 % fee."""
    currency = make_currency(
        town.world, "euro_backed", redemption_enabled=True, redemption_fee_percent="5.00"
    )
    return open_wallets(town, currency)
