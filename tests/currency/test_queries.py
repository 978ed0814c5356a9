"""List pages and the statement run a constant number of queries, whatever their length."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heelwijk.currency.actions import payment_create, wallet_open
from tests.factories import HouseholdFactory


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_wallet_list_and_statement_queries_do_not_grow(client_for, town, mutual):
    client = client_for(town.world.staff_a)
    wallets = reverse("currency:wallet_list", args=["LINDE"])
    statement = reverse("currency:wallet", args=[mutual.anna.pk])
    payment_create(payer=mutual.anna, payee=mutual.shop, amount=100, actor=None)
    small = count(client, wallets), count(client, statement)
    for n in range(6):
        household = HouseholdFactory(area=town.world.area_a, postcode="1234 AB")
        wallet = wallet_open(currency=mutual.currency, holder=household, actor=None)
        payment_create(payer=wallet, payee=mutual.shop, amount=100 + n, actor=None)
        payment_create(payer=mutual.anna, payee=wallet, amount=50, actor=None)
    assert (count(client, wallets), count(client, statement)) == small
