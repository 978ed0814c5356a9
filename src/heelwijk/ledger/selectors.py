"""Reads of the ledger that pages, API and CLI share: balances, statements, trial balances.

Balances follow the convention in ``models``: on the account's normal side (debit-normal asset
and expense: debits - credits; credit-normal liability, income and equity: credits - debits).

- ``balance(*, account, at=None) -> int``: now = the stored balance (one query); at a ``date`` =
  the sum of postings with effective date up to and including it; at a ``datetime`` = the sum of
  postings entered up to that moment (the books as they stood then).
- ``statement(*, account, page, per_page, since=None, until=None, newest_first=False)
  -> StatementPage``: postings in (effective date, id) order with the running balance after
  each; constant number of queries per page, whatever the page number.
- ``trial_balance(*, neighbourhood, unit=None, at=None) -> list[UnitTrialBalance]``: per unit,
  every account's balance in the debit or credit column, totals per account type, and whether
  debits equal credits. Now: from stored balances; at a date: from postings.
- ``account_list(*, neighbourhood, search="", unit=None)``, ``accounts_for_owner(*, owner)``,
  ``accounts_for_user(*, user, neighbourhood)``, ``transaction_list(...)``,
  ``transaction_detail(...)``, ``chain_status(*, neighbourhood)``.
- ``recent_chain_check(*, neighbourhood, last=RECENT_LINKS) -> VerifyReport``: the checks of
  ``verify`` that concern single transactions and the chain (hash, link, numbering, balance per
  transaction, the head), over the newest ``last`` transactions only, so the staff page stays
  fast however large the books grow. ``heelwijk ledger verify`` checks everything.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.db.models import Case, Count, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.models import Household, Neighbourhood, Organisation, Person

from .models import Account, LedgerHead, Posting, Transaction, Unit
from .verify import VerifyReport, verify_recent

MAX_PER_PAGE = 500
RECENT_LINKS = 200
_SIGNED = Case(When(side=Posting.Side.DEBIT, then=F("amount")), default=-F("amount"))


def _normal(account: Account, debit_minus_credit: int) -> int:
    return debit_minus_credit if account.is_debit_normal else -debit_minus_credit


def _posting_sum(postings: QuerySet[Posting]) -> int:
    """Sum of debits - credits of ``postings``."""
    total = postings.aggregate(total=Coalesce(Sum(_SIGNED), Value(0)))["total"]
    return int(total)


def balance(*, account: Account, at: date | datetime | None = None) -> int:
    if at is None:
        return int(Account.objects.filter(pk=account.pk).values_list("balance", flat=True).get())
    postings = Posting.objects.filter(account_id=account.pk)
    if isinstance(at, datetime):
        postings = postings.filter(transaction__created_at__lte=at)
    else:
        postings = postings.filter(effective_date__lte=at)
    return _normal(account, _posting_sum(postings))


@dataclass(frozen=True)
class StatementRow:
    posting_id: int
    transaction_id: int
    seq: int
    effective_date: date
    created_at: datetime
    kind: str
    memo: str
    side: str
    amount: int
    change: int  # signed effect on the balance
    balance: int  # running balance after this posting
    counter_accounts: tuple[str, ...]  # names of the other accounts in the transaction
    reverses_id: int | None


@dataclass(frozen=True)
class StatementPage:
    account: Account
    rows: list[StatementRow]
    page: int
    per_page: int
    count: int
    num_pages: int
    opening_balance: int  # before the (chronologically) first row of this page
    closing_balance: int  # after the (chronologically) last row of this page

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def statement(
    *,
    account: Account,
    page: int,
    per_page: int,
    since: date | None = None,
    until: date | None = None,
    newest_first: bool = False,
) -> StatementPage:
    """One page of an account's postings with running balances.

    Out-of-range pages are clamped (like ``Paginator.get_page``); ``per_page`` to 1..500. The
    running balance is the account's true balance (postings before ``since`` count too): the
    balance before the page's first row is one indexed aggregate, so any page costs the same.
    """
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    postings = Posting.objects.filter(account_id=account.pk)
    listed = postings
    if since is not None:
        listed = listed.filter(effective_date__gte=since)
    if until is not None:
        listed = listed.filter(effective_date__lte=until)
    count = listed.count()
    num_pages = max(1, math.ceil(count / per_page))
    page = max(1, min(int(page), num_pages))
    order = ("-effective_date", "-id") if newest_first else ("effective_date", "id")
    start = (page - 1) * per_page
    chunk = list(
        listed.order_by(*order).values(
            "id",
            "transaction_id",
            "transaction__seq",
            "effective_date",
            "transaction__created_at",
            "transaction__kind",
            "transaction__memo",
            "transaction__reverses_id",
            "side",
            "amount",
        )[start : start + per_page]
    )
    chronological = sorted(chunk, key=lambda r: (r["effective_date"], r["id"]))
    if chronological:
        first = chronological[0]
        before = postings.filter(
            Q(effective_date__lt=first["effective_date"])
            | Q(effective_date=first["effective_date"], id__lt=first["id"])
        )
    elif until is not None:
        before = postings.filter(effective_date__lte=until)
    else:
        before = postings
    opening = _normal(account, _posting_sum(before))
    counters: dict[int, list[str]] = defaultdict(list)
    if chunk:
        others = (
            Posting.objects.filter(transaction_id__in={r["transaction_id"] for r in chunk})
            .exclude(account_id=account.pk)
            .order_by("id")
            .values_list("transaction_id", "account__name")
        )
        for txn_id, name in others:
            if name not in counters[txn_id]:
                counters[txn_id].append(name)
    rows: dict[int, StatementRow] = {}
    running = opening
    for r in chronological:
        change = account.effect(r["side"], r["amount"])
        running += change
        rows[r["id"]] = StatementRow(
            posting_id=r["id"],
            transaction_id=r["transaction_id"],
            seq=r["transaction__seq"],
            effective_date=r["effective_date"],
            created_at=r["transaction__created_at"],
            kind=r["transaction__kind"],
            memo=r["transaction__memo"],
            side=r["side"],
            amount=r["amount"],
            change=change,
            balance=running,
            counter_accounts=tuple(counters.get(r["transaction_id"], ())),
            reverses_id=r["transaction__reverses_id"],
        )
    return StatementPage(
        account=account,
        rows=[rows[r["id"]] for r in chunk],
        page=page,
        per_page=per_page,
        count=count,
        num_pages=num_pages,
        opening_balance=opening,
        closing_balance=running,
    )


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    balance: int  # on the account's normal side
    debit: int  # the balance in the debit column (0 when it is in the credit column)
    credit: int


@dataclass
class TypeTotals:
    type: str
    debit: int = 0
    credit: int = 0


@dataclass
class UnitTrialBalance:
    unit: Unit
    rows: list[TrialBalanceRow] = field(default_factory=list)
    by_type: dict[str, TypeTotals] = field(default_factory=dict)
    debit: int = 0
    credit: int = 0

    @property
    def balanced(self) -> bool:
        return self.debit == self.credit


def _columns(account: Account, normal_balance: int) -> tuple[int, int]:
    """(debit, credit) column amounts of a balance on the account's normal side."""
    debit_minus_credit = normal_balance if account.is_debit_normal else -normal_balance
    return (debit_minus_credit, 0) if debit_minus_credit >= 0 else (0, -debit_minus_credit)


