"""The staff report of a currency as a plain document, shared by the command and the API."""

from __future__ import annotations

from typing import Any

from .amounts import plain_decimal, show
from .models import Currency
from .selectors import Report


def report_document(currency: Currency, rep: Report) -> dict[str, Any]:
    """The report of ``selectors.report`` as plain JSON values (amounts as decimal text)."""
    figures = rep.circulation

    def money(amount):
        return None if amount is None else plain_decimal(amount, currency)

    return {
        "neighbourhood": currency.neighbourhood.slug,
        "code": currency.code,
        "name": currency.name,
        "model": currency.model,
        "as_of": figures.as_of.isoformat(),
        "in_circulation": money(figures.in_circulation),
        "in_circulation_text": show(figures.in_circulation, currency),
        "wallets": figures.wallets,
        "wallets_by_kind": rep.wallets_by_kind,
        "active_wallets_30_days": figures.active_wallets,
        "payments_30_days": figures.payments,
        "volume_30_days": money(figures.volume),
        "velocity_30_days": None if figures.velocity is None else str(figures.velocity),
        "top_categories": [
            {
                "category": c.key,
                "payments": c.payments,
                "amount": money(c.amount),
                "share_percent": str(c.share),
            }
            for c in figures.categories
        ],
        "months": [
            {
                "month": m.month.isoformat()[:7],
                "payments": m.payments,
                "volume": money(m.volume),
                "credited": money(m.credited),
                "active_wallets": m.active_wallets,
                "circulation": money(m.circulation),
            }
            for m in figures.months
        ],
        "positive_balances": money(rep.positive),
        "negative_balances": money(rep.negative),
        "community_balance": money(rep.community_balance),
        "issued": money(rep.issued),
        "euro_reserve": money(rep.reserve),
        "reserve_covers_circulation": rep.reserve_matches,
        "zero_sum": rep.zero_sum,
        "hours_credited": str(rep.hours_credited),
        "euro_deposits": money(rep.deposits),
        "redemptions": money(rep.redemptions),
        "redemption_fees_eur": money(rep.fees),
        "demurrage_runs": [
            {
                "period": f"{r.period_start.isoformat()}..{r.period_end.isoformat()}",
                "wallets": r.wallets_charged,
                "total": money(r.total),
            }
            for r in rep.demurrage_runs
        ],
    }
