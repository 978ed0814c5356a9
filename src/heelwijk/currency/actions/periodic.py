"""Jobs that run per period: demurrage and the expiry of unused balances.

Demurrage (a holding fee on money that is kept instead of spent; the Chiemgauer charges about
6 % a year after 90 days, see the design notes on local currency models) is charged per
completed period: on the lowest balance a wallet held during the last ``demurrage_after_days``
days of the period, i.e. the part that was not spent for that long. The charge is that base
times the rate, rounded down to a cent, moved to the community account. One ``DemurrageRun`` row per
period, written in the same database transaction as the charges, makes a second run of the
command charge nothing for that period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from heelwijk.ledger.actions import BatchTransaction, PostingLine, post_batch
from heelwijk.ledger.locking import run_atomic
from heelwijk.ledger.selectors import statement, trial_balance

from ..models import Currency, DemurragePeriod, DemurrageRun, Wallet

DEBIT, CREDIT = "D", "C"
_MONTHS = {DemurragePeriod.MONTH: 1, DemurragePeriod.QUARTER: 3, DemurragePeriod.YEAR: 12}
_STATEMENT_PAGE = 500


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_containing(day: date, period: str) -> tuple[date, date]:
    """The calendar month, quarter or year around ``day`` as (first day, last day)."""
    months = _MONTHS[DemurragePeriod(period)]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, _add_months(start, months) - timedelta(days=1)


def demurrage_periods(currency: Currency, *, until: date) -> list[tuple[date, date]]:
    """Every whole period from ``demurrage_start`` on that ended before ``until``."""
    if currency.demurrage_start is None:
        return []
    start, end = period_containing(currency.demurrage_start, currency.demurrage_period)
    if start < currency.demurrage_start:
        start, end = period_containing(end + timedelta(days=1), currency.demurrage_period)
    periods = []
    while end < until:
        periods.append((start, end))
        start, end = period_containing(end + timedelta(days=1), currency.demurrage_period)
    return periods


@dataclass(frozen=True)
class Charge:
    wallet: Wallet
    base: int  # the lowest balance during the window, minor units
    amount: int


@dataclass(frozen=True)
class DemurrageResult:
    period_start: date
    period_end: date
    wallets_charged: int
    total: int
    applied_now: bool  # False: the period had been charged before (or a dry run)
    charges: tuple[Charge, ...] = ()


def _lowest_balance(wallet: Wallet, since: date, until: date) -> int:
    """The lowest balance of the wallet from the end of the day before ``since`` through
    ``until`` (after every posting on those days)."""
    page_number = 1
    lowest: int | None = None
    while True:
        page = statement(
            account=wallet.account,
            page=page_number,
            per_page=_STATEMENT_PAGE,
            since=since,
            until=until,
        )
        if lowest is None:
            lowest = page.opening_balance
        for row in page.rows:
            lowest = min(lowest, row.balance)
        if not page.has_next:
            return lowest
        page_number += 1


def demurrage_charges(currency: Currency, period_start: date, period_end: date) -> list[Charge]:
    """What each wallet owes for the period (wallets that owe nothing are left out)."""
    rate = currency.demurrage_rate
    if rate <= 0:
        return []
    at_end = {
        row.account.pk: row.balance
        for block in trial_balance(
            neighbourhood=currency.neighbourhood, unit=currency.unit, at=period_end
        )
        for row in block.rows
    }
    since = period_end - timedelta(days=currency.demurrage_after_days - 1)
    wallets = (
        Wallet.objects.filter(currency=currency)
        .exclude(kind=Wallet.Kind.COMMUNITY)
        .select_related("account", "account__unit")
        .order_by("pk")
    )
    charges = []
    for wallet in wallets:
        if at_end.get(wallet.account_id, 0) <= 0 or not wallet.account.is_open:
            continue
        if currency.demurrage_after_days == 0:
            base = at_end[wallet.account_id]
        else:
            base = _lowest_balance(wallet, since, period_end)
        if base <= 0:
            continue
        amount = int((Decimal(base) * rate / 100).to_integral_value(rounding=ROUND_DOWN))
        lower = wallet.account.lower_limit
        if lower is not None:
            amount = min(amount, wallet.account.balance - lower)
        if amount > 0:
            charges.append(Charge(wallet=wallet, base=base, amount=amount))
    return charges


def demurrage_apply(
    *, currency: Currency, until: date, actor: Any = None, dry_run: bool = False
) -> list[DemurrageResult]:
    """Charge every completed period not charged yet, oldest first. Safe to run again."""
    if not currency.has_demurrage:
        return []
    results = []
    done = {run.period_start: run for run in DemurrageRun.objects.filter(currency=currency)}
    for period_start, period_end in demurrage_periods(currency, until=until):
        run = done.get(period_start)
        if run is not None:
            results.append(
                DemurrageResult(period_start, period_end, run.wallets_charged, run.total, False)
            )
            continue
        charges = demurrage_charges(currency, period_start, period_end)
        total = sum(c.amount for c in charges)
        if dry_run:
            results.append(
                DemurrageResult(
                    period_start, period_end, len(charges), total, False, tuple(charges)
                )
            )
            continue
        try:
            run_atomic(
                lambda ps=period_start, pe=period_end, cs=charges, t=total: _post_period(
                    currency, ps, pe, cs, t, actor
                )
            )
        except IntegrityError:
            # Another run charged this period at the same moment: it counts, not ours.
            run = DemurrageRun.objects.get(currency=currency, period_start=period_start)
            results.append(
                DemurrageResult(period_start, period_end, run.wallets_charged, run.total, False)
            )
            continue
        results.append(
            DemurrageResult(period_start, period_end, len(charges), total, True, tuple(charges))
        )
    return results


def _post_period(
    currency: Currency,
    period_start: date,
    period_end: date,
    charges: list[Charge],
    total: int,
    actor: Any,
) -> None:
    DemurrageRun.objects.create(
        currency=currency,
        period_start=period_start,
        period_end=period_end,
        rate=currency.demurrage_rate,
        wallets_charged=len(charges),
        total=total,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not charges:
        return
    memo = _("Demurrage %(start)s to %(end)s") % {
        "start": period_start.isoformat(),
        "end": period_end.isoformat(),
    }
    post_batch(
        neighbourhood=currency.neighbourhood,
        kind="currency.demurrage",
        actor=actor,
        transactions=[
            BatchTransaction(
                memo=memo,
                lines=(
                    PostingLine(charge.wallet.account, DEBIT, charge.amount),
                    PostingLine(currency.community_account, CREDIT, charge.amount),
                ),
                effective_date=period_end,
                idempotency_key=(
                    f"currency:demurrage:{currency.pk}:{period_start.isoformat()}:"
                    f"{charge.wallet.pk}"
                ),
            )
            for charge in charges
        ],
    )


@dataclass(frozen=True)
class ExpiryResult:
    wallets: int
    total: int


def _last_activity(wallet: Wallet) -> date:
    page = statement(account=wallet.account, page=1, per_page=1, newest_first=True)
    if page.rows:
        return page.rows[0].effective_date
    return wallet.created_at.date()


def expiry_apply(*, currency: Currency, as_of: date, actor: Any = None) -> ExpiryResult:
    """Move balances of wallets without any movement for ``expiry_days`` to the community
    account. A wallet emptied this way is empty, so running again moves nothing."""
    if not currency.expiry_days:
        return ExpiryResult(0, 0)
    cutoff = as_of - timedelta(days=currency.expiry_days)
    wallets = (
        Wallet.objects.filter(currency=currency, account__balance__gt=0, account__is_open=True)
        .exclude(kind=Wallet.Kind.COMMUNITY)
        .select_related("account", "account__unit")
        .order_by("pk")
    )
    items = []
    for wallet in wallets:
        last = _last_activity(wallet)
        if last > cutoff:
            continue
        amount = wallet.account.balance
        items.append(
            BatchTransaction(
                memo=_("Expired: no movement since %(date)s") % {"date": last.isoformat()},
                lines=(
                    PostingLine(wallet.account, DEBIT, amount),
                    PostingLine(currency.community_account, CREDIT, amount),
                ),
                effective_date=as_of,
                idempotency_key=f"currency:expiry:{currency.pk}:{wallet.pk}:{last.isoformat()}",
            )
        )
    if items:
        post_batch(
            neighbourhood=currency.neighbourhood,
            kind="currency.expiry",
            actor=actor,
            transactions=items,
        )
    return ExpiryResult(len(items), sum(item.lines[0].amount for item in items))
