"""The currency pages: paying through the confirmation screen, receipts, requests, staff pages."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from heelwijk.currency.actions import payment_create, volunteer_credit_create
from heelwijk.currency.models import Payment, PaymentRequest, Wallet

pytestmark = pytest.mark.django_db


def refreshed(wallet: Wallet) -> Wallet:
    return Wallet.objects.select_related("account").get(pk=wallet.pk)


def test_wallet_home_shows_the_balance_and_the_payment_code(client_for, town, mutual):
    response = client_for(town.world.resident_a).get(reverse("currency:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert mutual.anna.payment_code in body
    assert "L 0,00" in body


def test_a_resident_pays_a_shop_through_the_confirmation_screen(client_for, town, mutual):
    client = client_for(town.world.resident_a)
    url = reverse("currency:pay", args=[mutual.anna.pk])

    review = client.post(url, {"step": "review", "to": mutual.shop.payment_code, "amount": "7,50"})
    assert review.status_code == 200
    assert Payment.objects.count() == 0  # the confirmation screen posts nothing
    html = review.content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', html).group(1)
    assert "L 7,50" in html and "Bakkerij Van der Linden" in html

    confirm = {
        "step": "confirm",
        "key": key,
        "to": mutual.shop.payment_code,
        "amount": "7.50",
        "description": "",
        "category": "",
    }
    done = client.post(url, confirm)
    again = client.post(url, confirm)  # a double click pays once

    payment = Payment.objects.get()
    assert done.status_code == again.status_code == 302
    assert done["Location"] == again["Location"] == reverse("currency:receipt", args=[payment.pk])
    assert (payment.amount, payment.category) == (750, "food_drink")
    assert refreshed(mutual.anna).account.balance == -750
    receipt = client.get(done["Location"]).content.decode()
    assert "L -7,50" in receipt  # the new balance

    shop_view = client_for(town.shop_a).get(reverse("currency:wallet", args=[mutual.shop.pk]))
    assert "Anna de Vries" in shop_view.content.decode()
    assert "L 7,50" in shop_view.content.decode()


@pytest.mark.parametrize(
    ("amount", "field_text"),
    [
        ("0", "Enter an amount of more than zero."),
        ("-5", "Enter an amount of more than zero."),
        ("7,505", "Linde has at most 2 decimals: round 7.505 to whole cents."),
        ("zeven", "“zeven” is not an amount. Write it like 7,50."),
        ("60", "Not enough Linde"),
    ],
)
def test_bad_amounts_are_explained_and_nothing_is_paid(
    client_for, town, mutual, amount, field_text
):
    client = client_for(town.world.resident_a)
    with translation.override("en"):
        response = client.post(
            reverse("currency:pay", args=[mutual.anna.pk]),
            {"step": "confirm", "key": "abc", "to": mutual.shop.payment_code, "amount": amount},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert field_text in response.content.decode()
    assert Payment.objects.count() == 0


def test_paying_yourself_and_unknown_codes_are_refused(client_for, town, mutual):
    client = client_for(town.world.resident_a)
    url = reverse("currency:pay", args=[mutual.anna.pk])
    own = client.post(
        url,
        {"step": "confirm", "to": mutual.anna.payment_code, "amount": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    unknown = client.post(
        url, {"step": "confirm", "to": "ZZZZ2222", "amount": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert own.status_code == unknown.status_code == 400
    assert "You cannot pay yourself" in own.content.decode()
    assert "No wallet with payment code ZZZZ2222 takes Linde." in unknown.content.decode()
    assert Payment.objects.count() == 0


def test_the_recipient_search_finds_by_name_and_area(client_for, town, mutual):
    client = client_for(town.world.resident_a)
    url = reverse("currency:pay", args=[mutual.anna.pk])
    by_name = client.get(url, {"q": "bakkerij"}, HTTP_HX_REQUEST="true")
    by_area = client.get(url, {"area": town.world.area_a.pk}, HTTP_HX_REQUEST="true")
    assert "Bakkerij Van der Linden" in by_name.content.decode()
    names = by_area.content.decode()
    assert "Beukenstraat 3" in names  # household A2, in area Noord
    assert "Anna de Vries" not in names  # not yourself


def test_the_payment_code_leads_to_the_pay_page(client_for, town, mutual):
    response = client_for(town.world.resident_a).get(
        reverse("currency:code", args=[mutual.shop.payment_code])
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("currency:pay", args=[mutual.anna.pk]) + f"?to={mutual.shop.payment_code}"
    )


def test_the_shop_page_shows_its_qr_code(client_for, town, mutual):
    response = client_for(town.world.resident_a).get(
        reverse("currency:shop", args=[mutual.shop.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img"' in body and 'class="qr"' in body
    assert mutual.shop.payment_code in body


def test_a_payment_request_is_paid_by_confirming_it(client_for, town, mutual):
    shop = client_for(town.shop_a)
    created = shop.post(
        reverse("currency:request_create", args=[mutual.shop.pk]),
        {"amount": "12,25", "description": "Taart"},
    )
    request = PaymentRequest.objects.get()
    assert created["Location"] == reverse("currency:request", args=[request.token])
    waiting = shop.get(created["Location"]).content.decode()
    assert "Wachten op de betaling" in waiting and '<svg role="img"' in waiting

    payer = client_for(town.world.resident_a)
    page = payer.get(created["Location"])
    assert "L 12,25" in page.content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', page.content.decode()).group(1)
    paid = payer.post(created["Location"], {"key": key})

    payment = Payment.objects.get()
    assert paid["Location"] == reverse("currency:receipt", args=[payment.pk])
    request.refresh_from_db()
    assert request.status == "paid" and payment.request_id == request.pk
    status = client_for(town.shop_a).get(reverse("currency:request_status", args=[request.token]))
    assert "Anna de Vries" in status.content.decode()
    payer = client_for(town.world.resident_a)
    again = payer.post(created["Location"], {"key": "other"})
    assert again.status_code == 400 and Payment.objects.count() == 1


def test_the_statement_names_the_other_party(client_for, town, mutual):
    payment_create(
        payer=mutual.anna, payee=mutual.shop, amount=300, actor=None, description="Brood"
    )
    volunteer_credit_create(
        currency=mutual.currency,
        wallet=mutual.anna,
        hours=Decimal("1"),
        activity="Koffie",
        reason="Schenken",
        actor=town.world.staff_a,
    )
    body = (
        client_for(town.world.resident_a)
        .get(reverse("currency:wallet", args=[mutual.anna.pk]))
        .content.decode()
    )
    assert "Bakkerij Van der Linden" in body and "Brood" in body and "Koffie" in body


def test_staff_pages_render(client_for, town, mutual):
    client = client_for(town.world.staff_a)
    code = mutual.currency.code
    for url in [
        reverse("currency:manage"),
        reverse("currency:currency_settings", args=[code]),
        reverse("currency:wallet_list", args=[code]),
        reverse("currency:wallet_create", args=[code]),
        reverse("currency:credit_hours", args=[code]),
        reverse("currency:currency_new"),
        reverse("currency:wallet", args=[mutual.community.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_circulation_page_is_public(client, town, mutual):
    payment_create(payer=mutual.anna, payee=mutual.shop, amount=1250, actor=None)
    response = client.get(reverse("currency:circulation", args=["lindenhof", "LINDE"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="chart"' in body and "<table" in body
    assert "L 12,50" in body


def test_a_shop_exchanges_units_for_euros_after_seeing_the_fee(client_for, town, euro):
    from heelwijk.currency.actions import euro_deposit
    from heelwijk.currency.models import ReserveMovement

    euro_deposit(currency=euro.currency, wallet=euro.shop, amount=10000, actor=None)
    client = client_for(town.shop_a)
    url = reverse("currency:redeem", args=[euro.shop.pk])
    review = client.post(url, {"step": "review", "amount": "40"})
    html = review.content.decode()
    assert review.status_code == 200 and "€ 2,00" in html and "€ 38,00" in html
    assert ReserveMovement.objects.filter(kind="redemption").count() == 0
    key = re.search(r'name="key" value="([0-9a-f]+)"', html).group(1)
    done = client.post(url, {"step": "confirm", "amount": "40", "key": key})
    client.post(url, {"step": "confirm", "amount": "40", "key": key})  # pressed twice
    assert done.status_code == 302
    move = ReserveMovement.objects.get(kind="redemption")
    assert (move.amount, move.fee) == (4000, 200)
    too_much = client.post(url, {"step": "review", "amount": "61"})
    assert too_much.status_code == 400


def test_staff_record_a_deposit_and_credit_hours_on_pages(client_for, town, euro):
    client = client_for(town.world.staff_a)
    deposit = client.post(
        reverse("currency:deposit", args=["LINDE"]),
        {"wallet": euro.anna.pk, "amount": "25,00", "note": "Contant", "key": "abc1"},
    )
    assert deposit.status_code == 302
    assert refreshed(euro.anna).account.balance == 2500
    client.post(
        reverse("currency:deposit", args=["LINDE"]),
        {"wallet": euro.community.pk, "amount": "100", "key": "abc2"},
    )
    credit = client.post(
        reverse("currency:credit_hours", args=["LINDE"]),
        {
            "wallet": euro.beuk.pk,
            "hours": "1,5",
            "activity": "Moestuin",
            "reason": "Wieden",
            "activity_date": "2026-01-10",
            "key": "abc3",
        },
    )
    assert credit.status_code == 302
    assert refreshed(euro.beuk).account.balance == 150


def test_staff_change_settings_and_add_a_trust_rule_on_pages(client_for, town, mutual):
    client = client_for(town.world.staff_a)
    url = reverse("currency:currency_settings", args=["LINDE"])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "name": "Lindeblad",
            "limit_household": "75,00",
            "is_active": "on",
            "demurrage_rate": "0,5",
            "code": "LINDE",
            "model": "mutual_credit",
        }
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    mutual.currency.refresh_from_db()
    assert (mutual.currency.name, mutual.currency.limit_household) == ("Lindeblad", 7500)
    assert str(mutual.currency.demurrage_rate) == "0.500"
    rule = client.post(
        reverse("currency:trust_rule_add", args=["LINDE"]),
        {"wallet_kind": "household", "min_trades": "5", "credit_limit": "100"},
    )
    assert rule.status_code == 302
    assert mutual.currency.trust_rules.get().credit_limit == 10000
