"""Who may do what in the ledger: the role matrix for every permission."""

import pytest
from django.contrib.auth.models import AnonymousUser

from heelwijk.ledger.actions import PostingLine, account_open, post_transaction
from tests.conftest import ROLES


@pytest.fixture
def objects(books, world):
    municipality = account_open(
        neighbourhood=world.nbh_a,
        unit=books.eur,
        code="2200",
        name="Gemeente subsidie",
        type="liability",
        owner_kind="organisation",
        owner=world.organisation_a,
    )
    person = account_open(
        neighbourhood=world.nbh_a,
        unit=books.hour,
        code="T-ANNA",
        name="Tijdtegoed Anna",
        type="liability",
        owner_kind="person",
        owner=world.person_a,
    )
    own_txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="t",
        memo="",
        actor=None,
        lines=[PostingLine(books.bank, "D", 100), PostingLine(books.household, "C", 100)],
    )
    other_txn = post_transaction(
        neighbourhood=world.nbh_a,
        kind="t",
        memo="",
        actor=None,
        lines=[PostingLine(books.bank, "D", 100), PostingLine(books.household2, "C", 100)],
    )
    return {
        "own household account": books.household,
        "other household account": books.household2,
        "wijkbedrijf account": books.bank,
        "municipality account": municipality,
        "own person account": person,
        "own transaction": own_txn,
        "other transaction": other_txn,
        "neighbourhood": world.nbh_a,
    }


# permission, object -> roles that may (out of ROLES)
MATRIX = [
    ("ledger.view_account", "own household account", {"resident_a", "staff_a"}),
    ("ledger.view_account", "own person account", {"resident_a", "staff_a"}),
    ("ledger.view_account", "other household account", {"staff_a"}),
    ("ledger.view_account", "wijkbedrijf account", {"staff_a"}),
    ("ledger.view_account", "municipality account", {"staff_a", "representative_a"}),
    ("ledger.view_transaction", "own transaction", {"resident_a", "staff_a"}),
    ("ledger.view_transaction", "other transaction", {"staff_a"}),
    ("ledger.post_transaction", "neighbourhood", {"staff_a"}),
    ("ledger.reverse_transaction", "own transaction", {"staff_a"}),
    ("ledger.reverse_transaction", "neighbourhood", {"staff_a"}),
    ("ledger.manage_accounts", "neighbourhood", {"staff_a"}),
    ("ledger.view_books", "neighbourhood", {"staff_a"}),
]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world, objects, role):
    user = world.user(role) or AnonymousUser()
    answers = {(perm, target): user.has_perm(perm, objects[target]) for perm, target, _a in MATRIX}
    expected = {(perm, target): role in allowed for perm, target, allowed in MATRIX}
    assert answers == expected


def test_staff_of_another_neighbourhood_sees_nothing(world, objects):
    for target in ("own household account", "wijkbedrijf account", "neighbourhood"):
        assert not world.staff_b.has_perm("ledger.view_account", objects[target])
        assert not world.staff_b.has_perm("ledger.view_books", objects[target])
