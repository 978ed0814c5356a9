"""Concurrent payments on PostgreSQL: duplicates of one Idempotency-Key pay once; many payers
at one shop never pass a credit limit and lose no update."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from heelwijk.currency.actions import payment_create
from heelwijk.currency.models import Payment, Wallet

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def in_threads(count: int, work) -> list:
    results: list = [None] * count
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_duplicates_of_one_key_pay_once(mutual):
    payer, payee = mutual.anna, mutual.shop

    def pay(_index):
        wallet = Wallet.objects.select_related("account", "currency").get(pk=payer.pk)
        target = Wallet.objects.select_related("account", "currency").get(pk=payee.pk)
        return payment_create(
            payer=wallet, payee=target, amount=500, actor=None, idempotency_key="same-key"
        )

    results = in_threads(8, pay)
    assert all(isinstance(r, Payment) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Payment.objects.count() == 1
    assert Wallet.objects.get(pk=payer.pk).account.balance == -500


def test_concurrent_payers_never_pass_the_limit(mutual):
    """Anna may go to -50,00; twelve payments of 5,00 at once: ten go through, two refused."""

    def pay(index):
        wallet = Wallet.objects.select_related("account", "currency").get(pk=mutual.anna.pk)
        target = Wallet.objects.select_related("account", "currency").get(pk=mutual.shop.pk)
        return payment_create(
            payer=wallet, payee=target, amount=500, actor=None, idempotency_key=f"k{index}"
        )

    results = in_threads(12, pay)
    assert sum(isinstance(r, Payment) for r in results) == 10
    assert sum(isinstance(r, ValidationError) for r in results) == 2
    assert Wallet.objects.get(pk=mutual.anna.pk).account.balance == -5000
    assert Wallet.objects.get(pk=mutual.shop.pk).account.balance == 5000
