"""Re-derive the books from the journal and say exactly what, if anything, is wrong.

``verify_ledger(neighbourhood=None) -> VerifyReport`` checks one neighbourhood (or all) and
lists every problem with the rule it breaks, the transaction (seq and id) and/or account (code
and id) involved and a message in the active language:

- ``postings_count``  a transaction with fewer than two postings
- ``unbalanced``      debits ≠ credits for a unit within one transaction
- ``posting_unit``    a posting's unit differs from its account's unit
- ``posting_scope``   a posting or its account belongs to another neighbourhood
- ``posting_date``    a posting's (copied) effective date differs from its transaction's
- ``unit_sum``        all debits ≠ all credits for a unit in the neighbourhood
- ``balance``         an account's stored balance ≠ the sum of its postings
- ``limit``           an account's balance lies outside its limits
- ``chain_seq``       transaction numbers do not run 1, 2, 3, … (a row deleted or renumbered)
- ``chain_link``      a transaction's previous hash ≠ the hash of the one before it
- ``chain_hash``      a transaction's content no longer matches its hash (a row changed)
- ``chain_head``      the chain head does not match the last transaction (the newest deleted)
- ``reversal``        a reversal does not mirror the transaction it reverses

It streams the journal (server-side cursors), so memory stays flat as the books grow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db.models import Exists, Max, OuterRef
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.models import Neighbourhood

from .hashchain import GENESIS, digest_of, matches
from .models import Account, LedgerHead, Posting, Transaction, Unit
from .money import format_amount_lazy

_CHUNK = 5000


@dataclass(frozen=True)
class Problem:
    rule: str
    template: str | Promise
    params: dict[str, Any]
    neighbourhood_id: int
    transaction_id: int | None = None
    seq: int | None = None
    account_id: int | None = None
    account_code: str | None = None

    @property
    def message(self) -> str:
        return str(self.template) % self.params

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "neighbourhood_id": self.neighbourhood_id,
            "transaction_id": self.transaction_id,
            "seq": self.seq,
            "account_id": self.account_id,
            "account_code": self.account_code,
        }


@dataclass
class VerifyReport:
    problems: list[Problem] = field(default_factory=list)
    neighbourhoods: int = 0
    transactions: int = 0
    postings: int = 0
    accounts: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]


class _UnitFormatter:
    def __init__(self) -> None:
        self.units = {u.pk: u for u in Unit.objects.all()}

    def __call__(self, minor: int, unit_id: int) -> Any:
        unit = self.units.get(unit_id)
        return format_amount_lazy(minor, unit) if unit else str(minor)

    def code(self, unit_id: int) -> str:
        unit = self.units.get(unit_id)
        return unit.code if unit else f"#{unit_id}"


# The posting columns verify reads, in the order its checks unpack them.
_POSTING_COLUMNS = (
    "transaction_id",
    "account_id",
    "side",
    "amount",
    "unit_id",
    "neighbourhood_id",
    "effective_date",
)


class _Txn(NamedTuple):
    """A transaction's stored fields (what ``digest_of`` reads)."""

    id: int
    neighbourhood_id: int
    seq: int
    kind: str
    memo: str
    actor_id: int | None
    effective_date: date
    created_at: datetime
    idempotency_key: str | None
    request_hash: str
    reverses_id: int | None
    reason: str
    prev_hash: str
    hash: str


