"""Write the books in beancount syntax, so any accountant's plain-text tool can read them.

How Heelwijk's journal maps onto beancount:

- Account names: ``<Root>:<Neighbourhood>:<Code>`` with the root from the account type (asset →
  Assets, liability → Liabilities, income → Income, expense → Expenses, equity → Equity); the
  neighbourhood's slug and the account code are made into valid name components (a capital or
  digit first, then letters, digits and dashes). Heelwijk's name, id, code and owner id go in
  metadata.
- Units become commodities: their code when it is a valid beancount currency (EUR, HOUR, KWH),
  otherwise a repaired one (a one-letter code gets an "X" appended, ...). Each account is opened
  with its single commodity, so beancount itself refuses a posting in another unit.
- Signs: beancount has one signed number per posting, positive for a debit and negative for a
  credit. So an asset's beancount balance equals Heelwijk's balance, and a liability's, income's
  or equity's is its negation (Heelwijk keeps those on the credit side).
- Transactions are dated by their effective date and carry seq, kind, id and (for reversals)
  the reversed transaction and the reason as metadata. At the end, one ``balance`` assertion per
  account (the day after the last posting) lets beancount check every balance against Heelwijk's.

The journal is streamed (server-side cursors), so exporting a million postings keeps memory
flat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

from django.db.models import Max, Min

from heelwijk.neighbourhood.models import AuditEntry, Neighbourhood

from .models import Account, Posting, Transaction, Unit
from .money import from_minor

ROOTS = {
    Account.Type.ASSET: "Assets",
    Account.Type.LIABILITY: "Liabilities",
    Account.Type.INCOME: "Income",
    Account.Type.EXPENSE: "Expenses",
    Account.Type.EQUITY: "Equity",
}
_COMMODITY = re.compile(r"^[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]$")
_COMPONENT_BAD = re.compile(r"[^A-Za-z0-9-]+")
_CHUNK = 5000


def commodity_name(code: str) -> str:
    """A valid beancount commodity for a unit code (2 to 24 capitals, ending in a letter/digit)."""
    name = code.upper()
    if _COMMODITY.match(name):
        return name
    name = re.sub(r"[^A-Z0-9'._-]", "", name)[:23]
    if not name or not name[0].isalpha():
        name = "U" + name
    name = (name + "X")[:24] if not _COMMODITY.match(name) else name
    return name


def name_component(text: str) -> str:
    """A valid account-name component: starts with a capital or digit, then [A-Za-z0-9-]."""
    cleaned = _COMPONENT_BAD.sub("-", text.strip()).strip("-") or "X"
    first = cleaned[0]
    if first.isalpha():
        cleaned = first.upper() + cleaned[1:]
    elif not first.isdigit():
        cleaned = "X" + cleaned
    return cleaned


def quoted(text: str) -> str:
    """A beancount string: one line, with backslashes and double quotes escaped."""
    one_line = " ".join(str(text).split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class ExportStats:
    neighbourhoods: int
    accounts: int
    transactions: int
    postings: int


class _Names:
    """Beancount names of accounts and units, unique across the export."""

    def __init__(self, accounts: list[Account], units: list[Unit]):
        self.account: dict[int, str] = {}
        taken: set[str] = set()
        for account in sorted(accounts, key=lambda a: (a.neighbourhood_id, a.code, a.pk)):
            base = ":".join(
                [
                    ROOTS[Account.Type(account.type)],
                    name_component(account.neighbourhood.slug),
                    name_component(account.code),
                ]
            )
            name = base if base not in taken else f"{base}-{account.pk}"
            taken.add(name)
            self.account[account.pk] = name
        self.unit: dict[int, str] = {}
        used: dict[str, int] = {}
        for unit in sorted(units, key=lambda u: (u.neighbourhood_id, u.code, u.pk)):
            name = commodity_name(unit.code)
            owner = used.setdefault(name, unit.pk)
            if owner != unit.pk and not _same_kind(units, owner, unit):
                name = commodity_name(f"{name[:18]}-{unit.pk}")
            self.unit[unit.pk] = name


def _same_kind(units: list[Unit], other_pk: int, unit: Unit) -> bool:
    """Units of several neighbourhoods share a commodity when code and decimals agree."""
    other = next(u for u in units if u.pk == other_pk)
    return other.code == unit.code and other.decimals == unit.decimals


def _dates(accounts: list[Account]) -> tuple[dict[int, date], dict[int, date]]:
    """First and last effective date of each account's postings."""
    ids = [a.pk for a in accounts]
    first: dict[int, date] = {}
    last: dict[int, date] = {}
    rows = (
        Posting.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(first=Min("effective_date"), last=Max("effective_date"))
        .order_by()
    )
    for row in rows:
        first[row["account_id"]] = row["first"]
        last[row["account_id"]] = row["last"]
    return first, last


def _closed_on(accounts: list[Account]) -> dict[int, date]:
    closed = [a.pk for a in accounts if not a.is_open]
    if not closed:
        return {}
    entries = AuditEntry.objects.filter(
        action="ledger_account_close", object_type__iexact="account", object_id__in=closed
    ).values_list("object_id", "at")
    return {int(pk): at.date() for pk, at in entries}


