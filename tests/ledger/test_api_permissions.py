"""Permission matrix of the ledger API: every endpoint for every role.

Given two neighbourhoods with funded accounts, when each role calls each endpoint (with an API
token of its own neighbourhood), then the status is the one in the matrix; a denied call answers
JSON (401 without credentials, 403 without permission, 404 for another neighbourhood's row or
400 for another neighbourhood's account named in a body) and changes nothing in the books.
"""

from __future__ import annotations

import pytest

from tests.conftest import ROLES

from . import test_api_support as support

api_as = support.api_as  # a fixture
funded = support.funded  # a fixture
ledger_state = support.ledger_state

# endpoint -> (method, path with {names} of Funded/books attributes, body, status per role)
TRANSFER_FROM_HOUSEHOLD = {
    "source_account_id": "{household}",
    "destination_account_id": "{dues}",
    "amount": "10.00",
    "memo": "Contributie",
}
TRANSFER_FROM_ORGANISATION = {
    "source_account_id": "{org_account}",
    "destination_account_id": "{dues}",
    "amount": "5.00",
}
NEW_TRANSACTION = {
    "kind": "purchase",
    "memo": "Verf",
    "lines": [
        {"account_id": "{repairs}", "side": "D", "amount": "12.50"},
        {"account_id": "{bank}", "side": "C", "amount": "12.50"},
    ],
}


def statuses(resident_a, resident_b, staff_a, representative_a):
    return {
        "anonymous": 401,
        "resident_a": resident_a,
        "resident_b": resident_b,
        "staff_a": staff_a,
        "representative_a": representative_a,
    }


EVERYONE = statuses(200, 200, 200, 200)
STAFF_ONLY = statuses(403, 403, 200, 403)
OWN_HOUSEHOLD = statuses(200, 404, 200, 403)
WIJKBEDRIJF = statuses(403, 404, 200, 403)
ORGANISATION = statuses(403, 404, 200, 200)
OTHER_WIJK = statuses(404, 200, 404, 404)

MATRIX = {
    "units": ("get", "/units", None, EVERYONE),
    "accounts": ("get", "/accounts", None, EVERYONE),
    "household account": ("get", "/accounts/{household}", None, OWN_HOUSEHOLD),
    "person account": ("get", "/accounts/{person_account}", None, OWN_HOUSEHOLD),
    "bank account": ("get", "/accounts/{bank}", None, WIJKBEDRIJF),
    "organisation account": ("get", "/accounts/{org_account}", None, ORGANISATION),
    "other wijk's account": ("get", "/accounts/{other_account}", None, OTHER_WIJK),
    "household balance": ("get", "/accounts/{household}/balance", None, OWN_HOUSEHOLD),
    "bank balance": ("get", "/accounts/{bank}/balance", None, WIJKBEDRIJF),
    "household statement": ("get", "/accounts/{household}/statement", None, OWN_HOUSEHOLD),
    "organisation statement": ("get", "/accounts/{org_account}/statement", None, ORGANISATION),
    "other wijk's statement": ("get", "/accounts/{other_account}/statement", None, OTHER_WIJK),
    "trial balance": ("get", "/trial-balance", None, STAFF_ONLY),
    "transactions": ("get", "/transactions", None, STAFF_ONLY),
    "household's transaction": ("get", "/transactions/{top_up}", None, OWN_HOUSEHOLD),
    "other wijk's transaction": ("get", "/transactions/{other_top_up}", None, OTHER_WIJK),
    "transfer from household": (
        "post",
        "/transfers",
        TRANSFER_FROM_HOUSEHOLD,
        statuses(201, 400, 201, 403),
    ),
    "transfer from organisation": (
        "post",
        "/transfers",
        TRANSFER_FROM_ORGANISATION,
        statuses(403, 400, 201, 201),
    ),
    "transaction": ("post", "/transactions", NEW_TRANSACTION, statuses(403, 403, 201, 403)),
    "reversal": (
        "post",
        "/transactions/{top_up}/reverse",
        {"reason": "Dubbel geboekt"},
        statuses(403, 404, 201, 403),
    ),
}


def _ids(funded) -> dict:
    names = {
        "household": funded.books.household,
        "dues": funded.books.dues,
        "bank": funded.books.bank,
        "repairs": funded.books.repairs,
        "org_account": funded.org_account,
        "person_account": funded.person_account,
        "other_account": funded.other_account,
        "top_up": funded.top_up,
        "other_top_up": funded.other_top_up,
    }
    return {name: obj.pk for name, obj in names.items()}


def _fill(value, ids):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_each_role_gets_the_answer_in_the_matrix(world, funded, api_as, endpoint):
    method, path, body, expected = MATRIX[endpoint]
    ids = _ids(funded)
    answers = {}
    for role in ROLES:  # in turn, on the same books: an allowed write stays for the next role
        api = api_as(role)
        before = ledger_state()
        if method == "get":
            response = api.get(path.format(**ids))
        else:
            key = f"matrix-{endpoint}".replace(" ", "-")
            response = api.post(path.format(**ids), _fill(body, ids), key=key)
        answers[role] = response.status_code
        if response.status_code >= 400:
            assert response.data["detail"], role
            assert ledger_state() == before, f"{role} was refused but the books changed"
        elif method == "post":
            assert ledger_state()["transactions"] == before["transactions"] + 1, role

    assert answers == expected


def test_the_session_works_like_a_token(world, funded, api_as):
    api = api_as("resident_a", via="session")

    own = api.get(f"/accounts/{funded.books.household.pk}")
    bank = api.get(f"/accounts/{funded.books.bank.pk}")

    assert own.status_code == 200
    assert bank.status_code == 403


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("resident_a", ["2100", "H-2100"]),
        ("resident_b", ["2100"]),
        ("representative_a", ["2300"]),
        (
            "staff_a",
            [
                "0900",
                "1000",
                "1100",
                "2100",
                "2101",
                "2300",
                "4000",
                "4100",
                "4200",
                "8000",
                "H-2100",
            ],
        ),
    ],
)
def test_the_account_list_holds_only_what_the_role_may_see(world, funded, api_as, role, codes):
    response = api_as(role).get("/accounts", limit=100)

    assert response.status_code == 200
    assert sorted(item["code"] for item in response.data["items"]) == codes
    assert response.data["count"] == len(codes)
