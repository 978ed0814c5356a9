"""The demo currencies: in use, idempotent and deterministic (one build, checked from all
sides, because building the demo base is slow)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.db import transaction

from heelwijk.accounts.models import User
from heelwijk.currency.demo import build_demo
from heelwijk.currency.models import Currency, Payment, VolunteerCredit, Wallet
from heelwijk.currency.selectors import report, wallets_for_user
from heelwijk.neighbourhood.demo import demo_build
from heelwijk.neighbourhood.models import Neighbourhood

pytestmark = pytest.mark.django_db


def fingerprint(neighbourhood) -> list[tuple]:
    return list(
        Payment.objects.filter(neighbourhood=neighbourhood)
        .order_by("effective_date", "transaction__seq")
        .values_list("payer__name", "payee__name", "amount", "effective_date", "category")
    ) + list(
        Wallet.objects.filter(neighbourhood=neighbourhood)
        .order_by("account__code")
        .values_list("account__code", "payment_code", "account__balance")
    )


def test_the_demo_currencies_are_in_use_idempotent_and_deterministic():
    demo_build(households=40, seed=2026, password="demo-password-1")
    lindenhof = Neighbourhood.objects.get(slug="lindenhof")
    eikendal = Neighbourhood.objects.get(slug="eikendal")

    # Deterministic: a build that is rolled back and done again gives the same rows.
    with transaction.atomic():
        build_demo(neighbourhood=lindenhof, stdout=StringIO())
        build_demo(neighbourhood=eikendal, stdout=StringIO())
        first = fingerprint(lindenhof), fingerprint(eikendal)
        transaction.set_rollback(True)
    out = StringIO()
    build_demo(neighbourhood=lindenhof, stdout=out)
    build_demo(neighbourhood=eikendal, stdout=out)
    assert (fingerprint(lindenhof), fingerprint(eikendal)) == first
    assert "Linde (Lindenhof)" in out.getvalue()

    # Idempotent: running it again changes nothing.
    again = StringIO()
    build_demo(neighbourhood=lindenhof, stdout=again)
    build_demo(neighbourhood=eikendal, stdout=again)
    assert (fingerprint(lindenhof), fingerprint(eikendal)) == first
    assert again.getvalue().count("already in use") == 2

    # In use: the bakery is paid, residents earn and hold Linde, the reserve covers it all.
    linde = Currency.objects.get(neighbourhood=lindenhof, code="LINDE")
    bakery = Wallet.objects.get(currency=linde, name="Bakkerij Van der Linden")
    assert Payment.objects.filter(payee=bakery).count() > 50
    assert VolunteerCredit.objects.filter(currency=linde).count() > 10
    resident = User.objects.get(email="bewoner@lindenhof.demo")
    (wallet,) = wallets_for_user(user=resident, neighbourhood=lindenhof)
    assert wallet.currency == linde and wallet.account.balance >= 0
    assert Payment.objects.filter(payer=wallet).exists()
    shop_user = User.objects.get(email="winkel@lindenhof.demo")
    assert [w.pk for w in wallets_for_user(user=shop_user, neighbourhood=lindenhof)] == [bakery.pk]
    figures = report(currency=linde, as_of=date(2025, 12, 31))
    assert figures.reserve_matches is True and figures.positive > 0
    assert [m.month.month for m in figures.circulation.months if m.payments] == [9, 10, 11, 12]
    assert figures.circulation.categories[0].key in {"groceries", "food_drink"}

    time_bank = Currency.objects.get(neighbourhood=eikendal)
    assert time_bank.model == "time_credit"
    assert report(currency=time_bank).zero_sum is True
    eikendal_resident = User.objects.get(email="bewoner@eikendal.demo")
    assert len(wallets_for_user(user=eikendal_resident, neighbourhood=eikendal)) == 1
