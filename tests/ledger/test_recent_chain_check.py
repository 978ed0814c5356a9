"""The chain page's quick check: verify's per-transaction and chain rules over the newest links
and the head only; the full re-derivation stays with `heelwijk ledger verify`."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from heelwijk.ledger.actions import PostingLine, post_transaction, reverse_transaction
from heelwijk.ledger.selectors import recent_chain_check
from heelwijk.ledger.verify import verify_ledger

from .conftest import tampering


@pytest.fixture
def five(books, world):
    return [
        post_transaction(
            neighbourhood=world.nbh_a,
            kind="dues",
            memo=f"Contributie {i}",
            actor=world.staff_a,
            lines=[PostingLine(books.bank, "D", 100 * i), PostingLine(books.dues, "C", 100 * i)],
        )
        for i in range(1, 6)
    ]


def raw(sql, *params):
    with tampering(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def rules_of(report):
    with translation.override("en"):
        return [(p.rule, p.seq, p.message) for p in report.problems]


def test_clean_books_pass_and_only_the_window_is_read(five, world):
    report = recent_chain_check(neighbourhood=world.nbh_a, last=3)

    assert report.ok
    assert (report.transactions, report.postings) == (3, 6)


def test_a_changed_posting_in_the_window_is_named(five, world):
    raw("UPDATE ledger_posting SET amount = 1 WHERE transaction_id = %s AND side = 'D'", five[3].pk)

    problems = rules_of(recent_chain_check(neighbourhood=world.nbh_a, last=3))

    assert [(rule, seq) for rule, seq, _m in problems] == [("unbalanced", 4), ("chain_hash", 4)]


def test_a_change_before_the_window_is_left_to_the_full_verify(five, world):
    raw("UPDATE ledger_transaction SET memo = 'x' WHERE id = %s", five[0].pk)

    assert recent_chain_check(neighbourhood=world.nbh_a, last=3).ok
    assert [p.rule for p in verify_ledger(world.nbh_a).problems] == ["chain_hash"]
    assert [p.rule for p in recent_chain_check(neighbourhood=world.nbh_a, last=5).problems] == [
        "chain_hash"
    ]


def test_a_removed_newest_transaction_shows_at_the_head(five, world):
    raw("DELETE FROM ledger_posting WHERE transaction_id = %s", five[4].pk)
    raw("DELETE FROM ledger_transaction WHERE id = %s", five[4].pk)

    problems = rules_of(recent_chain_check(neighbourhood=world.nbh_a, last=3))

    assert [rule for rule, _s, _m in problems] == ["chain_head"]


def test_a_reversal_in_the_window_must_mirror_its_original(five, world):
    reversal = reverse_transaction(transaction=five[4], actor=world.staff_a, reason="Fout")
    assert recent_chain_check(neighbourhood=world.nbh_a, last=3).ok

    raw("UPDATE ledger_posting SET amount = 1 WHERE transaction_id = %s", reversal.pk)

    rules = [rule for rule, _s, _m in rules_of(recent_chain_check(neighbourhood=world.nbh_a))]
    assert rules == ["chain_hash", "reversal"]


def test_the_page_says_how_much_it_checked_and_points_to_the_full_check(five, world, client_for):
    response = client_for(world.staff_a).get(reverse("ledger:chain_status"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "heelwijk ledger verify" in page
    assert "In orde: geen problemen gevonden." in page
