"""Balances now and at a date, paginated statements with running balances, trial balances."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from heelwijk.ledger.actions import PostingLine, post_transaction, reverse_transaction, transfer
from heelwijk.ledger.selectors import (
    account_list,
    accounts_for_owner,
    accounts_for_user,
    balance,
    chain_status,
    statement,
    transaction_detail,
    transaction_list,
    trial_balance,
)


def D(account, amount):
    return PostingLine(account=account, side="D", amount=amount)


def C(account, amount):
    return PostingLine(account=account, side="C", amount=amount)


@pytest.fixture
def history(books, world):
    """Household A's deposit over January: +100,00 (1st), -30,00 (10th), +5,00 (10th), -20,00
    (31st); effective dates deliberately entered out of order."""

    def post(day, amount, memo):
        lines = (
            [D(books.bank, amount), C(books.household, amount)]
            if amount > 0
            else [D(books.household, -amount), C(books.bank, -amount)]
        )
        return post_transaction(
            neighbourhood=world.nbh_a,
            kind="deposit",
            memo=memo,
            actor=world.staff_a,
            lines=lines,
            effective_date=date(2026, 1, day),
        )

    return [
        post(10, -3000, "Boodschappen"),
        post(1, 10000, "Storting"),
        post(31, -2000, "Energie"),
        post(10, 500, "Terugbetaling"),
    ]


def test_balance_now_is_the_stored_balance_in_one_query(history, books, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert balance(account=books.household) == 5500
    assert balance(account=books.bank) == 5500


def test_balance_at_a_date_sums_postings_up_to_that_date(history, books):
    assert balance(account=books.household, at=date(2025, 12, 31)) == 0
    assert balance(account=books.household, at=date(2026, 1, 1)) == 10000
    assert balance(account=books.household, at=date(2026, 1, 9)) == 10000
    assert balance(account=books.household, at=date(2026, 1, 10)) == 7500
    assert balance(account=books.household, at=date(2026, 1, 31)) == 5500


def test_balance_at_a_moment_is_the_books_as_entered_then(history, books):
    first, second, *_ = history
    assert balance(account=books.household, at=first.created_at) == -3000
    assert balance(account=books.household, at=second.created_at) == 7000
    assert balance(account=books.household, at=first.created_at - timedelta(seconds=1)) == 0
    assert balance(account=books.household, at=timezone.now()) == 5500


def test_statement_orders_by_date_with_running_balances(history, books):
    page = statement(account=books.household, page=1, per_page=10)
    assert [(r.effective_date.day, r.memo, r.change, r.balance) for r in page.rows] == [
        (1, "Storting", 10000, 10000),
        (10, "Boodschappen", -3000, 7000),
        (10, "Terugbetaling", 500, 7500),
        (31, "Energie", -2000, 5500),
    ]
    assert (page.count, page.num_pages, page.opening_balance, page.closing_balance) == (
        4,
        1,
        0,
        5500,
    )
    assert page.rows[0].counter_accounts == ("Bank",)


def test_statement_pages_carry_the_running_balance(history, books, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        second = statement(account=books.household, page=2, per_page=2)
    assert [(r.memo, r.balance) for r in second.rows] == [
        ("Terugbetaling", 7500),
        ("Energie", 5500),
    ]
    assert (second.opening_balance, second.closing_balance) == (7000, 5500)
    assert (second.has_previous, second.has_next) == (True, False)
    newest = statement(account=books.household, page=1, per_page=3, newest_first=True)
    assert [(r.memo, r.balance) for r in newest.rows] == [
        ("Energie", 5500),
        ("Terugbetaling", 7500),
        ("Boodschappen", 7000),
    ]
    assert (newest.opening_balance, newest.closing_balance) == (10000, 5500)
    # pages out of range are clamped, like Paginator.get_page
    assert statement(account=books.household, page=99, per_page=2).page == 2
    assert statement(account=books.household, page=0, per_page=2).page == 1


def test_statement_within_a_period_keeps_the_true_balance(history, books):
    page = statement(
        account=books.household,
        page=1,
        per_page=10,
        since=date(2026, 1, 2),
        until=date(2026, 1, 30),
    )
    assert [(r.memo, r.balance) for r in page.rows] == [
        ("Boodschappen", 7000),
        ("Terugbetaling", 7500),
    ]
    assert page.opening_balance == 10000
    empty = statement(account=books.household, page=1, per_page=10, since=date(2026, 2, 1))
    assert (empty.rows, empty.count, empty.opening_balance, empty.closing_balance) == (
        [],
        0,
        5500,
        5500,
    )
    never = statement(account=books.cash, page=1, per_page=10)
    assert (never.rows, never.num_pages, never.closing_balance) == ([], 1, 0)


def test_trial_balance_now_and_at_a_date(history, books, world):
    [eur] = trial_balance(neighbourhood=world.nbh_a)
    assert eur.balanced and (eur.debit, eur.credit) == (5500, 5500)
    rows = {r.account.code: (r.balance, r.debit, r.credit) for r in eur.rows}
    assert rows["1100"] == (5500, 5500, 0)
    assert rows["2100"] == (5500, 0, 5500)
    [past] = trial_balance(neighbourhood=world.nbh_a, at=date(2026, 1, 10))
    assert past.balanced and (past.debit, past.credit) == (7500, 7500)
    assert past.by_type["liability"].credit == 7500
    assert trial_balance(neighbourhood=world.nbh_b) == []


def test_trial_balance_shows_negative_balances_in_the_other_column(books, world):
    transfer(
        source=books.household2,
        destination=books.household,
        amount=1500,
        kind="t",
        memo="",
        actor=None,
    )
    [eur] = trial_balance(neighbourhood=world.nbh_a)
    rows = {r.account.code: (r.balance, r.debit, r.credit) for r in eur.rows}
    assert rows["2101"] == (-1500, 1500, 0)
    assert rows["2100"] == (1500, 0, 1500)
    assert eur.balanced


def test_account_list_searches_code_name_and_owner(books, world):
    assert [a.code for a in account_list(neighbourhood=world.nbh_a, search="tegoed")] == [
        "2100",
        "2101",
    ]
    assert [a.code for a in account_list(neighbourhood=world.nbh_a, search="Beukenstraat")] == [
        "2101"
    ]
    assert [a.code for a in account_list(neighbourhood=world.nbh_a, search="1100")] == ["1100"]
    assert account_list(neighbourhood=world.nbh_b).count() == 0
    assert account_list(neighbourhood=world.nbh_a, unit=books.kwh).count() == 0


def test_accounts_of_an_owner_and_of_a_user(books, world):
    assert [a.code for a in accounts_for_owner(owner=world.household_a)] == ["2100"]
    assert [
        a.code for a in accounts_for_user(user=world.resident_a, neighbourhood=world.nbh_a)
    ] == ["2100"]
    assert list(accounts_for_user(user=world.resident_b, neighbourhood=world.nbh_a)) == []
    assert list(accounts_for_user(user=world.staff_a, neighbourhood=world.nbh_a)) == []


def test_transaction_list_detail_and_chain_status(history, books, world):
    reversal = reverse_transaction(transaction=history[0], actor=world.staff_a, reason="Fout")
    listed = list(transaction_list(neighbourhood=world.nbh_a))
    assert [t.seq for t in listed] == [5, 4, 3, 2, 1]
    assert listed[-1].reversed_by_id == reversal.pk
    assert listed[0].posting_count == 2
    assert [t.seq for t in transaction_list(neighbourhood=world.nbh_a, search="#3")] == [3]
    detail = transaction_detail(neighbourhood=world.nbh_a, transaction_id=reversal.pk)
    assert detail.reverses.pk == history[0].pk
    status = chain_status(neighbourhood=world.nbh_a)
    assert (status.seq, status.transactions, status.hash) == (5, 5, reversal.hash)
