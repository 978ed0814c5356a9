"""Template filters for amounts of a currency."""

from __future__ import annotations

from django import template

from heelwijk.ledger.money import format_amount

register = template.Library()


@register.filter
def money(amount, currency) -> str:
    """``{{ wallet.account.balance|money:currency }}`` → "L 7,50" or "2,50 u"."""
    if amount is None or currency is None:
        return ""
    return format_amount(int(amount), currency.unit)


@register.filter
def euros(cents) -> str:
    """Euro cents as "€ 7,50" in the active language."""
    from decimal import Decimal

    from django.utils import formats

    if cents is None:
        return ""
    value = Decimal(int(cents)).scaleb(-2)
    return "€ " + formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def available(wallet) -> int | None:
    """What the wallet can still spend: its balance plus its credit limit (None: no limit)."""
    limit = wallet.credit_limit
    return None if limit is None else wallet.account.balance + limit
