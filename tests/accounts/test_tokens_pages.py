"""The staff page for API tokens: list, make (secret shown once), revoke with confirmation."""

import re

import pytest
from django.urls import reverse

from heelwijk.accounts.actions import api_token_create
from heelwijk.accounts.models import ApiToken
from heelwijk.accounts.tokens import digest_of
from heelwijk.neighbourhood.models import AuditEntry
from tests.conftest import ROLES

LIST = "/accounts/tokens/"


def revoke_url(token) -> str:
    return reverse("token_revoke", args=[token.pk])


@pytest.fixture
def token_a(world):
    token, _ = api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="Dashboard")
    return token


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_staff_open_the_token_page(world, client_for, role, method):
    client = client_for(world.user(role))
    count = ApiToken.objects.count()

    response = getattr(client, method)(LIST, {"name": "probeer"} if method == "post" else None)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role == "staff_a":
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    if role != "staff_a" or method == "get":
        assert ApiToken.objects.count() == count


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_staff_of_the_neighbourhood_revoke(world, client_for, token_a, role, method):
    client = client_for(world.user(role))

    response = getattr(client, method)(revoke_url(token_a))

    token_a.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302
    elif role == "staff_a":
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == 403
    assert token_a.is_active is not (role == "staff_a" and method == "post")


def test_staff_of_b_cannot_see_or_revoke_a_token_of_a(world, client_for, token_a):
    client = client_for(world.staff_b)

    page = client.get(LIST)
    revoke = client.post(revoke_url(token_a))

    assert page.status_code == 200
    assert "Dashboard" not in page.content.decode()
    assert revoke.status_code == 404
    token_a.refresh_from_db()
    assert token_a.is_active


def test_making_a_token_shows_its_secret_once(world, client_for):
    client = client_for(world.staff_a)

    made = client.post(LIST, {"name": "  Energiedashboard  "})
    again = client.get(LIST)

    assert made.status_code == 200
    token = ApiToken.objects.get()
    secret = made.context["secret"]
    assert token.digest == digest_of(secret)
    assert token.prefix == secret[:10]
    assert (token.name, token.user, token.neighbourhood) == (
        "Energiedashboard",
        world.staff_a,
        world.nbh_a,
    )
    html = made.content.decode()
    assert f'value="{secret}"' in html
    assert "Kopieer het token nu" in html
    assert "no-store" in made["Cache-Control"]
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    assert AuditEntry.objects.filter(action="api_token_create", object_id=token.pk).count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Dit veld is verplicht."),
        ("x" * 101, "Zorg dat deze waarde niet meer dan 100 tekens bevat (het zijn er nu 101)."),
        ("   ", "Dit veld is verplicht."),
        ("Null\x00teken", "Null-tekens zijn niet toegestaan."),
    ],
)
def test_a_bad_name_makes_no_token(world, client_for, name, message):
    client = client_for(world.staff_a)

    response = client.post(LIST, {"name": name})

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": [message]}
    assert response.context["secret"] is None
    assert ApiToken.objects.count() == 0
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_list_shows_every_column(world, client_for, token_a):
    ApiToken.objects.filter(pk=token_a.pk).update(last_used_at=None)
    revoked, _ = api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="Oud")
    revoked.revoked_at = revoked.created_at
    revoked.save()
    client = client_for(world.staff_a)

    response = client.get(LIST)

    html = re.sub(r"\s+", " ", response.content.decode())
    assert "<h1>API-tokens</h1>" in html
    for text in (
        "Dashboard",
        f"{token_a.prefix}…",
        "Sanne Staf",
        "nooit",
        "actief",
        "ingetrokken op",
    ):
        assert text in html, text
    assert html.count("Intrekken") == 1  # only the active token can be revoked
    assert list(response.context["page"].object_list) == [revoked, token_a]


def test_the_empty_list_says_what_to_do(world, client_for):
    response = client_for(world.staff_a).get(LIST)

    assert "Er zijn nog geen API-tokens." in response.content.decode()


def test_the_list_is_paginated(world, client_for):
    for n in range(27):
        api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name=f"Token {n}")
    client = client_for(world.staff_a)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert "Pagina 2 van 2" in second.content.decode()


def test_revoking_asks_first_and_then_revokes(world, client_for, token_a):
    client = client_for(world.staff_a)

    question = client.get(revoke_url(token_a))
    token_a.refresh_from_db()
    assert token_a.is_active
    answer = client.post(revoke_url(token_a), follow=True)

    assert "Het token “Dashboard” intrekken?" in question.content.decode()
    token_a.refresh_from_db()
    assert not token_a.is_active
    assert answer.redirect_chain == [(LIST, 302)]
    assert [str(m) for m in answer.context["messages"]] == [
        "Het token “Dashboard” is ingetrokken. "
        "Programma's die het gebruiken, komen er niet meer in."
    ]
    assert AuditEntry.objects.filter(action="api_token_revoke", object_id=token_a.pk).count() == 1


def test_revoking_twice_changes_nothing(world, client_for, token_a):
    client = client_for(world.staff_a)
    client.post(revoke_url(token_a), follow=True)
    token_a.refresh_from_db()
    revoked_at = token_a.revoked_at

    answer = client.post(revoke_url(token_a), follow=True)

    token_a.refresh_from_db()
    assert token_a.revoked_at == revoked_at
    assert [str(m) for m in answer.context["messages"]] == ["Dit token was al ingetrokken."]
    assert AuditEntry.objects.filter(action="api_token_revoke").count() == 1


@pytest.mark.parametrize("pk", [999999, 2**63, 2**70])
def test_an_unknown_token_is_not_found(world, client_for, pk):
    response = client_for(world.staff_a).post(f"/accounts/tokens/{pk}/intrekken/")

    assert response.status_code == 404


def test_the_menu_offers_the_page_to_staff_only(world, client_for):
    staff_home = client_for(world.staff_a).get("/").content.decode()
    resident_home = client_for(world.resident_a).get("/").content.decode()

    assert f'href="{LIST}"' in staff_home
    assert f'href="{LIST}"' not in resident_home
