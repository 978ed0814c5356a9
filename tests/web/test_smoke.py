import pytest


@pytest.mark.django_db
def test_welcome_page_is_dutch_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
