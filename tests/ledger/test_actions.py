"""The ledger's write actions: refusals change nothing, idempotency, accounts, batches."""

from datetime import date, datetime

import pytest
from django.db import transaction
from django.utils import translation

from heelwijk.ledger.actions import (
    BatchTransaction,
    PostingLine,
    account_close,
    account_open,
    account_set_limits,
    post_batch,
    post_transaction,
    reverse_transaction,
    transfer,
    unit_ensure,
)
from heelwijk.ledger.errors import (
    BatchRejected,
    ClosedAccount,
    IdempotencyConflict,
    InvalidAmount,
    LedgerError,
    LimitExceeded,
    Unbalanced,
    UnitMismatch,
)
from heelwijk.ledger.models import Account, LedgerHead, Posting, Transaction
from heelwijk.ledger.selectors import balance
from heelwijk.ledger.verify import verify_ledger
from heelwijk.neighbourhood.models import AuditEntry

from .conftest import Books


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the default UI language is Dutch)."""
    with translation.override("en"):
        yield


def D(account, amount):
    return PostingLine(account=account, side="D", amount=amount)


def C(account, amount):
    return PostingLine(account=account, side="C", amount=amount)


def pay(books: Books, world, amount=2500, **kw):
    return post_transaction(
        neighbourhood=world.nbh_a,
        kind=kw.pop("kind", "dues"),
        memo=kw.pop("memo", "Contributie"),
        actor=world.staff_a,
        lines=kw.pop("lines", [D(books.bank, amount), C(books.dues, amount)]),
        **kw,
    )


def journal_size():
    return Transaction.objects.count(), Posting.objects.count()


@pytest.mark.parametrize(
    ("lines", "error", "message"),
    [
        (lambda b: [D(b.bank, 100)], Unbalanced, "A transaction needs at least two postings."),
        (
            lambda b: [D(b.bank, 100), C(b.dues, 99)],
            Unbalanced,
            "Debits (€ 1.00) and credits (€ 0.99) in EUR are not equal.",
        ),
        (
            lambda b: [D(b.bank, 0), C(b.dues, 0)],
            InvalidAmount,
            "A posting amount must be more than zero and at most 1000000000000000 minor units.",
        ),
        (
            lambda b: [D(b.bank, -5), C(b.dues, -5)],
            InvalidAmount,
            "A posting amount must be more than zero and at most 1000000000000000 minor units.",
        ),
        (
            lambda b: [D(b.bank, 1.5), C(b.dues, 1.5)],
            InvalidAmount,
            "A posting amount is a whole number of minor units, not float.",
        ),
        (
            lambda b: [PostingLine(b.bank, "X", 1), C(b.dues, 1)],
            LedgerError,
            "The side of a posting is “D” (debit) or “C” (credit), not “X”.",
        ),
    ],
)
def test_bad_transactions_are_refused_and_write_nothing(books, world, lines, error, message):
    before = journal_size()
    with translation.override("en"), pytest.raises(error) as refused:
        pay(books, world, lines=lines(books))
    with translation.override("en"):
        assert str(refused.value) == message
    assert journal_size() == before
    assert balance(account=books.bank) == 0


def test_accounts_of_another_neighbourhood_are_refused(books, world):
    from heelwijk.ledger.actions import ensure_standard_units

    eur_b = ensure_standard_units(neighbourhood=world.nbh_b)["EUR"]
    other = account_open(
        neighbourhood=world.nbh_b,
        unit=eur_b,
        code="1100",
        name="Bank B",
        type="asset",
        owner_kind="system",
    )
    with pytest.raises(LedgerError, match="belongs to another neighbourhood"):
        pay(books, world, lines=[D(other, 100), C(books.dues, 100)])
    with pytest.raises(UnitMismatch):
        transfer(source=other, destination=books.bank, amount=1, kind="x", memo="", actor=None)


def test_kind_memo_and_date_are_checked(books, world):
    with pytest.raises(LedgerError, match="kind"):
        pay(books, world, kind="Dues With Spaces")
    with pytest.raises(LedgerError, match="255"):
        pay(books, world, memo="x" * 256)
    with pytest.raises(LedgerError, match="date"):
        pay(books, world, effective_date=datetime(2026, 1, 1, 12, 0))
    assert journal_size() == (0, 0)


def test_effective_date_defaults_to_today_and_can_be_given(books, world):
    from django.utils import timezone

    assert pay(books, world).effective_date == timezone.localdate()
    assert pay(books, world, effective_date=date(2025, 12, 31)).effective_date == date(2025, 12, 31)


def test_postings_to_a_closed_account_are_refused(books, world):
    account_close(account=books.cash, actor=world.staff_a)
    assert books.cash.is_open is False
    with pytest.raises(ClosedAccount):
        pay(books, world, lines=[D(books.cash, 100), C(books.dues, 100)])
    assert journal_size() == (0, 0)


def test_only_an_empty_account_can_be_closed(books, world):
    pay(books, world, 700)
    with translation.override("en"), pytest.raises(ClosedAccount) as refused:
        account_close(account=books.bank, actor=world.staff_a)
    with translation.override("en"):
        assert str(refused.value) == (
            "Account 1100 “Bank” still holds € 7.00; only an empty account can be closed."
        )
    assert Account.objects.get(pk=books.bank.pk).is_open


def test_idempotency_same_key_same_request_returns_the_first(books, world):
    first = pay(books, world, idempotency_key="import-1", request_hash="a" * 64)
    again = pay(books, world, idempotency_key="import-1", request_hash="a" * 64)
    assert again.pk == first.pk
    assert journal_size() == (1, 2)
    assert balance(account=books.bank) == 2500


def test_idempotency_same_key_other_request_is_a_conflict(books, world):
    first = pay(books, world, idempotency_key="k", request_hash="a" * 64)
    with translation.override("en"), pytest.raises(IdempotencyConflict) as refused:
        pay(books, world, idempotency_key="k", request_hash="b" * 64)
    with translation.override("en"):
        assert str(refused.value) == (
            "The idempotency key “k” was already used for another request (transaction #1)."
        )
    assert refused.value.existing.pk == first.pk
    assert journal_size() == (1, 2)


def test_idempotency_without_request_hash_fingerprints_the_content(books, world):
    first = pay(books, world, 2500, idempotency_key="k")
    assert pay(books, world, 2500, idempotency_key="k").pk == first.pk
    with pytest.raises(IdempotencyConflict):
        pay(books, world, 2600, idempotency_key="k")
    # keys are per neighbourhood
    assert journal_size() == (1, 2)


def test_a_limit_can_be_set_only_around_the_current_balance(books, world):
    pay(books, world, 3000, lines=[D(books.groceries, 3000), C(books.household, 3000)])
    account_set_limits(
        account=books.household,
        lower_limit=-1000,
        upper_limit=5000,
        actor=world.staff_a,
        reason="Afspraak",
    )
    assert (books.household.lower_limit, books.household.upper_limit) == (-1000, 5000)
    entry = AuditEntry.objects.get(action="ledger_account_set_limits")
    assert entry.changes == {
        "lower_limit": [None, -1000],
        "upper_limit": [None, 5000],
        "reason": "Afspraak",
    }
    with translation.override("en"), pytest.raises(LimitExceeded) as refused:
        account_set_limits(
            account=books.household,
            lower_limit=None,
            upper_limit=2000,
            actor=world.staff_a,
            reason="Lager plafond",
        )
    with translation.override("en"):
        assert str(refused.value) == (
            "Refused: the balance of account 2100 “Tegoed Lindelaan 12” is € 30.00, above the "
            "new upper limit of € 20.00."
        )
    stored = Account.objects.get(pk=books.household.pk)
    assert (stored.lower_limit, stored.upper_limit) == (-1000, 5000)
    with pytest.raises(LedgerError, match="reason"):
        account_set_limits(
            account=books.household, lower_limit=None, upper_limit=None, actor=None, reason=" "
        )
    with pytest.raises(LedgerError, match="lower limit must not be above"):
        account_set_limits(
            account=books.household, lower_limit=10, upper_limit=5, actor=None, reason="x"
        )


def test_an_upper_limit_refuses_too_much(books, world):
    account_set_limits(
        account=books.household, lower_limit=0, upper_limit=10000, actor=None, reason="Max"
    )
    transfer(
        source=books.household2,
        destination=books.household,
        amount=4000,
        kind="t",
        memo="",
        actor=None,
    )
    with pytest.raises(LimitExceeded) as refused:
        post_transaction(
            neighbourhood=world.nbh_a,
            kind="t",
            memo="",
            actor=None,
            lines=[D(books.groceries, 6001), C(books.household, 6001)],
        )
    assert refused.value.which == "upper"
    assert balance(account=books.household) == 4000


def test_account_open_checks_its_input(books, world):
    n = world.nbh_a

    def open_(**kw):
        args = {
            "neighbourhood": n,
            "unit": books.eur,
            "code": "X1",
            "name": "X",
            "type": "asset",
            "owner_kind": "system",
        }
        args.update(kw)
        return account_open(**args)

    with pytest.raises(LedgerError, match="already an account with code 1100"):
        open_(code="1100")
    with pytest.raises(LedgerError, match="needs its owner"):
        open_(owner_kind="household")
    with pytest.raises(LedgerError, match="does not fit"):
        open_(owner_kind="household", owner=world.person_a)
    with pytest.raises(LedgerError, match="another neighbourhood"):
        open_(owner_kind="household", owner=world.household_b)
    with pytest.raises(LedgerError, match="wijkbedrijf"):
        open_(owner_kind="wijkbedrijf", owner=world.organisation_a)
    with pytest.raises(LedgerError, match="starts at zero"):
        open_(lower_limit=100)
    with pytest.raises(LedgerError, match="type of account"):
        open_(type="cash")
    person_account = open_(owner_kind="person", owner=world.person_a, type="liability")
    assert person_account.owner == world.person_a
    assert LedgerHead.objects.filter(neighbourhood=n).exists()


def test_unit_ensure_is_idempotent_and_keeps_decimals(books, world):
    again = unit_ensure(
        neighbourhood=world.nbh_a, code="EUR", name="Euro", symbol="€", decimals=2, kind="eur"
    )
    assert again.pk == books.eur.pk
    assert again.name == "Euro"
    with pytest.raises(UnitMismatch):
        unit_ensure(
            neighbourhood=world.nbh_a,
            code="EUR",
            name="euro",
            symbol="€",
            decimals=3,
            kind="eur",
        )
    linde = unit_ensure(
        neighbourhood=world.nbh_a,
        code="LINDE",
        name="Linde",
        symbol="L",
        decimals=2,
        kind="local_currency",
    )
    assert (linde.code, linde.decimals, linde.kind) == ("LINDE", 2, "local_currency")


def test_reversal_needs_a_reason_and_respects_limits(books, world):
    txn = transfer(
        source=books.household,
        destination=books.household2,
        amount=3000,
        kind="t",
        memo="",
        actor=None,
    )
    with pytest.raises(LedgerError, match="reason"):
        reverse_transaction(transaction=txn, actor=world.staff_a, reason="  ")
    # household2 spends it, so reversing would take it below its limit of € -50
    transfer(
        source=books.household2,
        destination=books.household,
        amount=8000,
        kind="t",
        memo="",
        actor=None,
    )
    with pytest.raises(LimitExceeded):
        reverse_transaction(transaction=txn, actor=world.staff_a, reason="Fout")
    assert Transaction.objects.filter(reverses=txn).count() == 0


def test_inside_a_callers_atomic_block_the_posting_rolls_back_with_it(books, world):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        pay(books, world)
        raise Boom
    assert journal_size() == (0, 0)
    assert balance(account=books.bank) == 0
    assert LedgerHead.objects.get(neighbourhood=world.nbh_a).seq == 0
    with transaction.atomic():
        pay(books, world)
    assert journal_size() == (1, 2)


def test_post_batch_posts_all_in_order(books, world):
    items = [
        BatchTransaction(
            memo=f"Contributie {i}", lines=[D(books.bank, 100 + i), C(books.dues, 100 + i)]
        )
        for i in range(50)
    ]
    posted = post_batch(
        neighbourhood=world.nbh_a, kind="dues", actor=world.staff_a, transactions=items
    )
    assert [t.seq for t in posted] == list(range(1, 51))
    assert [t.memo for t in posted[:2]] == ["Contributie 0", "Contributie 1"]
    assert balance(account=books.bank) == sum(100 + i for i in range(50))
    assert AuditEntry.objects.filter(action="ledger_post_batch").count() == 1
    assert verify_ledger(world.nbh_a).ok


def test_post_batch_is_all_or_nothing_with_a_report_per_item(books, world):
    items = [
        BatchTransaction(memo="ok", lines=[D(books.bank, 100), C(books.dues, 100)]),
        BatchTransaction(memo="scheef", lines=[D(books.bank, 100), C(books.dues, 90)]),
        BatchTransaction(memo="ok", lines=[D(books.bank, 100), C(books.dues, 100)]),
    ]
    with pytest.raises(BatchRejected) as refused:
        post_batch(neighbourhood=world.nbh_a, kind="dues", actor=None, transactions=items)
    assert [(i, type(e)) for i, e in refused.value.errors] == [(1, Unbalanced)]
    assert journal_size() == (0, 0)
    # limits hold after every item in turn: the second transfer would breach household2's limit
    items = [
        BatchTransaction(memo="1", lines=[D(books.household2, 4000), C(books.household, 4000)]),
        BatchTransaction(memo="2", lines=[D(books.household2, 2000), C(books.household, 2000)]),
    ]
    with pytest.raises(BatchRejected) as refused:
        post_batch(neighbourhood=world.nbh_a, kind="t", actor=None, transactions=items)
    assert [(i, type(e)) for i, e in refused.value.errors] == [(1, LimitExceeded)]
    assert journal_size() == (0, 0)
    assert balance(account=books.household2) == 0


def test_post_batch_replays_known_idempotency_keys(books, world):
    first = pay(books, world, 100, idempotency_key="row-1")
    items = [
        BatchTransaction(
            memo="Contributie",
            lines=[D(books.bank, 100), C(books.dues, 100)],
            idempotency_key="row-1",
        ),
        BatchTransaction(
            memo="Contributie",
            lines=[D(books.bank, 200), C(books.dues, 200)],
            idempotency_key="row-2",
        ),
    ]
    posted = post_batch(neighbourhood=world.nbh_a, kind="dues", actor=None, transactions=items)
    assert posted[0].pk == first.pk
    assert posted[1].seq == 2
    again = post_batch(neighbourhood=world.nbh_a, kind="dues", actor=None, transactions=items)
    assert [t.pk for t in again] == [t.pk for t in posted]
    assert balance(account=books.bank) == 300