def trial_balance(
    *, neighbourhood: Neighbourhood, unit: Unit | None = None, at: date | None = None
) -> list[UnitTrialBalance]:
    """The trial balance per unit (ordered by unit code, accounts by code)."""
    accounts = Account.objects.filter(neighbourhood=neighbourhood).select_related("unit")
    if unit is not None:
        accounts = accounts.filter(unit=unit)
    accounts = accounts.order_by("unit__code", "code")
    sums: dict[int, int] | None = None
    if at is not None:
        postings = Posting.objects.filter(neighbourhood=neighbourhood, effective_date__lte=at)
        if unit is not None:
            postings = postings.filter(unit=unit)
        sums = {
            row["account_id"]: int(row["total"])
            for row in postings.values("account_id").annotate(total=Sum(_SIGNED)).order_by()
        }
    result: dict[int, UnitTrialBalance] = {}
    for account in accounts:
        if sums is None:
            normal_balance = account.balance
        else:
            normal_balance = _normal(account, sums.get(account.pk, 0))
        debit, credit = _columns(account, normal_balance)
        block = result.get(account.unit_id)
        if block is None:
            block = result[account.unit_id] = UnitTrialBalance(
                unit=account.unit,
                by_type={t: TypeTotals(type=t) for t in Account.Type.values},
            )
        block.rows.append(
            TrialBalanceRow(account=account, balance=normal_balance, debit=debit, credit=credit)
        )
        totals = block.by_type[account.type]
        totals.debit += debit
        totals.credit += credit
        block.debit += debit
        block.credit += credit
    return list(result.values())