class _Checker:
    def __init__(self, neighbourhood: Neighbourhood, report: VerifyReport, fmt: _UnitFormatter):
        self.n = neighbourhood
        self.report = report
        self.fmt = fmt
        self.accounts = {a.pk: a for a in Account.objects.filter(neighbourhood=neighbourhood)}
        self.derived: dict[int, int] = defaultdict(int)  # account id -> debits - credits
        self.unit_totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        reversal_pairs = Transaction.objects.filter(
            neighbourhood=neighbourhood, reverses__isnull=False
        ).values_list("id", "reverses_id")
        self.reversal_of = dict(reversal_pairs)
        self.watched = set(self.reversal_of) | set(self.reversal_of.values())
        self.signatures: dict[int, Counter[tuple[int, str, int]]] = {}
        self.seq_of: dict[int, int] = {}

    def add(self, rule: str, template: str | Promise, **params: Any) -> None:
        keys = ("transaction_id", "seq", "account_id", "account_code")
        located = {k: params.get(k) for k in keys}
        self.report.problems.append(
            Problem(
                rule=rule,
                template=template,
                params=params,
                neighbourhood_id=self.n.pk,
                **located,
            )
        )

    def _transactions(self) -> Iterator[_Txn]:
        rows = (
            Transaction.objects.filter(neighbourhood=self.n)
            .order_by("seq", "id")
            .values_list(*_Txn._fields)
        )
        for values in rows.iterator(chunk_size=_CHUNK):
            yield _Txn(*values)

    def _postings(self) -> Iterator[tuple[Any, ...]]:
        rows = (
            Posting.objects.filter(transaction__neighbourhood=self.n)
            .order_by("transaction__seq", "transaction_id", "id")
            .values_list(*_POSTING_COLUMNS)
        )
        yield from rows.iterator(chunk_size=_CHUNK)

    def run(self) -> None:
        self.report.neighbourhoods += 1
        self.report.accounts += len(self.accounts)
        postings = self._postings()
        pending = next(postings, None)
        prev_hash, prev_seq, last = GENESIS, 0, None
        for txn in self._transactions():
            own: list[tuple[Any, ...]] = []
            while pending is not None and pending[0] == txn.id:
                own.append(pending)
                pending = next(postings, None)
            self.report.transactions += 1
            self.report.postings += len(own)
            self.check_transaction(txn, own)
            self.check_chain(txn, own, prev_seq, prev_hash)
            prev_hash, prev_seq, last = txn.hash, txn.seq, txn
        self.check_head(last)
        self.check_reversals()
        self.check_units()
        self.check_accounts()

    def check_transaction(self, txn: _Txn, own: list[tuple[Any, ...]]) -> None:
        where = {"transaction_id": txn.id, "seq": txn.seq, "id": txn.id}
        if len(own) < 2:
            self.add(
                "postings_count",
                _("Transaction #%(seq)s (id %(id)s) has %(count)s posting(s); it needs two."),
                count=len(own),
                **where,
            )
        per_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for _txn_id, account_id, side, amount, unit_id, posting_nbh, posting_date in own:
            account = self.accounts.get(account_id)
            column = 0 if side == Posting.Side.DEBIT else 1
            per_unit[unit_id][column] += amount
            self.unit_totals[unit_id][column] += amount
            self.derived[account_id] += amount if column == 0 else -amount
            if account is None or posting_nbh != self.n.pk:
                self.add(
                    "posting_scope",
                    _(
                        "Transaction #%(seq)s (id %(id)s): a posting on account id %(account)s "
                        "lies outside this neighbourhood."
                    ),
                    account=account_id,
                    account_id=account_id,
                    **where,
                )
            elif posting_date != txn.effective_date:
                self.add(
                    "posting_date",
                    _(
                        "Transaction #%(seq)s (id %(id)s): a posting on account %(code)s is dated "
                        "%(posting_date)s, but the transaction is dated %(date)s."
                    ),
                    code=account.code,
                    posting_date=posting_date.isoformat(),
                    date=txn.effective_date.isoformat(),
                    account_id=account_id,
                    account_code=account.code,
                    **where,
                )
            if account is not None and account.unit_id != unit_id:
                self.add(
                    "posting_unit",
                    _(
                        "Transaction #%(seq)s (id %(id)s): a posting on account %(code)s is in "
                        "%(unit)s, but the account holds %(account_unit)s."
                    ),
                    code=account.code,
                    unit=self.fmt.code(unit_id),
                    account_unit=self.fmt.code(account.unit_id),
                    account_id=account_id,
                    account_code=account.code,
                    **where,
                )
        for unit_id, (debits, credits) in sorted(per_unit.items()):
            if debits != credits:
                self.add(
                    "unbalanced",
                    _(
                        "Transaction #%(seq)s (id %(id)s): debits %(debits)s and credits "
                        "%(credits)s in %(unit)s are not equal."
                    ),
                    debits=self.fmt(debits, unit_id),
                    credits=self.fmt(credits, unit_id),
                    unit=self.fmt.code(unit_id),
                    **where,
                )
        if txn.id in self.watched:
            self.signatures[txn.id] = Counter((a, s, m) for _t, a, s, m, *_rest in own)
            self.seq_of[txn.id] = txn.seq

    def check_chain(
        self, txn: _Txn, own: list[tuple[Any, ...]], prev_seq: int, prev_hash: str
    ) -> None:
        where = {"transaction_id": txn.id, "seq": txn.seq, "id": txn.id}
        if txn.seq != prev_seq + 1:
            self.add(
                "chain_seq",
                _(
                    "Transaction #%(seq)s (id %(id)s) follows #%(previous)s: numbers must run "
                    "without gaps, so a transaction is missing or was renumbered."
                ),
                previous=prev_seq,
                **where,
            )
        if txn.prev_hash != prev_hash:
            self.add(
                "chain_link",
                _(
                    "Transaction #%(seq)s (id %(id)s): its link to the previous transaction "
                    "(%(stored)s…) does not match that transaction's hash (%(expected)s…)."
                ),
                stored=txn.prev_hash[:12],
                expected=prev_hash[:12],
                **where,
            )
        postings = [(a, s, m, u) for _t, a, s, m, u, *_rest in own]
        if not matches(txn, postings):
            computed = digest_of(txn, postings)
            self.add(
                "chain_hash",
                _(
                    "Transaction #%(seq)s (id %(id)s): its content no longer matches its hash "
                    "(stored %(stored)s…, computed %(computed)s…); it or one of its postings "
                    "was changed."
                ),
                stored=txn.hash[:12],
                computed=computed[:12],
                **where,
            )

    def check_head(self, last: _Txn | None) -> None:
        head = LedgerHead.objects.filter(neighbourhood=self.n).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        last_seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
        if (head_seq, head_hash) != (last_seq, last_hash):
            self.add(
                "chain_head",
                _(
                    "The chain head records transaction #%(head_seq)s (%(head_hash)s…), but the "
                    "last transaction is #%(last_seq)s (%(last_hash)s…): the newest "
                    "transactions were removed or the head was changed."
                ),
                head_seq=head_seq,
                head_hash=head_hash[:12],
                last_seq=last_seq,
                last_hash=last_hash[:12],
            )

    def check_reversals(self) -> None:
        flip = {"D": "C", "C": "D"}
        for reversal_id, original_id in sorted(self.reversal_of.items()):
            original = self.signatures.get(original_id)
            reversal = self.signatures.get(reversal_id)
            if original is None or reversal is None:
                continue
            mirrored = Counter({(a, flip[s], m): c for (a, s, m), c in original.items()})
            if mirrored != reversal:
                self.add(
                    "reversal",
                    _(
                        "Transaction #%(seq)s (id %(id)s) does not mirror transaction "
                        "#%(original)s, which it reverses."
                    ),
                    transaction_id=reversal_id,
                    seq=self.seq_of[reversal_id],
                    id=reversal_id,
                    original=self.seq_of[original_id],
                )

    def check_units(self) -> None:
        for unit_id, (debits, credits) in sorted(self.unit_totals.items()):
            if debits != credits:
                self.add(
                    "unit_sum",
                    _(
                        "%(neighbourhood)s, %(unit)s: all debits (%(debits)s) and all credits "
                        "(%(credits)s) are not equal."
                    ),
                    neighbourhood=self.n.name,
                    unit=self.fmt.code(unit_id),
                    debits=self.fmt(debits, unit_id),
                    credits=self.fmt(credits, unit_id),
                )

    def check_accounts(self) -> None:
        for account in sorted(self.accounts.values(), key=lambda a: (a.code, a.pk)):
            where = {
                "account_id": account.pk,
                "account_code": account.code,
                "code": account.code,
                "name": account.name,
                "id": account.pk,
            }
            derived = self.derived.get(account.pk, 0)
            if not account.is_debit_normal:
                derived = -derived
            if derived != account.balance:
                self.add(
                    "balance",
                    _(
                        "Account %(code)s “%(name)s” (id %(id)s): the stored balance is "
                        "%(stored)s, but its postings add up to %(derived)s."
                    ),
                    stored=self.fmt(account.balance, account.unit_id),
                    derived=self.fmt(derived, account.unit_id),
                    **where,
                )
            for balance in sorted({account.balance, derived}):
                if account.lower_limit is not None and balance < account.lower_limit:
                    self.add(
                        "limit",
                        _(
                            "Account %(code)s “%(name)s” (id %(id)s): balance %(balance)s is "
                            "below its lower limit of %(limit)s."
                        ),
                        balance=self.fmt(balance, account.unit_id),
                        limit=self.fmt(account.lower_limit, account.unit_id),
                        **where,
                    )
                if account.upper_limit is not None and balance > account.upper_limit:
                    self.add(
                        "limit",
                        _(
                            "Account %(code)s “%(name)s” (id %(id)s): balance %(balance)s is "
                            "above its upper limit of %(limit)s."
                        ),
                        balance=self.fmt(balance, account.unit_id),
                        limit=self.fmt(account.upper_limit, account.unit_id),
                        **where,
                    )


