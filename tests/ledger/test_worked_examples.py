"""Worked accounting examples with exact balances (the convention of ledger.models)."""

from datetime import date

import pytest
from django.utils import translation

from heelwijk.ledger.actions import PostingLine, post_transaction, reverse_transaction, transfer
from heelwijk.ledger.errors import AlreadyReversed, LimitExceeded, Unbalanced
from heelwijk.ledger.models import Posting, Transaction
from heelwijk.ledger.money import to_minor
from heelwijk.ledger.selectors import balance, trial_balance
from heelwijk.ledger.verify import verify_ledger
from heelwijk.neighbourhood.models import AuditEntry


def D(account, amount):
    return PostingLine(account=account, side="D", amount=amount)


def C(account, amount):
    return PostingLine(account=account, side="C", amount=amount)


def test_a_member_pays_dues(books, world):
    # Given the bank (asset) and dues income (income) at zero
    # When a member pays € 25,00 dues into the bank
    txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie 2026 Lindelaan 12",
        actor=world.staff_a,
        lines=[D(books.bank, to_minor("25.00", books.eur)), C(books.dues, 2500)],
        effective_date=date(2026, 1, 15),
    )
    # Then the asset rose by its debit and the income by its credit
    assert balance(account=books.bank) == 2500
    assert balance(account=books.dues) == 2500
    assert books.bank.balance == 2500  # the caller's object is refreshed
    assert txn.seq == 1
    assert list(txn.postings.values_list("side", "amount")) == [("D", 2500), ("C", 2500)]
    assert (
        AuditEntry.objects.filter(action="ledger_post_transaction", object_id=txn.pk).count() == 1
    )
    [eur] = trial_balance(neighbourhood=world.nbh_a, unit=books.eur)
    assert (eur.debit, eur.credit, eur.balanced) == (2500, 2500, True)
    assert (eur.by_type["asset"].debit, eur.by_type["income"].credit) == (2500, 2500)
    assert verify_ledger(world.nbh_a).ok


def test_a_reversal_restores_every_balance_and_keeps_the_original(books, world):
    original = post_transaction(
        neighbourhood=world.nbh_a,
        kind="dues",
        memo="Contributie (dubbel geboekt)",
        actor=world.staff_a,
        lines=[D(books.bank, 2500), C(books.dues, 2500)],
    )
    reversal = reverse_transaction(transaction=original, actor=world.staff_a, reason="Dubbel")
    assert balance(account=books.bank) == 0
    assert balance(account=books.dues) == 0
    assert (reversal.seq, reversal.kind, reversal.reverses_id) == (2, "reversal", original.pk)
    assert reversal.reason == "Dubbel"
    assert list(reversal.postings.values_list("account_id", "side", "amount")) == [
        (books.bank.pk, "C", 2500),
        (books.dues.pk, "D", 2500),
    ]
    original.refresh_from_db()
    assert list(original.postings.values_list("side", "amount")) == [("D", 2500), ("C", 2500)]
    with pytest.raises(AlreadyReversed):
        reverse_transaction(transaction=original, actor=world.staff_a, reason="Nog eens")
    assert Transaction.objects.count() == 2
    assert verify_ledger(world.nbh_a).ok


def test_a_purchase_split_over_three_accounts(books, world):
    # € 100,00 from the bank: € 62,50 groceries, € 25,25 energy, € 12,25 repairs
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="opening",
        memo="Beginsaldo",
        actor=world.staff_a,
        lines=[D(books.bank, 50000), C(books.equity, 50000)],
    )
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="purchase",
        memo="Inkoop buurtkamer",
        actor=world.staff_a,
        lines=[
            D(books.groceries, 6250),
            D(books.energy, 2525),
            D(books.repairs, 1225),
            C(books.bank, 10000),
        ],
    )
    assert [
        balance(account=a)
        for a in (books.bank, books.groceries, books.energy, books.repairs, books.equity)
    ] == [40000, 6250, 2525, 1225, 50000]
    [eur] = trial_balance(neighbourhood=world.nbh_a)
    assert eur.by_type["expense"].debit == 10000
    assert eur.by_type["asset"].debit == 40000
    assert eur.by_type["equity"].credit == 50000
    assert (eur.debit, eur.credit, eur.balanced) == (50000, 50000, True)


