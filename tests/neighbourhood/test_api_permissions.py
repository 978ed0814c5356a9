"""Permission matrix of the JSON API: every endpoint for every role, via token and via session.

A denied call answers 401 (no credentials), 403 (no permission) or 404 (another neighbourhood's
row) as JSON, and changes nothing; an allowed call answers 200/201.
"""

from dataclasses import dataclass, field

import pytest

from heelwijk.accounts.actions import api_token_create
from tests.conftest import ROLES
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

from .test_api_support import VIAS, api_as, snapshot

# Valid bodies for the writes, so that only the permission decides the answer.
NEW_AREA = {"name": "Zuidrand"}
NEW_HOUSEHOLD = {
    "street": "Kastanjelaan",
    "house_number": 7,
    "postcode": "1234 AD",
    "city": "Rijnstede",
    "composition": "couple",
    "size": 2,
}
NEW_PERSON = {"first_name": "Noor", "last_name": "Visser"}
NEW_ORGANISATION = {"name": "Buurthuis De Linde", "kind": "foundation"}
NEW_NEIGHBOURHOOD = {"name": "Essenburg", "slug": "essenburg", "municipality": "Rijnstede"}
NEW_TOKEN = {"name": "dashboard"}


@dataclass
class Endpoint:
    method: str
    path: str  # may name world attributes in braces, e.g. {household_a}
    allowed: set = field(default_factory=set)  # roles answered 200/201
    not_found: set = field(default_factory=set)  # roles answered 404 (other neighbourhood)
    body: dict | None = None
    target: str | None = None  # world attribute whose stored values must stay unchanged

    def url(self, world) -> tuple[str, dict]:
        """The path with the world's ids filled in, and the body with an area of A."""
        names = {name: getattr(world, name).pk for name in _world_names(self.path)}
        body = dict(self.body or {})
        if "area_id" in body:
            body["area_id"] = world.area_a.pk
        return self.path.format(**names), body

    def expected(self, role: str) -> int:
        if role == "anonymous":
            return 401
        if role in self.allowed:
            return 201 if self.method == "post" and "revoke" not in self.path else 200
        if role in self.not_found:
            return 404
        return 403


def _world_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


EVERYONE = {"resident_a", "resident_b", "staff_a", "representative_a"}
OF_A = {"resident_a", "staff_a", "representative_a"}

ENDPOINTS = {
    "me": Endpoint("get", "/me", allowed=EVERYONE),
    "neighbourhood list": Endpoint("get", "/neighbourhoods", allowed=EVERYONE),
    "neighbourhood read": Endpoint(
        "get", "/neighbourhoods/{nbh_a}", allowed=OF_A, not_found={"resident_b"}
    ),
    "neighbourhood create": Endpoint("post", "/neighbourhoods", body=NEW_NEIGHBOURHOOD),
    "neighbourhood update": Endpoint(
        "patch",
        "/neighbourhoods/{nbh_a}",
        allowed={"staff_a"},
        not_found={"resident_b"},
        body={"municipality": "Nieuwstede"},
        target="nbh_a",
    ),
    "area list": Endpoint("get", "/areas", allowed=EVERYONE),
    "area read": Endpoint("get", "/areas/{area_a}", allowed=OF_A, not_found={"resident_b"}),
    "area create": Endpoint("post", "/areas", allowed={"staff_a"}, body=NEW_AREA),
    "area update": Endpoint(
        "patch",
        "/areas/{area_a}",
        allowed={"staff_a"},
        not_found={"resident_b"},
        body={"name": "Noordkant"},
        target="area_a",
    ),
    "household list": Endpoint("get", "/households", allowed={"staff_a"}),
    "household read": Endpoint(
        "get",
        "/households/{household_a}",
        allowed={"staff_a", "resident_a"},
        not_found={"resident_b"},
    ),
    "someone else's household": Endpoint(
        "get", "/households/{household_a2}", allowed={"staff_a"}, not_found={"resident_b"}
    ),
    "household create": Endpoint(
        "post", "/households", allowed={"staff_a"}, body={**NEW_HOUSEHOLD, "area_id": 0}
    ),
    "household update": Endpoint(
        "patch",
        "/households/{household_a}",
        allowed={"staff_a"},
        not_found={"resident_b"},
        body={"size": 5, "notes": "Nieuwe baby"},
        target="household_a",
    ),
    "people list": Endpoint("get", "/people", allowed={"staff_a"}),
    "person read": Endpoint(
        "get", "/people/{person_a}", allowed={"staff_a", "resident_a"}, not_found={"resident_b"}
    ),
    "person create": Endpoint("post", "/people", allowed={"staff_a"}, body=NEW_PERSON),
    "person update": Endpoint(
        "patch",
        "/people/{person_a}",
        allowed={"staff_a"},
        not_found={"resident_b"},
        body={"phone": "06 12345678"},
        target="person_a",
    ),
    "organisation list": Endpoint("get", "/organisations", allowed=EVERYONE),
    "organisation read": Endpoint(
        "get", "/organisations/{organisation_a}", allowed=OF_A, not_found={"resident_b"}
    ),
    "organisation create": Endpoint(
        "post", "/organisations", allowed={"staff_a"}, body=NEW_ORGANISATION
    ),
    "organisation update": Endpoint(
        "patch",
        "/organisations/{organisation_a}",
        allowed={"staff_a", "representative_a"},
        not_found={"resident_b"},
        body={"website": "https://rijnstede.example.org"},
        target="organisation_a",
    ),
    "token list": Endpoint("get", "/tokens", allowed={"staff_a"}),
    "token create": Endpoint("post", "/tokens", allowed={"staff_a"}, body=NEW_TOKEN),
    "token revoke": Endpoint("post", "/tokens/{token_a}/revoke", allowed={"staff_a"}),
}


