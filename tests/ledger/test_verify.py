"""`verify` re-derives the books and names every problem exactly: rule, transaction, account."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from heelwijk.ledger.actions import PostingLine, post_transaction, reverse_transaction
from heelwijk.ledger.hashchain import digest_of
from heelwijk.ledger.models import Posting, Transaction
from heelwijk.ledger.verify import verify_ledger

from .conftest import tampering


def D(account, amount):
    return PostingLine(account=account, side="D", amount=amount)


def C(account, amount):
    return PostingLine(account=account, side="C", amount=amount)


@pytest.fixture
def three(books, world):
    def pay(amount, memo):
        return post_transaction(
            neighbourhood=world.nbh_a,
            kind="dues",
            memo=memo,
            actor=world.staff_a,
            lines=[D(books.bank, amount), C(books.dues, amount)],
        )

    return [pay(2500, "een"), pay(1000, "twee"), pay(700, "drie")]


def raw(sql, *params):
    with tampering(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def report_en(neighbourhood=None):
    report = verify_ledger(neighbourhood)
    with translation.override("en"):
        return report, [(p.rule, p.message) for p in report.problems]


def test_clean_books_pass(three, world):
    report, problems = report_en()
    assert problems == []
    assert (report.neighbourhoods, report.transactions, report.postings, report.accounts) == (
        1,
        3,
        6,
        9,
    )


def test_a_posting_changed_in_the_database_is_detected_exactly(three, books, world):
    first = three[0]
    bank_posting = Posting.objects.get(transaction=first, account=books.bank)
    raw("UPDATE ledger_posting SET amount = %s WHERE id = %s", 3500, bank_posting.pk)
    tampered = Transaction.objects.get(pk=first.pk)
    recomputed = digest_of(
        tampered,
        list(
            tampered.postings.order_by("id").values_list("account_id", "side", "amount", "unit_id")
        ),
    )
    report, problems = report_en(world.nbh_a)
    assert problems == [
        (
            "unbalanced",
            f"Transaction #1 (id {first.pk}): debits € 35.00 and credits € 25.00 in EUR are not "
            "equal.",
        ),
        (
            "chain_hash",
            f"Transaction #1 (id {first.pk}): its content no longer matches its hash (stored "
            f"{first.hash[:12]}…, computed {recomputed[:12]}…); it or one of its postings was "
            "changed.",
        ),
        (
            "unit_sum",
            "Lindenhof, EUR: all debits (€ 52.00) and all credits (€ 42.00) are not equal.",
        ),
        (
            "balance",
            f"Account 1100 “Bank” (id {books.bank.pk}): the stored balance is € 42.00, but its "
            "postings add up to € 52.00.",
        ),
    ]
    assert (report.problems[0].transaction_id, report.problems[0].seq) == (first.pk, 1)
    assert (report.problems[3].account_id, report.problems[3].account_code) == (
        books.bank.pk,
        "1100",
    )


def test_a_changed_memo_breaks_the_hash(three, world):
    raw("UPDATE ledger_transaction SET memo = 'vier' WHERE id = %s", three[1].pk)
    _report, problems = report_en()
    assert [rule for rule, _m in problems] == ["chain_hash"]
    assert problems[0][1].startswith(f"Transaction #2 (id {three[1].pk}): its content")


def test_a_deleted_transaction_is_detected(three, books, world):
    middle = three[1]
    raw("DELETE FROM ledger_posting WHERE transaction_id = %s", middle.pk)
    raw("DELETE FROM ledger_transaction WHERE id = %s", middle.pk)
    _report, problems = report_en()
    last = three[2]
    assert problems == [
        (
            "chain_seq",
            f"Transaction #3 (id {last.pk}) follows #1: numbers must run without gaps, so a "
            "transaction is missing or was renumbered.",
        ),
        (
            "chain_link",
            f"Transaction #3 (id {last.pk}): its link to the previous transaction "
            f"({middle.hash[:12]}…) does not match that transaction's hash "
            f"({three[0].hash[:12]}…).",
        ),
        (
            "balance",
            f"Account 1100 “Bank” (id {books.bank.pk}): the stored balance is € 42.00, but its "
            "postings add up to € 32.00.",
        ),
        (
            "balance",
            f"Account 8000 “Contributie” (id {books.dues.pk}): the stored balance is € 42.00, but "
            "its postings add up to € 32.00.",
        ),
    ]


def test_deleting_the_newest_transaction_is_detected_by_the_head(three, world):
    last = three[2]
    raw("DELETE FROM ledger_posting WHERE transaction_id = %s", last.pk)
    raw("DELETE FROM ledger_transaction WHERE id = %s", last.pk)
    _report, problems = report_en()
    assert [rule for rule, _m in problems] == ["chain_head", "balance", "balance"]
    assert problems[0][1] == (
        f"The chain head records transaction #3 ({last.hash[:12]}…), but the last transaction is "
        f"#2 ({three[1].hash[:12]}…): the newest transactions were removed or the head was changed."
    )


def test_reordered_transactions_are_detected(three, world):
    a, b = three[0], three[1]
    raw("UPDATE ledger_transaction SET seq = 99 WHERE id = %s", a.pk)
    raw("UPDATE ledger_transaction SET seq = 1 WHERE id = %s", b.pk)
    raw("UPDATE ledger_transaction SET seq = 2 WHERE id = %s", a.pk)
    _report, problems = report_en()
    rules = [(rule, message.split(":")[0]) for rule, message in problems]
    assert rules == [
        ("chain_link", f"Transaction #1 (id {b.pk})"),
        ("chain_hash", f"Transaction #1 (id {b.pk})"),
        ("chain_link", f"Transaction #2 (id {a.pk})"),
        ("chain_hash", f"Transaction #2 (id {a.pk})"),
        ("chain_link", f"Transaction #3 (id {three[2].pk})"),
    ]


def test_a_changed_stored_balance_and_a_limit_breach_are_detected(three, books, world):
    # the database's own check constraint refuses a balance below the limit ...
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_account SET balance = -6000 WHERE id = %s", [books.household2.pk]
        )
    # ... so tamper with a balance inside the limits
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_account SET balance = 100 WHERE id = %s", [books.cash.pk])
    _report, problems = report_en()
    assert problems == [
        (
            "balance",
            f"Account 1000 “Kas” (id {books.cash.pk}): the stored balance is € 1.00, but its "
            "postings add up to € 0.00.",
        ),
    ]


def test_a_reversal_that_does_not_mirror_is_detected(three, books, world):
    reversal = reverse_transaction(transaction=three[0], actor=None, reason="Fout")
    posting = Posting.objects.filter(transaction=reversal).order_by("id").first()
    raw("UPDATE ledger_posting SET side = 'D' WHERE id = %s", posting.pk)
    _report, problems = report_en()
    assert (
        "reversal",
        f"Transaction #4 (id {reversal.pk}) does not mirror transaction #1, which it reverses.",
    ) in problems


def test_the_command_prints_a_summary_and_exits_non_zero_on_problems(three, books, world, capsys):
    with translation.override("en"):
        call_command("ledger", "verify")
    out = capsys.readouterr().out
    assert "1 neighbourhood(s), 9 accounts, 3 transactions, 6 postings: no problems." in out
    raw("UPDATE ledger_posting SET amount = 1 WHERE id = %s", three[2].postings.first().pk)
    with translation.override("en"), pytest.raises(CommandError) as failed:
        call_command("ledger", "verify", "--neighbourhood", "lindenhof")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert "[unbalanced] Transaction #3" in out
    assert "4 problem(s)." in out
    with translation.override("en"), pytest.raises(CommandError):
        call_command("ledger", "verify", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False
    assert [p["rule"] for p in document["problems"]] == [
        "unbalanced",
        "chain_hash",
        "unit_sum",
        "balance",
    ]
    assert document["problems"][0]["seq"] == 3


def test_a_changed_posting_date_is_detected(three, books, world):
    posting = Posting.objects.filter(transaction=three[0], account=books.bank).get()
    raw("UPDATE ledger_posting SET effective_date = '2020-01-01' WHERE id = %s", posting.pk)
    _report, problems = report_en()
    day = three[0].effective_date.isoformat()
    assert problems == [
        (
            "posting_date",
            f"Transaction #1 (id {three[0].pk}): a posting on account 1100 is dated 2020-01-01, "
            f"but the transaction is dated {day}.",
        )
    ]