def test_a_transfer_refused_by_a_limit_writes_nothing(books, world):
    # Household A2 may go to € -50,00 (lower limit -5000); household A starts empty.
    transfer(
        source=books.household2,
        destination=books.household,
        amount=4000,
        kind="transfer",
        memo="Boodschappen terug",
        actor=world.staff_a,
    )
    assert (balance(account=books.household2), balance(account=books.household)) == (-4000, 4000)
    before = (Transaction.objects.count(), Posting.objects.count(), AuditEntry.objects.count())
    with pytest.raises(LimitExceeded) as refused, translation.override("en"):
        transfer(
            source=books.household2,
            destination=books.household,
            amount=1001,
            kind="transfer",
            memo="Te veel",
            actor=world.staff_a,
        )
    with translation.override("en"):
        assert str(refused.value) == (
            "Refused: the balance of account 2101 “Tegoed Beukenstraat 3” would become "
            "€ -50.01, below its lower limit of € -50.00."
        )
    with translation.override("nl"):
        assert "€ -50,01" in str(refused.value)
    assert refused.value.account.pk == books.household2.pk
    assert (refused.value.limit, refused.value.new_balance) == (-5000, -5001)
    assert (Transaction.objects.count(), Posting.objects.count(), AuditEntry.objects.count()) == (
        before
    )
    assert (balance(account=books.household2), balance(account=books.household)) == (-4000, 4000)
    assert books.household2.balance == -4000
    # exactly up to the limit is allowed
    transfer(
        source=books.household2,
        destination=books.household,
        amount=1000,
        kind="transfer",
        memo="Precies",
        actor=world.staff_a,
    )
    assert balance(account=books.household2) == -5000
    assert verify_ledger(world.nbh_a).ok


def test_transfer_between_asset_accounts_credits_the_source(books, world):
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="opening",
        memo="Beginsaldo",
        actor=None,
        lines=[D(books.bank, 10000), C(books.equity, 10000)],
    )
    txn = transfer(
        source=books.bank,
        destination=books.cash,
        amount=2000,
        kind="cash",
        memo="Pinnen",
        actor=world.staff_a,
    )
    assert list(txn.postings.values_list("account_id", "side")) == [
        (books.bank.pk, "C"),
        (books.cash.pk, "D"),
    ]
    assert (books.bank.balance, books.cash.balance) == (8000, 2000)


def test_transfer_between_an_asset_and_a_liability_is_refused(books, world):
    with pytest.raises(Unbalanced):
        transfer(
            source=books.bank,
            destination=books.household,
            amount=100,
            kind="transfer",
            memo="",
            actor=None,
        )


def test_an_energy_purchase_balances_per_unit(books, world):
    from heelwijk.ledger.actions import account_open

    grid = account_open(
        neighbourhood=world.nbh_a,
        unit=books.kwh,
        code="K-GRID",
        name="Net",
        type="asset",
        owner_kind="system",
    )
    use = account_open(
        neighbourhood=world.nbh_a,
        unit=books.kwh,
        code="K-USE",
        name="Verbruik",
        type="expense",
        owner_kind="system",
    )
    post_transaction(
        neighbourhood=world.nbh_a,
        kind="energy",
        memo="12,5 kWh voor € 3,75",
        actor=None,
        lines=[
            D(books.energy, 375),
            C(books.bank, 375),
            D(use, to_minor("12.5", books.kwh)),
            C(grid, 12500),
        ],
    )
    assert (balance(account=use), balance(account=grid)) == (12500, -12500)
    with pytest.raises(Unbalanced):
        post_transaction(
            neighbourhood=world.nbh_a,
            kind="energy",
            memo="",
            actor=None,
            lines=[D(books.energy, 375), C(grid, 375)],
        )
