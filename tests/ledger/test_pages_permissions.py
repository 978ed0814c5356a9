"""Permission matrix of the ledger pages: who may open what, and a refused reversal changes
nothing.

Given two neighbourhoods with funded accounts, when each role opens each page, then the status
is the one in the matrix (anonymous users are sent to the login page).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ROLES

from . import test_api_support as support

funded = support.funded  # a fixture
ledger_state = support.ledger_state


def statuses(resident_a, resident_b, staff_a, representative_a):
    return {
        "anonymous": 302,
        "resident_a": resident_a,
        "resident_b": resident_b,
        "staff_a": staff_a,
        "representative_a": representative_a,
    }


STAFF_ONLY = statuses(403, 403, 200, 403)
OWN_HOUSEHOLD = statuses(200, 404, 200, 403)
ORGANISATION = statuses(403, 404, 200, 200)

# page -> (url name, Funded/books attribute or None, status per role)
MATRIX = {
    "ledger": ("ledger:account_list", None, STAFF_ONLY),
    "my accounts": ("ledger:my_accounts", None, statuses(200, 200, 403, 200)),
    "household account": ("ledger:account_detail", "household", OWN_HOUSEHOLD),
    "person account": ("ledger:account_detail", "person_account", OWN_HOUSEHOLD),
    "organisation account": ("ledger:account_detail", "org_account", ORGANISATION),
    "bank account": ("ledger:account_detail", "bank", statuses(403, 404, 200, 403)),
    "other wijk's account": (
        "ledger:account_detail",
        "other_account",
        statuses(404, 200, 404, 404),
    ),
    "transactions": ("ledger:transaction_list", None, STAFF_ONLY),
    "household's transaction": ("ledger:transaction_detail", "top_up", OWN_HOUSEHOLD),
    "other wijk's transaction": (
        "ledger:transaction_detail",
        "other_top_up",
        statuses(404, 200, 404, 404),
    ),
    "reversal form": ("ledger:transaction_reverse", "top_up", statuses(403, 404, 200, 403)),
    "trial balance": ("ledger:trial_balance", None, STAFF_ONLY),
    "chain status": ("ledger:chain_status", None, STAFF_ONLY),
}


def _object(funded, name):
    return getattr(funded, name, None) or getattr(funded.books, name)


@pytest.mark.parametrize("page", list(MATRIX))
def test_each_role_gets_the_page_in_the_matrix(world, funded, client_for, page):
    url_name, target, expected = MATRIX[page]
    args = [_object(funded, target).pk] if target else []
    url = reverse(url_name, args=args)

    answers = {role: client_for(world.user(role)).get(url).status_code for role in ROLES}

    assert answers == expected


@pytest.mark.parametrize("role", ["anonymous", "resident_a", "resident_b", "representative_a"])
def test_only_staff_can_reverse_and_a_refusal_changes_nothing(world, funded, client_for, role):
    client = client_for(world.user(role))
    before = ledger_state()

    response = client.post(
        reverse("ledger:transaction_reverse", args=[funded.top_up.pk]), {"reason": "Fout"}
    )

    assert response.status_code in (302, 403, 404)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert ledger_state() == before
