"""Demo currencies in use: the Linde in Lindenhof and a time bank in Eikendal.

``build_demo(neighbourhood=..., stdout=...)`` is called by ``heelwijk demo`` for every demo
neighbourhood on every run. It is

- idempotent: a neighbourhood whose demo currency exists is left alone; everything else is
  written in one database transaction, so a build is complete or absent;
- deterministic: choices come from ``random.Random`` seeded with the slug (only ``random()``
  is used), dates are the four months before the demo's reference date;
- written through the currency's actions, so every unit moves through the ledger.

Lindenhof gets the Linde, a euro-backed voucher (1 Linde = € 1; shops exchange Linde for euros
at a 5 % fee): residents buy Linde at the wijkbedrijf, pay the shops on the Lindeplein and each
other, earn Linde for volunteering (paid from the community account, which the wijkbedrijf
buys with euros), and the shops exchange part of their Linde at the end of each month. The demo
resident (bewoner@lindenhof.demo) has a wallet; the bakery (winkel@lindenhof.demo) is paid.

Eikendal gets a time bank: one hour of help is one hour, whatever the help; villagers may owe
up to 10 hours, and the village company credits volunteering from the community account.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation

from heelwijk.neighbourhood.demo.plan import REFERENCE_DATE
from heelwijk.neighbourhood.models import Household, Neighbourhood, Organisation, Person

from .actions import (
    PaymentItem,
    currency_create,
    euro_deposit,
    payments_import,
    redemption_create,
    trust_rule_add,
    volunteer_credit_create,
    wallet_open,
)
from .amounts import show
from .models import PAYMENT_CODE_ALPHABET, PAYMENT_CODE_LENGTH, Currency, Wallet
from .selectors import circulation_at, community_wallet

START = date(REFERENCE_DATE.year - 1, 9, 1)
END = REFERENCE_DATE - timedelta(days=1)
DEMO_RESIDENTS = {"lindenhof": "bewoner@lindenhof.demo", "eikendal": "bewoner@eikendal.demo"}

# What a shop sells and what a purchase costs there (cents, from-to).
SHOP_KINDS = [
    ("Bakkerij", "food_drink", 250, 1800, 6),
    ("Groente", "groceries", 300, 2500, 4),
    ("Slagerij", "groceries", 600, 3500, 3),
    ("Buurtsuper", "groceries", 400, 4500, 6),
    ("Fietsenmaker", "repairs", 1200, 6500, 1),
    ("Kapsalon", "services", 1500, 3500, 2),
    ("Bloemen", "other", 500, 2500, 1),
    ("Boekhandel", "leisure", 800, 3000, 1),
    ("Eetcafé", "food_drink", 900, 4500, 3),
]
NEIGHBOUR_HELP = [
    ("Oppassen", 1000, 2500),
    ("Hulp in de tuin", 1000, 3000),
    ("Boodschappen meegenomen", 500, 1500),
    ("Lift naar het ziekenhuis", 500, 1500),
    ("Taart voor het buurtfeest", 800, 2000),
]
VOLUNTEERING = [
    ("Repair Café", "Spullen gerepareerd in het buurthuis"),
    ("Buurtmaaltijd", "Gekookt voor de buurtmaaltijd in De Linde"),
    ("Zwerfvuil prikken", "Schoonmaakronde door de wijk"),
    ("Voorlezen", "Voorgelezen op basisschool De Kastanje"),
    ("Taalmaatje", "Nederlands geoefend met een buurvrouw"),
    ("Moestuin", "Gewerkt in de buurtmoestuin"),
]
TIME_HELP = [
    ("Hulp in de tuin", [Decimal("1.5"), Decimal("2"), Decimal("3")], "neighbours"),
    ("Computerhulp", [Decimal("1"), Decimal("1.5")], "services"),
    ("Boodschappen gedaan", [Decimal("1")], "care"),
    ("Klusje in huis", [Decimal("1"), Decimal("2"), Decimal("2.5")], "repairs"),
    ("Oppassen", [Decimal("2"), Decimal("3"), Decimal("4")], "care"),
]


class Chance:
    """Reproducible choices from ``random.Random.random()`` only (stable across versions)."""

    def __init__(self, seed: str) -> None:
        self._rng = random.Random(seed)

    def below(self, n: int) -> int:
        return min(int(self._rng.random() * n), n - 1)

    def pick(self, items: list[Any]) -> Any:
        return items[self.below(len(items))]

    def weighted(self, items: list[Any], weights: list[int]) -> Any:
        point = self._rng.random() * sum(weights)
        for item, weight in zip(items, weights, strict=True):
            if point < weight:
                return item
            point -= weight
        return items[-1]

    def cents(self, low: int, high: int, step: int = 5) -> int:
        return low + self.below((high - low) // step + 1) * step

    def chance(self, p: float) -> bool:
        return self._rng.random() < p


def _codes(seed: str):
    chance = Chance(f"{seed}-codes")
    taken = set(Wallet.objects.values_list("payment_code", flat=True))
    while True:
        code = "".join(
            PAYMENT_CODE_ALPHABET[chance.below(len(PAYMENT_CODE_ALPHABET))]
            for _i in range(PAYMENT_CODE_LENGTH)
        )
        if code not in taken:
            taken.add(code)
            yield code


@dataclass
class Book:
    """Balances as the demo expects them, so it only asks for payments that go through."""

    currency: Currency
    actor: Any = None
    balances: dict[int, int] = field(default_factory=dict)
    lower: dict[int, int] = field(default_factory=dict)
    pending: list[PaymentItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"payments": 0, "credits": 0})

    def add(self, wallet: Wallet) -> Wallet:
        self.balances[wallet.pk] = wallet.account.balance
        self.lower[wallet.pk] = wallet.account.lower_limit or 0
        return wallet

    def room(self, wallet: Wallet) -> int:
        return self.balances[wallet.pk] - self.lower[wallet.pk]

    def pay(
        self,
        payer: Wallet,
        payee: Wallet,
        amount: int,
        day: date,
        text: str,
        category: str | None = None,
    ) -> None:
        self.pending.append(PaymentItem(payer, payee, amount, text, category, day))
        self.balances[payer.pk] -= amount
        self.balances[payee.pk] += amount

    def flush(self) -> None:
        if self.pending:
            payments_import(currency=self.currency, items=self.pending, actor=self.actor)
            self.counts["payments"] += len(self.pending)
            self.pending = []

    def deposit(self, wallet: Wallet, amount: int, day: date, note: str) -> None:
        self.flush()
        euro_deposit(
            currency=self.currency,
            wallet=wallet,
            amount=amount,
            actor=self.actor,
            note=note,
            effective_date=day,
        )
        self.balances[wallet.pk] += amount

    def credit(
        self,
        wallet: Wallet,
        community: Wallet,
        hours: Decimal,
        day: date,
        activity: str,
        reason: str,
    ) -> None:
        self.flush()
        credit = volunteer_credit_create(
            currency=self.currency,
            wallet=wallet,
            hours=hours,
            activity=activity,
            reason=reason,
            actor=self.actor,
            activity_date=day,
        )
        self.balances[wallet.pk] += credit.amount
        self.balances[community.pk] -= credit.amount
        self.counts["credits"] += 1

    def redeem(self, wallet: Wallet, amount: int, day: date) -> None:
        self.flush()
        redemption_create(wallet=wallet, amount=amount, actor=self.actor, effective_date=day)
        self.balances[wallet.pk] -= amount


def _days() -> list[date]:
    return [START + timedelta(days=n) for n in range((END - START).days + 1)]


def _demo_resident(neighbourhood: Neighbourhood, slug: str) -> Person | None:
    email = DEMO_RESIDENTS.get(slug, "")
    return Person.objects.filter(neighbourhood=neighbourhood, user__email__iexact=email).first()


def _households(neighbourhood: Neighbourhood, chance: Chance, count: int, must: Any) -> list:
    everyone = list(
        Household.objects.filter(neighbourhood=neighbourhood).order_by(
            "postcode", "house_number", "house_number_suffix"
        )
    )
    chosen = [h for h in everyone if must is not None and h.pk == must.pk]
    rest = [h for h in everyone if not chosen or h.pk != chosen[0].pk]
    while rest and len(chosen) < count:
        chosen.append(rest.pop(chance.below(len(rest))))
    return chosen


def _build_linde(neighbourhood: Neighbourhood) -> str:
    slug = neighbourhood.slug
    chance, codes = Chance(slug), _codes(slug)
    currency = currency_create(
        neighbourhood=neighbourhood,
        actor=None,
        code="LINDE",
        name="Linde",
        symbol="L",
        model="euro_backed",
        community_payment_code=next(codes),
        description=(
            "De munt van Lindenhof: 1 Linde is 1 euro. Koop Linde bij het wijkbedrijf, betaal "
            "ermee bij de winkels op het Lindeplein en verdien Linde met vrijwilligerswerk."
        ),
        units_per_hour=500,
        redemption_enabled=True,
        redemption_fee_percent=Decimal("5.00"),
    )
    book = Book(currency)
    community = book.add(community_wallet(currency=currency))
    shops: list[tuple[Wallet, tuple]] = []
    for organisation in Organisation.objects.filter(
        neighbourhood=neighbourhood, kind=Organisation.Kind.SHOP
    ).order_by("name"):
        kind = next((k for k in SHOP_KINDS if organisation.name.startswith(k[0])), None)
        if kind is None:
            continue
        wallet = wallet_open(
            currency=currency,
            holder=organisation,
            actor=None,
            payment_code=next(codes),
            category=kind[1],
        )
        shops.append((book.add(wallet), kind))
    for name in ("Repair Café Lindenhof", "Stichting Buurthuis De Linde"):
        organisation = Organisation.objects.filter(neighbourhood=neighbourhood, name=name).first()
        if organisation is not None:
            book.add(
                wallet_open(
                    currency=currency,
                    holder=organisation,
                    actor=None,
                    payment_code=next(codes),
                    category="leisure",
                )
            )
    demo = _demo_resident(neighbourhood, slug)
    residents = [
        book.add(
            wallet_open(currency=currency, holder=household, actor=None, payment_code=next(codes))
        )
        for household in _households(neighbourhood, chance, 80, demo.household if demo else None)
    ]
    weights = [kind[4] for _wallet, kind in shops]
    book.deposit(community, 60000, START, "Inleg wijkbedrijf voor vrijwilligerswerk")
    for day in _days():
        if day.day <= 14:
            for resident in residents:
                if book.balances[resident.pk] == 0 and chance.chance(0.12):
                    book.deposit(
                        resident,
                        chance.pick([2000, 2500, 4000, 5000, 7500, 10000]),
                        day,
                        "Contant bij het wijkbedrijf",
                    )
        for _n in range(3 + chance.below(5)):
            payer = chance.pick(residents)
            if chance.chance(0.85):
                shop, kind = chance.weighted(shops, weights)
                amount, payee, text, category = chance.cents(kind[2], kind[3]), shop, "", None
            else:
                payee = chance.pick(residents)
                text, low, high = chance.pick(NEIGHBOUR_HELP)
                amount, category = chance.cents(low, high, 50), "neighbours"
                if payee.pk == payer.pk:
                    continue
            short = amount - book.room(payer)
            if short > 0:
                top_up = max(chance.pick([2500, 5000, 10000]), -(-short // 500) * 500)
                book.deposit(payer, top_up, day, "Opgewaardeerd")
            book.pay(payer, payee, amount, day, text, category)
        if day.weekday() in (2, 5) and chance.chance(0.6):
            activity, reason = chance.pick(VOLUNTEERING)
            hours = chance.pick([Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("3")])
            if book.room(community) < hours * 500:
                book.deposit(community, 20000, day, "Aanvulling wijkbedrijf")
            book.credit(chance.pick(residents), community, hours, day, activity, reason)
        if (day + timedelta(days=1)).day == 1:
            book.flush()
            for shop, _kind in shops:
                if book.balances[shop.pk] >= 5000:
                    book.redeem(shop, book.balances[shop.pk] * 6 // 10 // 100 * 100, day)
    book.flush()
    total = circulation_at(currency, None)
    return (
        f"{currency.name} ({neighbourhood.name}): {len(book.balances)} wallets, "
        f"{book.counts['payments']} payments, {book.counts['credits']} volunteering credits, "
        f"{show(total, currency)} in circulation."
    )


def _build_time_bank(neighbourhood: Neighbourhood) -> str:
    slug = neighbourhood.slug
    chance, codes = Chance(slug), _codes(slug)
    currency = currency_create(
        neighbourhood=neighbourhood,
        actor=None,
        code="UUR",
        name="Eikendaler uur",
        symbol="u",
        model="time_credit",
        community_payment_code=next(codes),
        description="De tijdbank van Eikendal: een uur hulp is een uur, wat de hulp ook is.",
        resident_wallets="person",
        limit_person=1000,
        limit_organisation=2000,
    )
    trust_rule_add(
        currency=currency, actor=None, wallet_kind="person", min_trades=10, credit_limit=2000
    )
    book = Book(currency)
    community = book.add(community_wallet(currency=currency))
    demo = _demo_resident(neighbourhood, slug)
    adults = list(
        Person.objects.filter(
            neighbourhood=neighbourhood, date_of_birth__lte=date(2007, 1, 1)
        ).order_by("last_name", "first_name", "date_of_birth", "email")
    )
    chosen = [p for p in adults if demo is not None and p.pk == demo.pk]
    rest = [p for p in adults if not chosen or p.pk != chosen[0].pk]
    while rest and len(chosen) < 40:
        chosen.append(rest.pop(chance.below(len(rest))))
    people = [
        book.add(
            wallet_open(currency=currency, holder=person, actor=None, payment_code=next(codes))
        )
        for person in chosen
    ]
    for day in _days():
        for _n in range(chance.below(3)):
            helper, helped = chance.pick(people), chance.pick(people)
            text, hours_options, category = chance.pick(TIME_HELP)
            amount = int(chance.pick(hours_options) * 100)
            if helper.pk == helped.pk or book.room(helped) < amount:
                continue
            book.pay(helped, helper, amount, day, text, category)
        if day.weekday() == 5 and chance.chance(0.7):
            book.credit(
                chance.pick(people),
                community,
                chance.pick([Decimal("2"), Decimal("3")]),
                day,
                "Dorpshuis",
                "Bardienst in Dorpshuis De Eik",
            )
    book.flush()
    return (
        f"{currency.name} ({neighbourhood.name}): {len(book.balances)} wallets, "
        f"{book.counts['payments']} exchanges, {book.counts['credits']} volunteering credits."
    )


BUILDERS = {"lindenhof": ("LINDE", _build_linde), "eikendal": ("UUR", _build_time_bank)}


def build_demo(*, neighbourhood: Neighbourhood, stdout: Any) -> None:
    """Give a demo neighbourhood its currency in use, once."""
    entry = BUILDERS.get(neighbourhood.slug)
    if entry is None:
        return
    code, build = entry
    existing = Currency.objects.filter(neighbourhood=neighbourhood, code=code).first()
    if existing is not None:
        stdout.write(f"{existing.name} ({neighbourhood.name}): already in use, left as it is.")
        return
    with translation.override("nl"), transaction.atomic():
        line = build(neighbourhood)
    stdout.write(line)