def _transactions(neighbourhood_ids: list[int]) -> Iterator[tuple[Any, ...]]:
    rows = (
        Transaction.objects.filter(neighbourhood_id__in=neighbourhood_ids)
        .order_by("neighbourhood_id", "seq")
        .values_list(
            "id",
            "neighbourhood_id",
            "seq",
            "kind",
            "memo",
            "effective_date",
            "reverses_id",
            "reason",
        )
    )
    yield from rows.iterator(chunk_size=_CHUNK)


def _postings(neighbourhood_ids: list[int]) -> Iterator[tuple[Any, ...]]:
    rows = (
        Posting.objects.filter(transaction__neighbourhood_id__in=neighbourhood_ids)
        .order_by("transaction__neighbourhood_id", "transaction__seq", "id")
        .values_list("transaction_id", "account_id", "side", "amount", "unit_id")
    )
    yield from rows.iterator(chunk_size=_CHUNK)


def export_beancount(
    *, out: TextIO, neighbourhoods: Iterable[Neighbourhood] | None = None, title: str = ""
) -> ExportStats:
    """Write the books of ``neighbourhoods`` (default: all) to ``out``; return what was written."""
    chosen = (
        list(neighbourhoods)
        if neighbourhoods is not None
        else list(Neighbourhood.objects.order_by("pk"))
    )
    ids = [n.pk for n in chosen]
    units = list(Unit.objects.filter(neighbourhood_id__in=ids).order_by("neighbourhood_id", "code"))
    unit_of = {u.pk: u for u in units}
    accounts = list(
        Account.objects.filter(neighbourhood_id__in=ids)
        .select_related("neighbourhood")
        .order_by("neighbourhood_id", "code", "pk")
    )
    names = _Names(accounts, units)
    first, last = _dates(accounts)
    closed_on = _closed_on(accounts)
    write = out.write

    write(f"; Heelwijk ledger export: {title or ', '.join(n.name for n in chosen)}\n")
    write("; Amounts: positive = debit, negative = credit (beancount's convention).\n")
    write(f'option "title" {quoted(title or "Heelwijk")}\n')
    write('option "operating_currency" "EUR"\n\n')

    earliest = min([*first.values(), *(a.created_at.date() for a in accounts)], default=None)
    if earliest is not None:
        commodity_date = earliest.isoformat()
        for name in sorted(set(names.unit.values())):
            unit = next(u for u in units if names.unit[u.pk] == name)
            write(f"{commodity_date} commodity {name}\n")
            write(f"  name: {quoted(unit.name)}\n")
            write(f"  heelwijk_decimals: {unit.decimals}\n")
        write("\n")

    for account in accounts:
        opened = min(filter(None, [account.created_at.date(), first.get(account.pk)]))
        write(
            f"{opened.isoformat()} open {names.account[account.pk]} {names.unit[account.unit_id]}\n"
        )
        write(f"  name: {quoted(account.name)}\n")
        write(f"  heelwijk_id: {account.pk}\n")
        write(f"  heelwijk_code: {quoted(account.code)}\n")
        write(f"  owner_kind: {quoted(account.owner_kind)}\n")
        owner_id = (
            account.owner_household_id or account.owner_person_id or account.owner_organisation_id
        )
        if owner_id:  # an id, not a name: the export may leave the neighbourhood
            write(f"  owner_id: {owner_id}\n")
    write("\n")

    postings = _postings(ids)
    pending = next(postings, None)
    transactions = postings_count = 0
    for txn_id, _nbh, seq, kind, memo, effective, reverses_id, reason in _transactions(ids):
        transactions += 1
        write(f"{effective.isoformat()} * {quoted(memo or kind)}\n")
        write(f"  heelwijk_id: {txn_id}\n  seq: {seq}\n  kind: {quoted(kind)}\n")
        if reverses_id:
            write(f"  reverses: {reverses_id}\n  reason: {quoted(reason)}\n")
        while pending is not None and pending[0] == txn_id:
            _t, account_id, side, amount, unit_id = pending
            unit = unit_of[unit_id]
            number = from_minor(amount if side == Posting.Side.DEBIT else -amount, unit)
            write(f"  {names.account[account_id]}  {number} {names.unit[unit_id]}\n")
            postings_count += 1
            pending = next(postings, None)
        write("\n")

    last_day = max(last.values(), default=None)
    if last_day is not None:
        check_day = (last_day + timedelta(days=1)).isoformat()
        for account in accounts:
            unit = unit_of[account.unit_id]
            signed = account.balance if account.is_debit_normal else -account.balance
            write(
                f"{check_day} balance {names.account[account.pk]}  "
                f"{from_minor(signed, unit)} {names.unit[account.unit_id]}\n"
            )
    for account in accounts:
        if not account.is_open:
            day = max(filter(None, [closed_on.get(account.pk), last.get(account.pk)]), default=None)
            day = max(day or account.created_at.date(), (last_day or date.min) + timedelta(days=1))
            write(f"{day.isoformat()} close {names.account[account.pk]}\n")
    return ExportStats(
        neighbourhoods=len(chosen),
        accounts=len(accounts),
        transactions=transactions,
        postings=postings_count,
    )