def account_list(
    *, neighbourhood: Neighbourhood, search: str = "", unit: Unit | None = None
) -> QuerySet[Account]:
    """Accounts with unit and owner, filtered by words in code, name or owner; by code."""
    qs = Account.objects.filter(neighbourhood=neighbourhood).select_related(
        "unit", "owner_household", "owner_person", "owner_organisation"
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    for term in (search or "").split():
        qs = qs.filter(
            Q(code__icontains=term)
            | Q(name__icontains=term)
            | Q(owner_household__street__icontains=term)
            | Q(owner_household__postcode__icontains=term)
            | Q(owner_person__first_name__icontains=term)
            | Q(owner_person__last_name__icontains=term)
            | Q(owner_organisation__name__icontains=term)
        )
    return qs.order_by("code", "pk")


def accounts_for_owner(*, owner: Household | Person | Organisation) -> QuerySet[Account]:
    """The accounts a household, person or organisation owns."""
    qs = Account.objects.select_related("unit").order_by("unit__code", "code", "pk")
    if isinstance(owner, Household):
        return qs.filter(owner_household=owner)
    if isinstance(owner, Person):
        return qs.filter(owner_person=owner)
    if isinstance(owner, Organisation):
        return qs.filter(owner_organisation=owner)
    raise TypeError(f"not an account owner: {type(owner).__name__}")


def accounts_for_user(*, user: Any, neighbourhood: Neighbourhood) -> QuerySet[Account]:
    """The accounts ``user`` owns in ``neighbourhood``: their own person's, their household's
    and those of organisations they represent (what ``ledger.view_account`` allows as owner)."""
    access = access_for(user)
    condition = Q(pk__in=[])
    person = access.person
    if person is not None and person.neighbourhood_id == neighbourhood.pk:
        condition |= Q(owner_person_id=person.pk)
        if person.household_id:
            condition |= Q(owner_household_id=person.household_id)
    organisations = access.organisation_ids(neighbourhood.pk)
    if organisations:
        condition |= Q(owner_organisation_id__in=organisations)
    return (
        Account.objects.filter(condition, neighbourhood=neighbourhood)
        .select_related("unit")
        .order_by("unit__code", "code", "pk")
    )


def transaction_list(
    *, neighbourhood: Neighbourhood, kind: str = "", search: str = ""
) -> QuerySet[Transaction]:
    """Newest first, with the number of postings and the reversal (if any)."""
    qs = Transaction.objects.filter(neighbourhood=neighbourhood).select_related("actor")
    if kind:
        qs = qs.filter(kind=kind)
    for term in (search or "").split():
        condition = Q(memo__icontains=term) | Q(kind__icontains=term)
        if term.lstrip("#").isdigit() and len(term) < 18:
            condition |= Q(seq=int(term.lstrip("#")))
        qs = qs.filter(condition)
    annotated = qs.annotate(posting_count=Count("postings"), reversed_by_id=Max("reversals__id"))
    return cast("QuerySet[Transaction]", annotated.order_by("-seq"))


def transaction_detail(*, neighbourhood: Neighbourhood, transaction_id: int) -> Transaction:
    """One transaction with its postings (account and unit), what it reverses and its reversal."""
    found = (
        Transaction.objects.select_related("actor", "reverses")
        .prefetch_related("postings__account__unit", "reversals")
        .get(neighbourhood=neighbourhood, pk=transaction_id)
    )
    return cast(Transaction, found)


@dataclass(frozen=True)
class ChainStatus:
    seq: int
    hash: str
    transactions: int
    last_entered_at: datetime | None


def chain_status(*, neighbourhood: Neighbourhood) -> ChainStatus:
    """The chain head and counts (cheap). ``verify.verify_ledger`` does the full check."""
    head = LedgerHead.objects.filter(neighbourhood=neighbourhood).first()
    stats = Transaction.objects.filter(neighbourhood=neighbourhood).aggregate(
        count=Count("id"), last=Max("created_at")
    )
    return ChainStatus(
        seq=head.seq if head else 0,
        hash=head.hash if head else "",
        transactions=int(stats["count"]),
        last_entered_at=stats["last"],
    )


def units_of(*, neighbourhood: Neighbourhood) -> QuerySet[Unit]:
    return Unit.objects.filter(neighbourhood=neighbourhood).order_by("code")


def balances_by_account(accounts: Iterable[Account]) -> dict[int, int]:
    """Stored balances of many accounts in one query."""
    ids = [a.pk for a in accounts]
    return dict(Account.objects.filter(pk__in=ids).values_list("pk", "balance"))


def recent_chain_check(*, neighbourhood: Neighbourhood, last: int = RECENT_LINKS) -> VerifyReport:
    """The newest ``last`` links of the chain and its head, checked with verify's rules (for the
    chain-status page; the full check is ``heelwijk ledger verify``)."""
    return verify_recent(neighbourhood, last=last)