def verify_ledger(neighbourhood: Neighbourhood | None = None) -> VerifyReport:
    """Check the books of one neighbourhood, or of every neighbourhood with ledger rows."""
    report = VerifyReport()
    fmt = _UnitFormatter()
    if neighbourhood is not None:
        neighbourhoods: list[Neighbourhood] = [neighbourhood]
    else:
        has_rows = (
            Exists(Account.objects.filter(neighbourhood=OuterRef("pk")))
            | Exists(Transaction.objects.filter(neighbourhood=OuterRef("pk")))
            | Exists(LedgerHead.objects.filter(neighbourhood=OuterRef("pk")))
        )
        neighbourhoods = list(Neighbourhood.objects.filter(has_rows).order_by("pk"))
    for each in neighbourhoods:
        _Checker(each, report, fmt).run()
    return report


def verify_recent(neighbourhood: Neighbourhood, *, last: int) -> VerifyReport:
    """Check the newest ``last`` links of the chain (and the head) with the rules above.

    Per transaction: its hash against its content and postings, its link to the one before,
    gap-free numbering, at least two postings, debits = credits per unit, posting dates, units
    and neighbourhood. Then the head against the newest transaction. Stored balances against all
    postings and the per-unit sums are left to ``verify_ledger``, whose cost grows with the
    whole journal.
    """
    report = VerifyReport()
    checker = _Checker(neighbourhood, report, _UnitFormatter())
    report.neighbourhoods, report.accounts = 1, len(checker.accounts)
    head = LedgerHead.objects.filter(neighbourhood=neighbourhood).first()
    newest = Transaction.objects.filter(neighbourhood=neighbourhood).aggregate(seq=Max("seq"))
    top = max(int(newest["seq"] or 0), head.seq if head else 0)
    first = max(1, top - max(1, last) + 1)
    window = Transaction.objects.filter(neighbourhood=neighbourhood, seq__gte=first)
    rows = [_Txn(*values) for values in window.order_by("seq", "id").values_list(*_Txn._fields)]
    postings: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    in_window = Posting.objects.filter(transaction_id__in=[t.id for t in rows]).order_by("id")
    for posting in in_window.values_list(*_POSTING_COLUMNS):
        postings[posting[0]].append(posting)
    before = (
        Transaction.objects.filter(neighbourhood=neighbourhood, seq=first - 1)
        .values_list("hash", flat=True)
        .first()
    )
    prev_seq, prev_hash = first - 1, before if before is not None else GENESIS
    for txn in rows:
        own = postings.get(txn.id, [])
        report.transactions += 1
        report.postings += len(own)
        checker.check_transaction(txn, own)
        checker.check_chain(txn, own, prev_seq, prev_hash)
        prev_seq, prev_hash = txn.seq, txn.hash
    checker.check_head(rows[-1] if rows else None)
    checker.check_reversals()  # pairs with both sides in the window
    return report