@pytest.fixture
def matrix_world(world):
    """The test world plus a token of A made by its staff, to revoke."""
    world.token_a, _ = api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="a")
    return world


CASES = [
    pytest.param(name, role, via, id=f"{name}-{role}-{via}")
    for name in ENDPOINTS
    for role in ROLES
    for via in (["none"] if role == "anonymous" else VIAS)
]


@pytest.mark.parametrize(("name", "role", "via"), CASES)
def test_permission_matrix(matrix_world, name, role, via):
    world = matrix_world
    endpoint = ENDPOINTS[name]
    caller = api_as(world, role, via)
    path, body = endpoint.url(world)
    target = getattr(world, endpoint.target) if endpoint.target else None
    before = snapshot(*([target] if target else []), world.token_a)

    if endpoint.method == "get":
        response = caller.get(path)
    else:
        response = getattr(caller, endpoint.method)(path, body)

    expected = endpoint.expected(role)
    assert response.status_code == expected, response.data
    if expected >= 400:
        assert response.data["detail"]
        assert snapshot(*([target] if target else []), world.token_a) == before


DENIAL_MESSAGES = {
    401: "Log in or send a valid API token.",
    403: "You do not have permission to do this.",
    404: "Not found.",
}


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("anonymous", "/households", 401),
        ("resident_a", "/households", 403),
        ("resident_b", "/households/{household_a}", 404),
        ("representative_a", "/tokens", 403),
    ],
)
def test_denials_explain_themselves_in_english_and_dutch(world, role, path, status):
    caller = api_as(world, role)
    url = path.format(household_a=world.household_a.pk)
    english = caller.client.get(
        "/api/v1" + url, headers={**caller.headers, "Accept-Language": "en"}
    )
    dutch = caller.client.get("/api/v1" + url, headers={**caller.headers, "Accept-Language": "nl"})

    assert english.status_code == dutch.status_code == status
    if status == 403 and path == "/tokens":
        assert english.json()["detail"] == "Only staff of the neighbourhood manage its API tokens."
    else:
        assert english.json()["detail"] == DENIAL_MESSAGES[status]
    assert dutch.json()["detail"] != english.json()["detail"]


def test_allowed_writes_change_exactly_what_was_asked(world):
    staff = api_as(world, "staff_a")

    response = staff.patch(f"/households/{world.household_a.pk}", {"size": 5, "notes": "Baby"})

    assert response.status_code == 200
    world.household_a.refresh_from_db()
    assert (world.household_a.size, world.household_a.notes) == (5, "Baby")
    assert (world.household_a.street, world.household_a.house_number) == ("Lindelaan", 12)


def test_representative_changes_only_their_own_organisation(world):
    other = OrganisationFactory(neighbourhood=world.nbh_a, name="Woonstichting Thuis")
    caller = api_as(world, "representative_a")
    before = snapshot(other)

    own = caller.patch(f"/organisations/{world.organisation_a.pk}", {"phone": "010 1234567"})
    foreign = caller.patch(f"/organisations/{other.pk}", {"phone": "010 7654321"})

    assert own.status_code == 200
    assert own.data["phone"] == "010 1234567"
    assert foreign.status_code == 403
    assert snapshot(other)[f"Organisation#{other.pk}"] == before[f"Organisation#{other.pk}"]


def test_resident_reads_people_of_their_household_but_not_the_neighbours(world):
    partner = PersonFactory(household=world.household_a, first_name="Joost", last_name="Vries")
    neighbour = PersonFactory(household=world.household_a2, first_name="Piet", last_name="Smit")
    caller = api_as(world, "resident_a")

    mine = caller.get(f"/households/{world.household_a.pk}")
    partner_read = caller.get(f"/people/{partner.pk}")
    neighbour_read = caller.get(f"/people/{neighbour.pk}")

    assert mine.status_code == 200
    assert [m["full_name"] for m in mine.data["members"]] == ["Anna de Vries", "Joost Vries"]
    assert partner_read.status_code == 200
    assert partner_read.data["first_name"] == "Joost"
    assert neighbour_read.status_code == 403


def test_superuser_creates_a_neighbourhood(world):
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    caller = api_as(world, root, "session")

    response = caller.post("/neighbourhoods", NEW_NEIGHBOURHOOD)

    assert response.status_code == 201, response.data
    assert response.data["slug"] == "essenburg"
    assert response.data["kind"] == "wijk"
    listed = caller.get("/neighbourhoods").data
    assert [n["name"] for n in listed["items"]] == ["Eikendal", "Essenburg", "Lindenhof"]
