"""Dutch by default, English on request, switched from the header of every page."""

import pytest
from django.urls import reverse

PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/accounts/login/"),
    ("anonymous", "/accounts/wachtwoord/vergeten/"),
    ("resident_a", "/"),
    ("staff_a", "/staff/"),
    ("staff_a", "/staff/huishoudens/"),
    ("staff_a", "/staff/mensen/nieuw/"),
    ("representative_a", "/staff/organisaties/"),
]


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_every_page_offers_the_other_language(world, client_for, role, path):
    client = client_for(world.user(role))

    dutch = client.get(path).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": path})
    english = client.get(path).content.decode()

    assert '<html lang="nl">' in dutch
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in dutch
    assert f'<input type="hidden" name="next" value="{path}">' in dutch
    assert '<html lang="en">' in english
    assert (
        '<button type="submit" name="language" value="nl" lang="nl">Nederlands</button>' in english
    )


def test_switching_returns_to_the_same_page_in_english(world, client_for):
    client = client_for(world.staff_a)

    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": "/staff/huishoudens/?q=linde"},
        follow=True,
    )

    assert response.redirect_chain == [("/staff/huishoudens/?q=linde", 302)]
    html = response.content.decode()
    assert "<h1>Households</h1>" in html
    assert "Lindelaan 12" in html


def test_dutch_is_the_default(world, client_for):
    html = client_for(world.staff_a).get("/staff/huishoudens/").content.decode()

    assert "<h1>Huishoudens</h1>" in html
    assert "<title>Huishoudens · Heelwijk</title>" in html


def test_not_found_page_uses_the_site_layout(world, client_for):
    response = client_for(world.resident_a).get("/staff/huishoudens/999999/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Pagina niet gevonden</h1>" in html
    assert 'class="language-switch"' in html


def test_forbidden_page_uses_the_site_layout(world, client_for):
    response = client_for(world.resident_a).get("/staff/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "<h1>No access</h1>" in response.content.decode()
