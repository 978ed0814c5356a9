"""Demo books for a demo neighbourhood: a chart of accounts and half a year of activity.

``build_demo(neighbourhood=..., stdout=...)`` is called by ``heelwijk demo`` for every demo
neighbourhood, also on reruns. It is

- idempotent: accounts are found by their code, and every transaction carries an idempotency
  key ``demo:<what>:<n>``, so a rerun posts nothing twice (``post_batch`` answers a known key
  with the transaction it wrote before), and once the last step is in the books a rerun stops
  at once;
- deterministic: amounts and choices come from ``random.Random`` seeded with the slug, dates
  from the demo's reference date (the half year before it);
- written only through the ledger actions (``account_open``, ``post_batch``,
  ``reverse_transaction``), so the demo books pass ``heelwijk ledger verify``.

The chart (euros unless noted): 1000 Kas, 1100 Bank, 0900 Eigen vermogen, 2000 Lokaal fonds
(a fund), 8000 Contributie leden, 8100 Verkoop buurtwinkel, 4000 Inkoop buurtwinkel, 4100
Energie buurthuis, 4200 Onderhoud en reparaties, 4300 Activiteiten, 4400 Bankkosten, one
deposit account ``HH-<id>`` (liability, lower limit 0) per household with a member of the
wijkbedrijf, and K-1000 / K-8000 for kWh from the shared solar roof. Members top up their
deposit each quarter, dues come off it monthly, some give to the local fund, and the
wijkbedrijf pays its bills; one bill was entered twice and is reversed with a reason.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from heelwijk.neighbourhood.demo.plan import REFERENCE_DATE
from heelwijk.neighbourhood.models import Household, Neighbourhood, Organisation

from .actions import (
    BatchTransaction,
    PostingLine,
    account_open,
    ensure_standard_units,
    post_batch,
    reverse_transaction,
)
from .models import Account, Transaction, Unit

START = date(REFERENCE_DATE.year - 1, 7, 1)  # half a year of activity before the reference date
MONTHS = 6
DUES = 750  # € 7,50 per member per month
DUPLICATE_KEY = "demo:party:twice"  # the bill entered twice, reversed with a reason

# code, name, type, owner kind
CHART = [
    ("0900", "Eigen vermogen", "equity", "wijkbedrijf"),
    ("1000", "Kas", "asset", "wijkbedrijf"),
    ("1100", "Bank", "asset", "wijkbedrijf"),
    ("2000", "Lokaal fonds", "liability", "fund"),
    ("4000", "Inkoop buurtwinkel", "expense", "wijkbedrijf"),
    ("4100", "Energie buurthuis", "expense", "wijkbedrijf"),
    ("4200", "Onderhoud en reparaties", "expense", "wijkbedrijf"),
    ("4300", "Activiteiten", "expense", "wijkbedrijf"),
    ("4400", "Bankkosten", "expense", "wijkbedrijf"),
    ("8000", "Contributie leden", "income", "wijkbedrijf"),
    ("8100", "Verkoop buurtwinkel", "income", "wijkbedrijf"),
]
KWH_CHART = [
    ("K-1000", "Opgewekte stroom zonnedak", "asset", "wijkbedrijf"),
    ("K-8000", "Geleverde stroom aan leden", "income", "wijkbedrijf"),
]


def _month(offset: int) -> date:
    year, month = divmod(START.month - 1 + offset, 12)
    return date(START.year + year, month + 1, 1)


def _month_end(first: date) -> date:
    return _month_after(first) - timedelta(days=1)


def _month_after(first: date) -> date:
    return date(first.year + (first.month // 12), first.month % 12 + 1, 1)


def _open_chart(neighbourhood: Neighbourhood, units: dict[str, Unit]) -> dict[str, Account]:
    wijkbedrijf = Organisation.objects.filter(
        neighbourhood=neighbourhood, kind=Organisation.Kind.WIJKBEDRIJF
    ).first()
    existing = {a.code: a for a in Account.objects.filter(neighbourhood=neighbourhood)}
    specs = [(c, n, t, o, units["EUR"]) for c, n, t, o in CHART]
    specs += [(c, n, t, o, units["KWH"]) for c, n, t, o in KWH_CHART]
    for code, name, type_, owner_kind, unit in specs:
        if code in existing:
            continue
        existing[code] = account_open(
            neighbourhood=neighbourhood,
            unit=unit,
            code=code,
            name=name,
            type=type_,
            owner_kind=owner_kind,
            owner=wijkbedrijf if owner_kind == "wijkbedrijf" else None,
        )
    return existing


def _member_households(neighbourhood: Neighbourhood) -> list[tuple[Household, int]]:
    """Households with a member of the wijkbedrijf (or a demo login), with their member count."""
    households = (
        Household.objects.filter(neighbourhood=neighbourhood)
        .filter(Q(members__member_since__isnull=False) | Q(members__user__isnull=False))
        .distinct()
        .order_by("pk")
    )
    result = []
    for household in households.prefetch_related("members"):
        members = sum(1 for p in household.members.all() if p.member_since is not None)
        result.append((household, max(members, 1)))
    return result


def _open_deposits(
    neighbourhood: Neighbourhood,
    eur: Unit,
    households: list[tuple[Household, int]],
    existing: dict[str, Account],
) -> dict[int, Account]:
    deposits: dict[int, Account] = {}
    for household, _members in households:
        code = f"HH-{household.pk}"
        account = existing.get(code)
        if account is None:
            number = f"{household.house_number}{household.house_number_suffix}"
            account = account_open(
                neighbourhood=neighbourhood,
                unit=eur,
                code=code,
                name=f"Tegoed {household.street} {number}",
                type="liability",
                owner_kind="household",
                owner=household,
                lower_limit=0,
            )
        deposits[household.pk] = account
    return deposits


def _plan(
    slug: str, chart: dict[str, Account], deposits: list[tuple[Account, int]]
) -> list[BatchTransaction]:
    """The transactions of the demo, in order, before any is posted."""
    rng = random.Random(f"heelwijk-ledger-demo:{slug}")
    items: list[BatchTransaction] = []

    def add(key: str, memo: str, day: date, *lines: tuple[Account, str, int]) -> None:
        items.append(
            BatchTransaction(
                memo=memo,
                lines=[PostingLine(account, side, amount) for account, side, amount in lines],
                effective_date=day,
                idempotency_key=f"demo:{key}",
            )
        )

    bank, cash, equity, fund = chart["1100"], chart["1000"], chart["0900"], chart["2000"]
    add(
        "opening",
        "Beginbalans",
        START,
        (bank, "D", 1_850_000),
        (cash, "D", 35_000),
        (equity, "C", 1_585_000),
        (fund, "C", 300_000),
    )
    fund_givers = {a.pk for a, _m in deposits if rng.random() < 0.35}
    for month in range(MONTHS):
        first = _month(month)
        if month % 3 == 0:  # a quarterly top-up of each member's deposit
            for account, members in deposits:
                amount = members * DUES * 3 + (1000 if account.pk in fund_givers else 0)
                amount += rng.choice((0, 0, 500, 1000, 2500))
                add(
                    f"top-up:{month}:{account.pk}",
                    "Storting tegoed",
                    first + timedelta(days=1),
                    (bank, "D", amount),
                    (account, "C", amount),
                )
        for account, members in deposits:
            add(
                f"dues:{month}:{account.pk}",
                f"Contributie {first:%m-%Y}",
                first + timedelta(days=4),
                (account, "D", members * DUES),
                (chart["8000"], "C", members * DUES),
            )
            if account.pk in fund_givers and month % 3 == 1:
                add(
                    f"fund:{month}:{account.pk}",
                    "Bijdrage lokaal fonds",
                    first + timedelta(days=9),
                    (account, "D", 1000),
                    (fund, "C", 1000),
                )
        end = _month_end(first)
        energy = rng.randrange(18_000, 32_000)
        add(
            f"energy:{month}",
            f"Energierekening buurthuis {first:%m-%Y}",
            end,
            (chart["4100"], "D", energy),
            (bank, "C", energy),
        )
        shop_in = rng.randrange(120_000, 180_000)
        shop_out = shop_in + rng.randrange(15_000, 30_000)
        add(
            f"shop-purchase:{month}",
            f"Inkoop buurtwinkel {first:%m-%Y}",
            first + timedelta(days=6),
            (chart["4000"], "D", shop_in),
            (bank, "C", shop_in),
        )
        add(
            f"shop-sales:{month}",
            f"Omzet buurtwinkel {first:%m-%Y}",
            end,
            (bank, "D", shop_out - 20_000),
            (cash, "D", 20_000),
            (chart["8100"], "C", shop_out),
        )
        add(
            f"bank-fees:{month}",
            f"Bankkosten {first:%m-%Y}",
            end,
            (chart["4400"], "D", 1250),
            (bank, "C", 1250),
        )
        solar = rng.randrange(1_800_000, 6_500_000)  # 1.800 to 6.500 kWh in thousandths
        add(
            f"solar:{month}",
            f"Opwek zonnedak {first:%m-%Y}",
            end,
            (chart["K-1000"], "D", solar),
            (chart["K-8000"], "C", solar),
        )
    # A purchase split over three accounts, then a bill entered twice by mistake.
    add(
        "repair-split",
        "Bouwmarkt: verf, lampen en koffie",
        _month(2) + timedelta(days=14),
        (chart["4200"], "D", 18_450),
        (chart["4300"], "D", 3_275),
        (chart["4000"], "D", 1_890),
        (bank, "C", 23_615),
    )
    add(
        "party",
        "Burendag: tent en muziek",
        _month(2) + timedelta(days=26),
        (chart["4300"], "D", 42_500),
        (bank, "C", 42_500),
    )
    add(
        "party:twice",
        "Burendag: tent en muziek",
        _month(2) + timedelta(days=27),
        (chart["4300"], "D", 42_500),
        (bank, "C", 42_500),
    )
    add(
        "fund-grant",
        "Lokaal fonds: bijdrage speeltuin",
        _month(4) + timedelta(days=11),
        (fund, "D", 75_000),
        (bank, "C", 75_000),
    )
    return items


def _finished(neighbourhood: Neighbourhood) -> bool:
    """The last step of the demo (the reversal of the bill entered twice) is in the books."""
    return Transaction.objects.filter(
        neighbourhood=neighbourhood, reverses__idempotency_key=DUPLICATE_KEY
    ).exists()


def build_demo(*, neighbourhood: Neighbourhood, stdout: Any) -> None:
    """Give the demo neighbourhood its books (once; a rerun changes nothing)."""
    if _finished(neighbourhood):
        stdout.write(f"Ledger of {neighbourhood.name} exists already; nothing changed.")
        return
    with transaction.atomic():
        units = ensure_standard_units(neighbourhood=neighbourhood)
        chart = _open_chart(neighbourhood, units)
        households = _member_households(neighbourhood)
        deposits = _open_deposits(neighbourhood, units["EUR"], households, chart)
        plan = _plan(neighbourhood.slug, chart, [(deposits[h.pk], n) for h, n in households])
        posted = post_batch(neighbourhood=neighbourhood, kind="demo", actor=None, transactions=plan)
        twice = next(t for t in posted if t.idempotency_key == DUPLICATE_KEY)
        reverse_transaction(
            transaction=twice,
            actor=None,
            reason="Dubbel geboekt: de factuur van de burendag was al betaald.",
        )
    stdout.write(
        f"Ledger of {neighbourhood.name}: {len(chart) + len(deposits)} accounts, "
        f"{len(posted) + 1} transactions."
    )
