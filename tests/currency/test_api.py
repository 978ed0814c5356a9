"""The currency API: payments with the Idempotency-Key rule, bad input, requests, issuing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from heelwijk.accounts.actions import api_token_create
from heelwijk.currency.actions import euro_deposit, wallet_close
from heelwijk.currency.models import (
    Payment,
    PaymentRequest,
    ReserveMovement,
    VolunteerCredit,
    Wallet,
)
from heelwijk.ledger.selectors import balance

from .conftest import make_currency

API = "/api/v1/currency"


@pytest.fixture
def api(client):
    """api(user).post(path, body, key=...) with a bearer token of ``user`` (English answers)."""

    class Caller:
        def __init__(self, user, neighbourhood):
            _token, self.secret = api_token_create(
                actor=user, neighbourhood=neighbourhood, name="t"
            )

        def _headers(self, key=None):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", "HTTP_ACCEPT_LANGUAGE": "en"}
            if key is not None:
                headers["HTTP_IDEMPOTENCY_KEY"] = key
            return headers

        def get(self, path, **params):
            return client.get(API + path, params, **self._headers())

        def post(self, path, body=None, key=None):
            return client.post(
                API + path,
                json.dumps(body or {}),
                content_type="application/json",
                **self._headers(key),
            )

        def patch(self, path, body):
            return client.patch(
                API + path, json.dumps(body), content_type="application/json", **self._headers()
            )

        def put(self, path, body):
            return client.put(
                API + path, json.dumps(body), content_type="application/json", **self._headers()
            )

    def make(user, neighbourhood=None):
        return Caller(
            user,
            neighbourhood or user.roles.first().neighbourhood
            if user.roles.exists()
            else neighbourhood,
        )

    return make


@pytest.fixture
def anna(api, town):
    return api(town.world.resident_a, town.world.nbh_a)


def pay_body(mutual, amount="7.50", **extra):
    return {
        "currency": "LINDE",
        "to_payment_code": mutual.shop.payment_code,
        "amount": amount,
        **extra,
    }


def test_a_payment_through_the_api(anna, mutual):
    response = anna.post("/payments", pay_body(mutual, description="Brood"), key="k-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "7.50"
    assert body["payer"] == {"wallet_id": mutual.anna.pk, "name": "Anna de Vries"}
    assert body["payee"]["name"] == "Bakkerij Van der Linden"
    assert body["your_balance_after"] == "-7.50"
    assert body["category"] == "food_drink"
    assert balance(account=mutual.shop.account) == 750


def test_the_same_key_and_body_answers_the_first_response_and_pays_once(anna, mutual):
    first = anna.post("/payments", pay_body(mutual), key="same")
    second = anna.post("/payments", pay_body(mutual), key="same")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Payment.objects.count() == 1
    assert balance(account=mutual.anna.account) == -750


def test_the_same_key_with_another_body_is_refused_with_409(anna, mutual):
    anna.post("/payments", pay_body(mutual), key="same")
    other = anna.post("/payments", pay_body(mutual, amount="8.00"), key="same")
    unknown = anna.post("/payments", pay_body(mutual, to_payment_code="ZZZZ2222"), key="same")
    assert other.status_code == unknown.status_code == 409
    assert "already used for another request" in other.json()["detail"]
    assert Payment.objects.count() == 1


def test_keys_belong_to_their_user(api, anna, town, mutual):
    shop = api(town.shop_a, town.world.nbh_a)
    anna.post("/payments", pay_body(mutual), key="shared")
    response = shop.post(
        "/payments",
        {"currency": "LINDE", "to_wallet_id": mutual.anna.pk, "amount": "1.00"},
        key="shared",
    )
    assert response.status_code == 201
    assert Payment.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": "0"}, "amount", "Enter an amount of more than zero."),
        ({"amount": "-5.00"}, "amount", "Enter an amount of more than zero."),
        (
            {"amount": "7.505"},
            "amount",
            "Linde has at most 2 decimals: round 7.505 to whole cents.",
        ),
        (
            {"amount": "60.00"},
            "from",
            "Not enough Linde: after this the balance of Anna de Vries "
            "would be L -60.00, and it may not go below L -50.00.",
        ),
        ({"to_payment_code": "ZZZZ2222"}, "to", "There is no such wallet in Linde."),
        ({"currency": "NOPE"}, "currency", "Lindenhof has no currency NOPE. You can use: Linde."),
    ],
)
def test_bad_payments_are_explained_and_nothing_is_posted(anna, mutual, change, field, message):
    response = anna.post("/payments", pay_body(mutual, **change), key="bad")
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"][field])
    assert Payment.objects.count() == 0
    assert balance(account=mutual.anna.account) == 0


def test_paying_yourself_is_refused(anna, mutual):
    response = anna.post("/payments", pay_body(mutual, to_payment_code=mutual.anna.payment_code))
    assert response.status_code == 400
    assert response.json()["errors"]["to"] == [
        "You cannot pay yourself: choose somebody else to pay."
    ]


def test_a_closed_wallet_cannot_be_paid(anna, town, mutual):
    wallet_close(wallet=mutual.beuk, actor=town.world.staff_a)
    response = anna.post("/payments", pay_body(mutual, to_payment_code=mutual.beuk.payment_code))
    assert response.status_code == 400
    assert response.json()["errors"]["to"] == [
        "The wallet of Beukenstraat 3 is closed: nothing can be paid from or to it."
    ]
    assert Payment.objects.count() == 0


def test_another_neighbourhoods_currency_is_refused(anna, town, mutual):
    make_currency(
        town.world,
        "time_credit",
        code="EIK",
        name="Eikel",
        symbol="E",
        neighbourhood=town.world.nbh_b,
    )
    response = anna.post("/payments", pay_body(mutual, currency="EIK"))
    assert response.status_code == 400
    assert response.json()["errors"]["currency"] == [
        "EIK is the currency of another neighbourhood. In Lindenhof you can use: Linde."
    ]


def test_an_amount_as_a_number_is_refused_by_the_schema(anna, mutual):
    response = anna.post("/payments", {**pay_body(mutual), "amount": 7.5})
    assert response.status_code == 422
    assert "Send the amount as text" in json.dumps(response.json())
    assert Payment.objects.count() == 0


def test_a_payment_request_through_the_api(api, anna, town, mutual):
    shop = api(town.shop_a, town.world.nbh_a)
    created = shop.post(
        "/payment-requests",
        {"wallet_id": mutual.shop.pk, "amount": "3.10", "description": "Krentenbollen"},
    )
    assert created.status_code == 201
    token = created.json()["token"]
    assert created.json()["status"] == "open"

    paid = anna.post(f"/payment-requests/{token}/pay", {}, key="r1")
    replay = anna.post(f"/payment-requests/{token}/pay", {}, key="r1")
    again = anna.post(f"/payment-requests/{token}/pay", {}, key="r2")

    assert paid.status_code == replay.status_code == 201
    assert paid.json() == replay.json()
    assert paid.json()["request_token"] == token
    assert again.status_code == 400
    assert again.json()["errors"]["__all__"] == ["This payment request has been paid already."]
    status = shop.get(f"/payment-requests/{token}").json()
    assert status["status"] == "paid" and status["payment_id"] == paid.json()["id"]
    assert PaymentRequest.objects.get().status == "paid"


def test_staff_credit_volunteering_hours(api, town, mutual):
    staff = api(town.world.staff_a, town.world.nbh_a)
    body = {
        "currency": "LINDE",
        "wallet_id": mutual.anna.pk,
        "hours": "1.5",
        "activity": "Repair Café",
        "reason": "Twee fietsen gemaakt",
    }
    first = staff.post("/volunteer-credits", body, key="c1")
    second = staff.post("/volunteer-credits", body, key="c1")
    assert first.status_code == second.status_code == 201
    assert first.json()["amount"] == "1.50" and first.json() == second.json()
    assert VolunteerCredit.objects.count() == 1
    assert balance(account=mutual.anna.account) == 150


def test_an_authorised_organisation_credits_hours_only_when_authorised(api, town, mutual):
    from heelwijk.currency.actions import authorisation_grant

    rep = api(town.world.representative_a, town.world.nbh_a)
    body = {
        "currency": "LINDE",
        "wallet_id": mutual.anna.pk,
        "hours": "2",
        "activity": "Voorlezen",
        "reason": "Bibliotheek",
        "organisation_id": town.world.organisation_a.pk,
    }
    assert rep.post("/volunteer-credits", body).status_code == 403
    authorisation_grant(
        currency=mutual.currency,
        organisation=town.world.organisation_a,
        actor=town.world.staff_a,
        monthly_hours_cap=Decimal("3"),
    )
    assert rep.post("/volunteer-credits", body).status_code == 201
    over = rep.post("/volunteer-credits", body)
    assert over.status_code == 400
    assert (
        "may credit 3.00 hours a month; 2.00 are used already" in over.json()["errors"]["hours"][0]
    )


def test_euro_deposit_and_redemption_through_the_api(api, town, euro):
    staff = api(town.world.staff_a, town.world.nbh_a)
    shop = api(town.shop_a, town.world.nbh_a)
    deposit = staff.post(
        "/deposits",
        {"currency": "LINDE", "wallet_id": euro.shop.pk, "amount": "100.00", "note": "Kas"},
        key="d1",
    )
    assert deposit.status_code == 201, deposit.content
    redeemed = shop.post("/redemptions", {"wallet_id": euro.shop.pk, "amount": "40.00"}, key="x")
    assert redeemed.status_code == 201
    assert redeemed.json()["fee_eur"] == "2.00" and redeemed.json()["net_eur"] == "38.00"
    assert ReserveMovement.objects.count() == 2
    assert balance(account=euro.currency.reserve_account) == 6000
    anna = api(town.world.resident_a, town.world.nbh_a)
    refused = anna.post("/redemptions", {"wallet_id": euro.anna.pk, "amount": "1.00"})
    assert refused.status_code == 403


def test_the_public_circulation_needs_no_login(client, town, euro):
    euro_deposit(currency=euro.currency, wallet=euro.anna, amount=2500, actor=None)
    response = client.get(f"{API}/public/lindenhof/LINDE/circulation")
    assert response.status_code == 200
    assert response.json()["in_circulation"] == "25.00"
    assert client.get(f"{API}/public/eikendal/LINDE/circulation").status_code == 404


def test_staff_set_up_a_currency_and_change_limits(api, town):
    staff = api(town.world.staff_a, town.world.nbh_a)
    created = staff.post(
        "/currencies",
        {
            "code": "buur",
            "name": "Buurt",
            "symbol": "B",
            "model": "mutual_credit",
            "limit_household": "25.00",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "BUUR" and created.json()["limit_household"] == "25.00"
    refused = staff.post(
        "/currencies",
        {
            "code": "VB",
            "name": "V",
            "symbol": "V",
            "model": "euro_backed",
            "limit_household": "5.00",
        },
    )
    assert refused.status_code == 400
    assert "never lent" in refused.json()["errors"]["limit_household"][0]
    changed = staff.patch("/currencies/BUUR", {"demurrage_rate": "0.5"})
    assert changed.status_code == 200 and changed.json()["demurrage_rate"] == "0.500"
    opened = staff.post("/wallets", {"currency": "BUUR", "household_id": town.world.household_a.pk})
    assert opened.status_code == 201 and opened.json()["credit_limit"] == "25.00"
    wallet_id = opened.json()["id"]
    limit = staff.put(
        f"/wallets/{wallet_id}/credit-limit", {"credit_limit": "80.00", "reason": "Vaste klant"}
    )
    assert limit.status_code == 200 and limit.json()["credit_limit"] == "80.00"
    changes = staff.get(f"/wallets/{wallet_id}/limit-changes").json()
    assert [(c["old_limit"], c["new_limit"], c["source"]) for c in changes] == [
        ("25.00", "80.00", "manual"),
        (None, "25.00", "default"),
    ]
    assert Wallet.objects.get(pk=wallet_id).account.lower_limit == -8000


def test_staff_read_the_report_through_the_api(api, town, euro):
    euro_deposit(currency=euro.currency, wallet=euro.anna, amount=3000, actor=None)
    report = api(town.world.staff_a, town.world.nbh_a).get("/currencies/LINDE/report").json()
    assert report["in_circulation"] == "30.00"
    assert report["euro_reserve"] == "30.00" and report["reserve_covers_circulation"] is True
