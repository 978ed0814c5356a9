"""Shared helpers for the ledger API tests: callers per role and a small, funded set of books.

This module holds no tests; the ledger API test modules import from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.test import Client

from heelwijk.accounts.actions import api_token_create
from heelwijk.ledger.actions import PostingLine, account_open, post_transaction
from heelwijk.ledger.models import Account, LedgerHead, Posting, Transaction
from heelwijk.neighbourhood.models import AuditEntry

API = "/api/v1/ledger"


class ApiCaller:
    """A test client that sends and parses JSON, authenticated by a token (or not at all)."""

    def __init__(self, client: Client, headers: dict | None = None):
        self.client = client
        self.headers = headers or {}

    def _send(self, method: str, path: str, body=None, headers=None, **kwargs):
        url = path if path.startswith("/api/") else API + path
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(
            url, headers={**self.headers, **(headers or {})}, **kwargs
        )
        assert response["Content-Type"].startswith("application/json"), response.content[:300]
        response.data = json.loads(response.content) if response.content else None
        return response

    def get(self, path, **params):
        return self._send("get", path, data=params or None)

    def post(self, path, body=None, key: str | None = None):
        headers = {"Idempotency-Key": key} if key is not None else None
        return self._send("post", path, {} if body is None else body, headers=headers)


def home_of(world, user):
    return world.nbh_b if user in (world.resident_b, world.staff_b) else world.nbh_a


@pytest.fixture
def api_as(world):
    """api_as(role, via="token"|"session") -> ApiCaller; "anonymous" sends no credentials."""

    def make(who, via: str = "token") -> ApiCaller:
        user = world.user(who) if isinstance(who, str) else who
        client = Client()
        if user is None:
            return ApiCaller(client)
        if via == "session":
            client.force_login(user)
            return ApiCaller(client)
        _, secret = api_token_create(actor=user, neighbourhood=home_of(world, user), name="t")
        return ApiCaller(client, {"Authorization": f"Bearer {secret}"})

    return make


@dataclass
class Funded:
    """Accounts of both neighbourhoods with money on them, and one posted transaction each."""

    books: object
    org_account: Account  # liability of the municipality (representative_a's organisation)
    person_account: Account  # liability of person A (resident_a) in HOUR
    other_account: Account  # liability of household B in neighbourhood B
    other_bank: Account
    top_up: Transaction  # bank D / household A C, € 100,00
    other_top_up: Transaction  # in neighbourhood B


@pytest.fixture
def funded(world, books) -> Funded:
    n = world.nbh_a
    org_account = account_open(
        neighbourhood=n,
        unit=books.eur,
        code="2300",
        name="Tegoed gemeente",
        type="liability",
        owner_kind="organisation",
        owner=world.organisation_a,
    )
    person_account = account_open(
        neighbourhood=n,
        unit=books.hour,
        code="H-2100",
        name="Uren Anna",
        type="liability",
        owner_kind="person",
        owner=world.person_a,
    )
    top_up = post_transaction(
        neighbourhood=n,
        kind="top_up",
        memo="Storting",
        actor=world.staff_a,
        lines=[PostingLine(books.bank, "D", 10000), PostingLine(books.household, "C", 10000)],
    )
    post_transaction(
        neighbourhood=n,
        kind="top_up",
        memo="Storting gemeente",
        actor=world.staff_a,
        lines=[PostingLine(books.bank, "D", 5000), PostingLine(org_account, "C", 5000)],
    )
    from heelwijk.ledger.actions import ensure_standard_units

    eur_b = ensure_standard_units(neighbourhood=world.nbh_b)["EUR"]
    other_bank = account_open(
        neighbourhood=world.nbh_b,
        unit=eur_b,
        code="1100",
        name="Bank B",
        type="asset",
        owner_kind="wijkbedrijf",
    )
    other_account = account_open(
        neighbourhood=world.nbh_b,
        unit=eur_b,
        code="2100",
        name="Tegoed Dorpsstraat 1",
        type="liability",
        owner_kind="household",
        owner=world.household_b,
    )
    other_top_up = post_transaction(
        neighbourhood=world.nbh_b,
        kind="top_up",
        memo="Storting B",
        actor=world.staff_b,
        lines=[PostingLine(other_bank, "D", 2000), PostingLine(other_account, "C", 2000)],
    )
    return Funded(
        books, org_account, person_account, other_account, other_bank, top_up, other_top_up
    )


def ledger_state() -> dict:
    """Everything a write could change: rows, stored balances, chain heads and audit entries."""
    return {
        "transactions": Transaction.objects.count(),
        "postings": Posting.objects.count(),
        "balances": dict(Account.objects.values_list("pk", "balance")),
        "heads": dict(LedgerHead.objects.values_list("neighbourhood_id", "seq")),
        "audit": AuditEntry.objects.count(),
    }
