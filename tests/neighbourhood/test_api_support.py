"""Shared helpers for the API tests: call the API as a role, via a token or the session.

This module holds no tests; the API test modules import from it.
"""

import json

from django.forms.models import model_to_dict
from django.test import Client

from heelwijk.accounts.actions import api_token_create
from heelwijk.accounts.models import ApiToken
from heelwijk.neighbourhood.models import (
    Area,
    AuditEntry,
    Household,
    Neighbourhood,
    Organisation,
    Person,
)

API = "/api/v1"
VIAS = ["token", "session"]


class ApiCaller:
    """A test client that sends JSON and parses JSON, authenticated one way or another."""

    def __init__(self, client: Client, headers: dict | None = None):
        self.client = client
        self.headers = headers or {}

    def _send(self, method: str, path: str, body=None, **kwargs):
        url = path if path.startswith(API) else API + path
        if body is not None:
            kwargs["data"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(url, headers=self.headers, **kwargs)
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        response.data = json.loads(response.content) if response.content else None
        return response

    def get(self, path, **params):
        return self._send("get", path, data=params or None)

    def post(self, path, body=None):
        return self._send("post", path, {} if body is None else body)

    def patch(self, path, body=None):
        return self._send("patch", path, {} if body is None else body)


def home_neighbourhood(world, user):
    """The neighbourhood a user of the test world works in."""
    return {
        world.resident_a: world.nbh_a,
        world.staff_a: world.nbh_a,
        world.representative_a: world.nbh_a,
        world.resident_b: world.nbh_b,
        world.staff_b: world.nbh_b,
    }.get(user, world.nbh_a)


def token_for(user, neighbourhood, name: str = "tests") -> str:
    _, secret = api_token_create(actor=user, neighbourhood=neighbourhood, name=name)
    return secret


def api_as(world, who, via: str = "token") -> ApiCaller:
    """A caller for a role of the test world (or a user), via a token or the session.

    "anonymous" sends no credentials at all.
    """
    user = world.user(who) if isinstance(who, str) else who
    client = Client()
    if user is None:
        return ApiCaller(client)
    if via == "session":
        client.force_login(user)
        return ApiCaller(client)
    secret = token_for(user, home_neighbourhood(world, user))
    return ApiCaller(client, {"Authorization": f"Bearer {secret}"})


def snapshot(*objects) -> dict:
    """Row counts of every table the API writes, plus the stored values of some rows."""
    state = {
        model.__name__: model.objects.count()
        for model in (Neighbourhood, Area, Household, Person, Organisation, AuditEntry)
    }
    state["active tokens"] = ApiToken.objects.filter(revoked_at__isnull=True).count()
    for obj in objects:
        fresh = type(obj).objects.get(pk=obj.pk)
        state[f"{type(obj).__name__}#{obj.pk}"] = model_to_dict(fresh)
    return state
