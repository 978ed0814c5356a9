"""Model-based test: random transfers, splits, reversals and limit changes against a simple
in-memory model of balances and limits; every invariant is checked after every step."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from heelwijk.ledger.actions import (
    PostingLine,
    account_open,
    account_set_limits,
    ensure_standard_units,
    post_transaction,
    reverse_transaction,
    transfer,
)
from heelwijk.ledger.errors import AlreadyReversed, LedgerError, LimitExceeded
from heelwijk.ledger.models import Account, Posting, Transaction
from heelwijk.ledger.selectors import trial_balance
from heelwijk.ledger.verify import verify_ledger
from tests.factories import NeighbourhoodFactory

# code, unit, type, lower, upper
ACCOUNTS = [
    ("M1", "EUR", "liability", -5000, None),
    ("M2", "EUR", "liability", -5000, 20000),
    ("M3", "EUR", "liability", 0, None),
    ("M4", "EUR", "liability", None, None),
    ("BANK", "EUR", "asset", None, None),
    ("KAS", "EUR", "asset", 0, None),
    ("T1", "HOUR", "liability", -1000, None),
    ("T2", "HOUR", "liability", -1000, None),
]
N = len(ACCOUNTS)
limits = st.one_of(st.none(), st.integers(-30000, 30000))


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.n = NeighbourhoodFactory()
        units = ensure_standard_units(neighbourhood=self.n)
        self.accounts = [
            account_open(
                neighbourhood=self.n,
                unit=units[unit],
                code=code,
                name=code,
                type=type_,
                owner_kind="system",
                lower_limit=lower,
                upper_limit=upper,
            )
            for code, unit, type_, lower, upper in ACCOUNTS
        ]
        self.balance = [0] * N
        self.limits = [(lower, upper) for *_x, lower, upper in ACCOUNTS]
        self.posted = []  # (Transaction, {index: effect})
        self.reversed = set()
        self.journal = (0, 0)

    def fits(self, effects):
        for i, effect in effects.items():
            lower, upper = self.limits[i]
            new = self.balance[i] + effect
            if (lower is not None and new < lower) or (upper is not None and new > upper):
                return False
        return True

    def expect(self, effects, action):
        """Run ``action``; it must succeed exactly when the model says the effects fit."""
        if self.fits(effects):
            txn = action()
            for i, effect in effects.items():
                self.balance[i] += effect
            self.posted.append((txn, effects))
            return txn
        with pytest.raises(LimitExceeded):
            action()
        return None

    @rule(i=st.integers(0, N - 1), j=st.integers(0, N - 1), amount=st.integers(1, 25000))
    def transfer(self, i, j, amount):
        src, dst = self.accounts[i], self.accounts[j]

        def action():
            return transfer(
                source=src,
                destination=dst,
                amount=amount,
                kind="transfer",
                memo=f"{i}->{j}",
                actor=None,
            )

        if i == j or src.unit_id != dst.unit_id or src.is_debit_normal != dst.is_debit_normal:
            with pytest.raises(LedgerError):
                action()
            return
        self.expect({i: -amount, j: amount}, action)

    @rule(i=st.integers(0, 3), j=st.integers(0, 3), a=st.integers(1, 9000), b=st.integers(1, 9000))
    def deposit_split(self, i, j, a, b):
        """The bank receives a + b for two members (one transaction, three or four lines)."""
        bank = 4
        lines = [
            PostingLine(self.accounts[bank], "D", a + b),
            PostingLine(self.accounts[i], "C", a),
            PostingLine(self.accounts[j], "C", b),
        ]
        effects = {bank: a + b}
        effects[i] = effects.get(i, 0) + a
        effects[j] = effects.get(j, 0) + b
        self.expect(
            effects,
            lambda: post_transaction(
                neighbourhood=self.n, kind="deposit", memo="", actor=None, lines=lines
            ),
        )

    @rule(k=st.integers(0, 10_000))
    def reverse(self, k):
        if not self.posted:
            return
        txn, effects = self.posted[k % len(self.posted)]

        def action():
            return reverse_transaction(transaction=txn, actor=None, reason="model test")

        if txn.pk in self.reversed:
            with pytest.raises(AlreadyReversed):
                action()
            return
        if self.expect({i: -e for i, e in effects.items()}, action) is not None:
            self.reversed.add(txn.pk)

    @rule(i=st.integers(0, N - 1), lower=limits, upper=limits)
    def set_limits(self, i, lower, upper):
        def action():
            account_set_limits(
                account=self.accounts[i],
                lower_limit=lower,
                upper_limit=upper,
                actor=None,
                reason="model test",
            )

        balance = self.balance[i]
        if lower is not None and upper is not None and lower > upper:
            with pytest.raises(LedgerError):
                action()
        elif (lower is not None and balance < lower) or (upper is not None and balance > upper):
            with pytest.raises(LimitExceeded):
                action()
        else:
            action()
            self.limits[i] = (lower, upper)

    @invariant()
    def books_agree_with_the_model(self):
        stored = dict(Account.objects.filter(neighbourhood=self.n).values_list("code", "balance"))
        assert stored == {code: self.balance[i] for i, (code, *_r) in enumerate(ACCOUNTS)}
        report = verify_ledger(self.n)
        assert report.ok, report.messages
        assert all(block.balanced for block in trial_balance(neighbourhood=self.n))
        journal = (
            Transaction.objects.filter(neighbourhood=self.n).count(),
            Posting.objects.filter(neighbourhood=self.n).count(),
        )
        assert journal[0] == len(self.posted)  # refused writes left nothing behind


@pytest.mark.django_db
def test_ledger_behaves_like_the_model():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
