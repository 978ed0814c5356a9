"""API tokens through the API: a staff member makes, lists, uses and revokes a token."""

from django.test import Client

from heelwijk.accounts.models import ApiToken
from heelwijk.accounts.tokens import digest_of
from heelwijk.neighbourhood.models import AuditEntry
from tests.neighbourhood.test_api_support import ApiCaller, api_as, snapshot


def test_token_lifecycle(world):
    staff = api_as(world, "staff_a")

    made = staff.post("/tokens", {"name": " Energiedashboard "})
    secret = made.data["secret"]
    program = ApiCaller(Client(), {"Authorization": f"Bearer {secret}"})
    used = program.get("/households")
    listed = staff.get("/tokens")
    revoked = staff.post(f"/tokens/{made.data['id']}/revoke")
    refused = program.get("/households")

    assert made.status_code == 201
    assert made.data["name"] == "Energiedashboard"
    assert made.data["status"] == "active"
    assert made.data["user"] == {
        "id": world.staff_a.pk,
        "email": "staf-a@example.org",
        "full_name": "Sanne Staf",
    }
    assert secret.startswith("hw_") and made.data["prefix"] == secret[:10]
    assert used.status_code == 200
    item = next(t for t in listed.data["items"] if t["id"] == made.data["id"])
    assert "secret" not in item
    assert item["last_used_at"] is not None
    assert revoked.status_code == 200
    assert revoked.data["status"] == "revoked"
    assert revoked.data["revoked_at"] is not None
    assert refused.status_code == 401
    assert refused.data == {"detail": "Log in of stuur een geldig API-token mee."}
    assert list(
        AuditEntry.objects.filter(object_type="accounts.apitoken", object_id=made.data["id"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["api_token_create", "api_token_revoke"]


def test_the_secret_is_stored_only_as_a_digest(world):
    made = api_as(world, "staff_a").post("/tokens", {"name": "kluis"})
    secret = made.data["secret"]

    token = ApiToken.objects.get(pk=made.data["id"])

    assert token.digest == digest_of(secret)
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert secret not in stored
    assert all(secret not in value for value in stored)


def test_a_token_that_revokes_itself_stops_working_at_once(world):
    staff = api_as(world, "staff_a")
    token = ApiToken.objects.get(user=world.staff_a)

    revoked = staff.post(f"/tokens/{token.pk}/revoke")
    after = staff.get("/me")

    assert revoked.status_code == 200
    assert after.status_code == 401


def test_revoking_twice_changes_nothing(world):
    staff = api_as(world, "staff_a", "session")
    made = staff.post("/tokens", {"name": "twee keer"})
    first = staff.post(f"/tokens/{made.data['id']}/revoke")
    before = snapshot(ApiToken.objects.get(pk=made.data["id"]))

    second = staff.post(f"/tokens/{made.data['id']}/revoke")

    assert second.status_code == 200
    assert second.data["revoked_at"] == first.data["revoked_at"]
    assert snapshot(ApiToken.objects.get(pk=made.data["id"])) == before


def test_token_names_are_checked(world):
    staff = api_as(world, "staff_a")
    staff.headers["Accept-Language"] = "en"
    before = snapshot()

    empty = staff.post("/tokens", {"name": "  "})
    long = staff.post("/tokens", {"name": "x" * 101})
    missing = staff.post("/tokens", {})
    extra = staff.post("/tokens", {"name": "a", "user_id": world.resident_a.pk})

    assert [r.status_code for r in (empty, long, missing, extra)] == [422] * 4
    assert empty.data["errors"][0]["msg"] == "This field cannot be empty."
    assert long.data["errors"][0]["msg"] == "Use at most 100 characters (now 101)."
    assert missing.data["errors"][0]["msg"] == "Field required"
    assert extra.data["errors"][0]["msg"] == "Extra inputs are not permitted"
    assert snapshot() == before


def test_the_token_list_is_paginated_newest_first(world):
    staff = api_as(world, "staff_a", "session")
    for n in range(3):
        staff.post("/tokens", {"name": f"token {n}"})

    page = staff.get("/tokens", limit=2)

    assert page.data["count"] == 3
    assert [t["name"] for t in page.data["items"]] == ["token 2", "token 1"]
