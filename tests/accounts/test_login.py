"""Logging in by e-mail, throttling (django-axes), logging out and resetting a password."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def resident(world):
    return world.resident_a


def login(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_login_page_is_dutch_with_labelled_fields(db, client):
    html = client.get(LOGIN).content.decode()

    assert "<h1>Inloggen</h1>" in html
    assert '<label for="id_username">E-mailadres</label>' in html
    assert '<label for="id_password">Wachtwoord</label>' in html
    assert '<button type="submit" class="primary">Inloggen</button>' in html


def test_login_by_e_mail(resident, client):
    response = login(client, "bewoner-a@example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == resident.pk


def test_login_goes_to_next(world, client):
    response = client.post(
        LOGIN,
        {"username": "staf-a@example.org", "password": PASSWORD, "next": "/staff/huishoudens/"},
    )

    assert response["Location"] == "/staff/huishoudens/"


def test_wrong_password_says_so_and_keeps_the_address(resident, client):
    response = login(client, "bewoner-a@example.org", "wrong-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw." in html
    assert 'value="bewoner-a@example.org"' in html
    assert "_auth_user_id" not in client.session


def test_wrong_password_in_english(resident, client):
    response = login(client, "bewoner-a@example.org", "nope", HTTP_ACCEPT_LANGUAGE="en")

    assert "This e-mail address and password do not match. Try again." in (
        response.content.decode()
    )


def test_an_inactive_account_cannot_log_in(resident, client):
    resident.is_active = False
    resident.save()

    response = login(client, "bewoner-a@example.org", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures(resident, client):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert login(client, "bewoner-a@example.org", "wrong").status_code == 200

    fifth = login(client, "bewoner-a@example.org", "wrong")
    with_right_password = login(client, "bewoner-a@example.org", PASSWORD)

    for response in (fifth, with_right_password):
        assert response.status_code == 429
        assert "accounts/locked_out.html" in [t.name for t in response.templates]
        assert "<h1>Te veel pogingen</h1>" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address(resident, world, client):
    for _ in range(5):
        login(client, "bewoner-a@example.org", "wrong")

    response = login(client, "staf-a@example.org", PASSWORD)

    assert response.status_code == 302


def test_a_successful_login_resets_the_failures(resident, client):
    for _ in range(4):
        login(client, "bewoner-a@example.org", "wrong")
    login(client, "bewoner-a@example.org", PASSWORD)
    client.post(reverse("logout"))

    for _ in range(4):
        assert login(client, "bewoner-a@example.org", "wrong").status_code == 200
    assert login(client, "bewoner-a@example.org", PASSWORD).status_code == 302


def test_logout_by_post(resident, client):
    client.force_login(resident)

    refused = client.get(reverse("logout"))
    response = client.post(reverse("logout"))

    assert refused.status_code == 405
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_the_header_has_a_logout_button(resident, client):
    client.force_login(resident)

    html = client.get(reverse("home")).content.decode()

    assert f'<form action="{reverse("logout")}" method="post" class="inline">' in html
    assert '<button type="submit" class="link">Uitloggen</button>' in html


# --- password reset --------------------------------------------------------------------------


def test_password_reset_by_mail(resident, client):
    response = client.post(reverse("password_reset"), {"email": "bewoner-a@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bewoner-a@example.org"]
    assert message.subject == "Kies een nieuw wachtwoord voor Heelwijk"
    link = re.search(r"http://testserver(/accounts/wachtwoord/nieuw/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    assert "<h1>Kies een nieuw wachtwoord</h1>" in form_page.content.decode()
    done = client.post(
        set_password_url,
        {"new_password1": "een-nieuw-wachtwoord-42", "new_password2": "een-nieuw-wachtwoord-42"},
    )

    assert done["Location"] == reverse("password_reset_complete")
    client.logout()
    assert login(client, "bewoner-a@example.org", PASSWORD).status_code == 200
    assert login(client, "bewoner-a@example.org", "een-nieuw-wachtwoord-42").status_code == 302


def test_a_reset_link_works_once(resident, client):
    client.post(reverse("password_reset"), {"email": "bewoner-a@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        set_password_url,
        {"new_password1": "een-nieuw-wachtwoord-42", "new_password2": "een-nieuw-wachtwoord-42"},
    )

    again = client.get(link, follow=True)

    assert "Deze link werkt niet meer. Vraag een nieuwe aan." in again.content.decode()


def test_a_weak_new_password_is_refused(resident, client):
    client.post(reverse("password_reset"), {"email": "bewoner-a@example.org"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [
        "Dit wachtwoord is te algemeen.",
        "Dit wachtwoord bevat alleen cijfers.",
    ]
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)


def test_unknown_address_sends_nothing_and_says_the_same(db, client):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.org"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
