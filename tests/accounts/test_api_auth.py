"""How API callers authenticate: bearer tokens (hashed, revocable) and the session with CSRF."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from heelwijk.accounts.actions import api_token_create, api_token_revoke
from heelwijk.accounts.models import ApiToken
from heelwijk.neighbourhood.models import Area
from tests.neighbourhood.test_api_support import ApiCaller

UNAUTHORISED = {"detail": "Log in or send a valid API token."}


def call(headers: dict, client: Client | None = None, path: str = "/api/v1/areas"):
    return (client or Client()).get(path, headers={"Accept-Language": "en", **headers})


@pytest.fixture
def secret(world):
    _, secret = api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="t")
    return secret


def test_a_valid_token_gets_in(world, secret):
    response = call({"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    assert [a["name"] for a in response.json()["items"]] == ["Noord"]


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer hw_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer hw_" + "x" * 500,
        "Token hw_something",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_without_a_valid_token_the_answer_is_401(world, header):
    response = call({"Authorization": header} if header else {})

    assert response.status_code == 401
    assert response.json() == UNAUTHORISED


def test_a_revoked_token_is_refused(world, secret):
    token = ApiToken.objects.get()
    api_token_revoke(actor=world.staff_a, token=token)

    response = call({"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401
    assert response.json() == UNAUTHORISED


def test_a_revoked_token_is_refused_even_beside_a_logged_in_session(world, secret):
    api_token_revoke(actor=world.staff_a, token=ApiToken.objects.get())
    browser = Client()
    browser.force_login(world.staff_a)

    with_token = call({"Authorization": f"Bearer {secret}"}, browser)
    without_token = call({}, browser)

    assert with_token.status_code == 401
    assert without_token.status_code == 200


def test_the_token_of_an_inactive_user_is_refused(world, secret):
    world.staff_a.is_active = False
    world.staff_a.save()

    assert call({"Authorization": f"Bearer {secret}"}).status_code == 401


def test_use_is_recorded_at_most_once_a_minute(world, secret):
    token = ApiToken.objects.get()
    header = {"Authorization": f"Bearer {secret}"}

    call(header)
    token.refresh_from_db()
    first = token.last_used_at
    call(header)
    token.refresh_from_db()
    second = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    call(header)
    token.refresh_from_db()

    assert first is not None
    assert second == first
    assert token.last_used_at > first


def test_a_token_writes_without_csrf(world, secret):
    client = Client(enforce_csrf_checks=True)
    caller = ApiCaller(client, {"Authorization": f"Bearer {secret}"})

    response = caller.post("/areas", {"name": "Zuid"})

    assert response.status_code == 201


def test_a_session_must_send_the_csrf_token_to_write(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.staff_a)
    caller = ApiCaller(browser)

    refused = caller.post("/areas", {"name": "Zuid"})
    assert not Area.objects.filter(name="Zuid").exists()
    browser.get("/accounts/tokens/")  # sets the CSRF cookie, as any page does
    caller.headers["X-CSRFToken"] = browser.cookies["csrftoken"].value
    accepted = caller.post("/areas", {"name": "Zuid"})

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert Area.objects.filter(name="Zuid", neighbourhood=world.nbh_a).count() == 1


def test_a_session_reads_without_csrf(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.resident_a)

    assert browser.get(f"/api/v1/households/{world.household_a.pk}").status_code == 200
