"""The figures of a currency: what is in circulation, how much it moves, and a report.

Units in circulation are the sum of all positive wallet balances: for a time credit or mutual
credit that equals the credit in use (the negative balances), for an issued currency the units
issued and not taken back. Velocity is the payment volume of the last 30 days divided by the
units in circulation at the end of them: how often a unit changed hands in a month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.ledger import selectors as ledger_selectors
from heelwijk.ledger.selectors import trial_balance

from ..models import (
    VOLUNTEERING,
    Category,
    Currency,
    DemurrageRun,
    Payment,
    ReserveMovement,
    VolunteerCredit,
    Wallet,
)

WINDOW_DAYS = 30
CHART_MONTHS = 12
TOP_CATEGORIES = 5


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first day of the month
    payments: int
    volume: int  # minor units paid
    credited: int  # minor units earned by volunteering
    active_wallets: int
    circulation: int  # at the end of the month (or at the as-of date for the last one)


@dataclass(frozen=True)
class CategoryFigures:
    key: str
    label: str
    payments: int
    amount: int
    share: Decimal  # percent of the amount of all categories together


@dataclass
class Circulation:
    currency: Currency
    as_of: date
    in_circulation: int
    wallets: int
    active_wallets: int  # in the 30 days up to as_of
    payments: int  # in those 30 days
    volume: int  # in those 30 days
    velocity: Decimal | None
    categories: list[CategoryFigures] = field(default_factory=list)
    months: list[MonthFigures] = field(default_factory=list)
    last_payment: date | None = None  # the last day with a payment, up to as_of

    @property
    def window_start(self) -> date:
        return self.as_of - timedelta(days=WINDOW_DAYS - 1)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _wallet_accounts(currency: Currency) -> dict[int, int]:
    """account id → wallet id, community account included."""
    return dict(Wallet.objects.filter(currency=currency).values_list("account_id", "pk"))


def circulation_at(
    currency: Currency, at: date | None, accounts: dict[int, int] | None = None
) -> int:
    """Sum of the positive wallet balances now (``at`` None) or at the end of a day."""
    if at is None:
        positive = Wallet.objects.filter(currency=currency, account__balance__gt=0).aggregate(
            total=Sum("account__balance")
        )
        return int(positive["total"] or 0)
    accounts = accounts if accounts is not None else _wallet_accounts(currency)
    total = 0
    for block in trial_balance(neighbourhood=currency.neighbourhood, unit=currency.unit, at=at):
        for row in block.rows:
            if row.account.pk in accounts and row.balance > 0:
                total += row.balance
    return total


def _active_wallets(currency: Currency, since: date, until: date) -> set[int]:
    active: set[int] = set()
    payments = Payment.objects.filter(
        currency=currency, effective_date__gte=since, effective_date__lte=until
    )
    for payer, payee in payments.values_list("payer_id", "payee_id").distinct():
        active.update((payer, payee))
    credits = VolunteerCredit.objects.filter(
        currency=currency, activity_date__gte=since, activity_date__lte=until
    )
    active.update(credits.values_list("wallet_id", flat=True).distinct())
    return active


def _categories(currency: Currency, since: date, until: date) -> list[CategoryFigures]:
    labels = dict(Category.choices)
    rows = (
        Payment.objects.filter(
            currency=currency, effective_date__gte=since, effective_date__lte=until
        )
        .values("category")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    found = [
        (r["category"], str(labels.get(r["category"], r["category"])), r["n"], r["amount"])
        for r in rows
    ]
    credits = VolunteerCredit.objects.filter(
        currency=currency, activity_date__gte=since, activity_date__lte=until
    ).aggregate(n=Count("pk"), amount=Sum("amount"))
    if credits["n"]:
        found.append((VOLUNTEERING, _("volunteering"), credits["n"], credits["amount"]))
    total = sum(item[3] for item in found) or 1
    found.sort(key=lambda item: (-item[3], item[0]))
    return [
        CategoryFigures(
            key=key,
            label=label,
            payments=n,
            amount=amount,
            share=(Decimal(amount) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP),
        )
        for key, label, n, amount in found[:TOP_CATEGORIES]
    ]


def _months(currency: Currency, as_of: date, accounts: dict[int, int]) -> list[MonthFigures]:
    first = _month_start(as_of)
    for _i in range(CHART_MONTHS - 1):
        first = _month_start(first - timedelta(days=1))
    started = currency.created_at.date() if currency.created_at else first
    earliest_payment = (
        Payment.objects.filter(currency=currency)
        .order_by("effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
    earliest_credit = (
        VolunteerCredit.objects.filter(currency=currency)
        .order_by("activity_date")
        .values_list("activity_date", flat=True)
        .first()
    )
    beginning = min(d for d in (started, earliest_payment, earliest_credit) if d is not None)
    first = max(first, _month_start(beginning))
    payments = {
        row["month"]: row
        for row in Payment.objects.filter(
            currency=currency, effective_date__gte=first, effective_date__lte=as_of
        )
        .annotate(month=TruncMonth("effective_date"))
        .values("month")
        .annotate(n=Count("pk"), volume=Sum("amount"))
        .order_by()
    }
    credits = {
        row["month"]: row["amount"]
        for row in VolunteerCredit.objects.filter(
            currency=currency, activity_date__gte=first, activity_date__lte=as_of
        )
        .annotate(month=TruncMonth("activity_date"))
        .values("month")
        .annotate(amount=Sum("amount"))
        .order_by()
    }
    active: dict[date, set[int]] = defaultdict(set)
    for month, payer, payee in (
        Payment.objects.filter(
            currency=currency, effective_date__gte=first, effective_date__lte=as_of
        )
        .annotate(month=TruncMonth("effective_date"))
        .values_list("month", "payer_id", "payee_id")
        .distinct()
    ):
        active[_as_date(month)].update((payer, payee))
    for month, wallet in (
        VolunteerCredit.objects.filter(
            currency=currency, activity_date__gte=first, activity_date__lte=as_of
        )
        .annotate(month=TruncMonth("activity_date"))
        .values_list("month", "wallet_id")
        .distinct()
    ):
        active[_as_date(month)].add(wallet)
    payments = {_as_date(k): v for k, v in payments.items()}
    credits = {_as_date(k): v for k, v in credits.items()}
    months = []
    month = first
    today = timezone.localdate()
    while month <= as_of:
        end = min(_next_month(month) - timedelta(days=1), as_of)
        row = payments.get(month, {})
        months.append(
            MonthFigures(
                month=month,
                payments=row.get("n", 0),
                volume=row.get("volume") or 0,
                credited=credits.get(month) or 0,
                active_wallets=len(active.get(month, ())),
                circulation=circulation_at(currency, None if end >= today else end, accounts),
            )
        )
        month = _next_month(month)
    return months


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def circulation(*, currency: Currency, as_of: date | None = None) -> Circulation:
    """The public figures of ``currency`` up to and including ``as_of`` (default today)."""
    today = timezone.localdate()
    as_of = min(as_of or today, today)
    accounts = _wallet_accounts(currency)
    in_circulation = circulation_at(currency, None if as_of >= today else as_of, accounts)
    since = as_of - timedelta(days=WINDOW_DAYS - 1)
    window = Payment.objects.filter(
        currency=currency, effective_date__gte=since, effective_date__lte=as_of
    ).aggregate(n=Count("pk"), volume=Sum("amount"))
    volume = window["volume"] or 0
    velocity = None
    if in_circulation > 0:
        velocity = (Decimal(volume) / Decimal(in_circulation)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    months = _months(currency, as_of, accounts)
    year_start = months[0].month if months else since
    return Circulation(
        currency=currency,
        as_of=as_of,
        in_circulation=in_circulation,
        wallets=Wallet.objects.filter(currency=currency, account__is_open=True)
        .exclude(kind=Wallet.Kind.COMMUNITY)
        .count(),
        active_wallets=len(_active_wallets(currency, since, as_of)),
        payments=window["n"],
        volume=volume,
        velocity=velocity,
        categories=_categories(currency, year_start, as_of),
        months=months,
        last_payment=Payment.objects.filter(currency=currency, effective_date__lte=as_of)
        .order_by("-effective_date")
        .values_list("effective_date", flat=True)
        .first(),
    )


# --- the report for staff and the command ----------------------------------------------------


@dataclass
class Report:
    circulation: Circulation
    wallets_by_kind: dict[str, int]
    positive: int  # sum of positive wallet balances
    negative: int  # sum of negative wallet balances (credit in use), ≤ 0
    community_balance: int
    issued: int | None  # issuance account balance (issued models)
    reserve: int | None  # euro reserve in cents (euro-backed)
    reserve_matches: bool | None
    zero_sum: bool | None  # credit models: all wallets add up to zero
    hours_credited: Decimal
    deposits: int
    redemptions: int
    fees: int
    demurrage_runs: list[DemurrageRun]


def report(*, currency: Currency, as_of: date | None = None) -> Report:
    """Everything staff need to check a currency: circulation plus the books behind it."""
    figures = circulation(currency=currency, as_of=as_of)
    wallets = list(Wallet.objects.filter(currency=currency).select_related("account"))
    by_kind: dict[str, int] = defaultdict(int)
    positive = negative = community = 0
    for wallet in wallets:
        by_kind[wallet.kind] += 1
        balance = wallet.account.balance
        if wallet.is_community:
            community = balance
        if balance > 0:
            positive += balance
        else:
            negative += balance
    issued = reserve = None
    if currency.issuance_account is not None:
        issued = ledger_selectors.balance(account=currency.issuance_account)
    if currency.reserve_account is not None:
        reserve = ledger_selectors.balance(account=currency.reserve_account)
    total = positive + negative
    moves = ReserveMovement.objects.filter(currency=currency)
    sums = {
        row["kind"]: row
        for row in moves.values("kind").annotate(amount=Sum("amount"), fee=Sum("fee")).order_by()
    }
    return Report(
        circulation=figures,
        wallets_by_kind=dict(by_kind),
        positive=positive,
        negative=negative,
        community_balance=community,
        issued=issued,
        reserve=reserve,
        reserve_matches=(reserve == total == issued) if currency.is_euro_backed else None,
        zero_sum=(total == 0) if currency.allows_credit else None,
        hours_credited=VolunteerCredit.objects.filter(currency=currency).aggregate(h=Sum("hours"))[
            "h"
        ]
        or Decimal("0"),
        deposits=(sums.get("deposit") or {}).get("amount") or 0,
        redemptions=(sums.get("redemption") or {}).get("amount") or 0,
        fees=(sums.get("redemption") or {}).get("fee") or 0,
        demurrage_runs=list(currency.demurrage_runs.order_by("period_start")),
    )


@dataclass(frozen=True)
class ReserveStatus:
    reserve: int  # euro cents in the reserve
    issued: int  # units issued and not taken back
    in_circulation: int

    @property
    def matches(self) -> bool:
        return self.reserve == self.issued == self.in_circulation


def reserve_status(*, currency: Currency) -> ReserveStatus | None:
    """The euro reserve against the units out there (euro-backed currencies only)."""
    if not currency.is_euro_backed:
        return None
    return ReserveStatus(
        reserve=ledger_selectors.balance(account=currency.reserve_account),
        issued=ledger_selectors.balance(account=currency.issuance_account),
        in_circulation=circulation_at(currency, None),
    )
