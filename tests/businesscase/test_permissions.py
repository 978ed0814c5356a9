"""Who may do what: every page and every API endpoint over every role.

Staff of neighbourhood A edit; the municipality's representative reads opgaven and reports;
resident A reads published reports only; resident B (another neighbourhood) never sees A's data.
A refused request changes nothing.
"""

import json

import pytest
from django.urls import reverse

from heelwijk.businesscase.models import BusinessCase, Opgave, ReferenceSet
from heelwijk.neighbourhood.models import AuditEntry
from tests.conftest import ROLES

from .test_views import editor_post

OK, MADE, LOGIN, DENIED, HIDDEN, UNAUTH = 200, 302, "login", 403, 404, 401


def expect(staff, representative, resident_a, resident_b, anonymous=LOGIN):
    return {
        "staff_a": staff,
        "representative_a": representative,
        "resident_a": resident_a,
        "resident_b": resident_b,
        "anonymous": anonymous,
    }


def opgave_form(world):
    return {
        "title": "Nieuwe opgave",
        "commissioner": world.organisation_a.pk,
        "budget": "1000",
        "contract_value": "1000",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "status": "idea",
        "goals-TOTAL_FORMS": "0",
        "goals-INITIAL_FORMS": "0",
    }


REFERENCE_FORM = {
    "name": "Bijstand",
    "category": "proxy",
    "value": "15000",
    "unit": "eur_year",
    "year": "2025",
    "source": "gemeente",
}

# name, method, url(objects), data(objects), expected, writes
PAGES = [
    (
        "opgave list",
        "get",
        lambda o: reverse("businesscase:opgave_list"),
        None,
        expect(OK, OK, DENIED, DENIED),
    ),
    (
        "opgave new form",
        "get",
        lambda o: reverse("businesscase:opgave_create"),
        None,
        expect(OK, DENIED, DENIED, DENIED),
    ),
    (
        "opgave create",
        "post",
        lambda o: reverse("businesscase:opgave_create"),
        lambda o: opgave_form(o["world"]),
        expect(MADE, DENIED, DENIED, DENIED),
    ),
    (
        "opgave detail",
        "get",
        lambda o: reverse("businesscase:opgave_detail", args=[o["opgave"]]),
        None,
        expect(OK, OK, DENIED, HIDDEN),
    ),
    (
        "opgave edit form",
        "get",
        lambda o: reverse("businesscase:opgave_update", args=[o["opgave"]]),
        None,
        expect(OK, DENIED, DENIED, HIDDEN),
    ),
    (
        "opgave update",
        "post",
        lambda o: reverse("businesscase:opgave_update", args=[o["opgave"]]),
        lambda o: opgave_form(o["world"]),
        expect(MADE, DENIED, DENIED, HIDDEN),
    ),
    (
        "social return of opgave",
        "get",
        lambda o: reverse("businesscase:opgave_social_return", args=[o["opgave"]]),
        None,
        expect(OK, OK, DENIED, HIDDEN),
    ),
    (
        "social return calculator",
        "get",
        lambda o: reverse("businesscase:social_return"),
        None,
        expect(OK, OK, DENIED, DENIED),
    ),
    (
        "case new form",
        "get",
        lambda o: reverse("businesscase:case_create", args=[o["opgave"]]),
        None,
        expect(OK, DENIED, DENIED, HIDDEN),
    ),
    (
        "case create",
        "post",
        lambda o: reverse("businesscase:case_create", args=[o["opgave"]]),
        lambda o: {
            "title": "Nog een",
            "discount_rate": "2,25",
            "horizon_years": "5",
            "base_year": "2025",
        },
        expect(MADE, DENIED, DENIED, HIDDEN),
    ),
    (
        "case editor (draft)",
        "get",
        lambda o: reverse("businesscase:case_edit", args=[o["draft"]]),
        None,
        expect(OK, DENIED, DENIED, HIDDEN),
    ),
    (
        "case save (draft)",
        "post",
        lambda o: reverse("businesscase:case_edit", args=[o["draft"]]),
        lambda o: editor_post(o["draft_obj"], save="1"),
        expect(MADE, DENIED, DENIED, HIDDEN),
    ),
    (
        "case preview (draft)",
        "post",
        lambda o: reverse("businesscase:case_preview", args=[o["draft"]]),
        lambda o: editor_post(o["draft_obj"]),
        expect(OK, DENIED, DENIED, HIDDEN),
    ),
    (
        "report (published)",
        "get",
        lambda o: reverse("businesscase:case_report", args=[o["published"]]),
        None,
        expect(OK, OK, OK, HIDDEN),
    ),
    (
        "report (draft)",
        "get",
        lambda o: reverse("businesscase:case_report", args=[o["draft"]]),
        None,
        expect(OK, OK, DENIED, HIDDEN),
    ),
    (
        "csv (published)",
        "get",
        lambda o: reverse("businesscase:case_export", args=[o["published"], "csv"]),
        None,
        expect(OK, OK, OK, HIDDEN),
    ),
    (
        "xlsx (draft)",
        "get",
        lambda o: reverse("businesscase:case_export", args=[o["draft"], "xlsx"]),
        None,
        expect(OK, OK, DENIED, HIDDEN),
    ),
    (
        "pdf (published)",
        "get",
        lambda o: reverse("businesscase:case_export", args=[o["published"], "pdf"]),
        None,
        expect(OK, OK, OK, HIDDEN),
    ),
    (
        "publish",
        "post",
        lambda o: reverse("businesscase:case_publish", args=[o["draft"]]),
        lambda o: {},
        expect(MADE, DENIED, DENIED, HIDDEN),
    ),
    (
        "withdraw",
        "post",
        lambda o: reverse("businesscase:case_withdraw", args=[o["published"]]),
        lambda o: {},
        expect(MADE, DENIED, DENIED, HIDDEN),
    ),
    (
        "use current references",
        "post",
        lambda o: reverse("businesscase:case_use_current_references", args=[o["draft"]]),
        lambda o: {},
        expect(MADE, DENIED, DENIED, HIDDEN),
    ),
    (
        "report list",
        "get",
        lambda o: reverse("businesscase:report_list"),
        None,
        expect(OK, OK, OK, OK),
    ),
    (
        "reference values",
        "get",
        lambda o: reverse("businesscase:reference_list"),
        None,
        expect(OK, OK, DENIED, DENIED),
    ),
    (
        "reference version",
        "get",
        lambda o: reverse("businesscase:reference_set", args=[o["national"]]),
        None,
        expect(OK, OK, DENIED, DENIED),
    ),
    (
        "reference edit form",
        "get",
        lambda o: reverse("businesscase:reference_edit", args=["welfare_benefit_cost"]),
        None,
        expect(OK, DENIED, DENIED, DENIED),
    ),
    (
        "reference change",
        "post",
        lambda o: reverse("businesscase:reference_edit", args=["welfare_benefit_cost"]),
        lambda o: REFERENCE_FORM,
        expect(MADE, DENIED, DENIED, DENIED),
    ),
    (
        "reference add",
        "post",
        lambda o: reverse("businesscase:reference_add"),
        lambda o: {**REFERENCE_FORM, "key": "nieuw"},
        expect(MADE, DENIED, DENIED, DENIED),
    ),
]


@pytest.fixture
def objects(world, opgave_a, published_case_a, second_case_a, national_set):
    return {
        "world": world,
        "opgave": opgave_a.pk,
        "published": published_case_a.pk,
        "draft": second_case_a.pk,
        "draft_obj": second_case_a,
        "national": national_set.pk,
    }


def state():
    return (
        list(Opgave.objects.order_by("pk").values_list("pk", "title", "updated_at")),
        list(BusinessCase.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        ReferenceSet.objects.count(),
        AuditEntry.objects.count(),
    )


# Staff go last: their writes succeed and would change what the others see.
ORDER = sorted(ROLES, key=lambda role: role == "staff_a")


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_page_permissions(client_for, objects, world, page):
    name, method, url, data, expected = page
    for role in ORDER:
        client = client_for(world.user(role))
        before = state()
        kwargs = {"HTTP_HX_REQUEST": "true"} if "preview" in name else {}
        if method == "get":
            response = client.get(url(objects), **kwargs)
        else:
            response = client.post(url(objects), data(objects), **kwargs)
        want = expected[role]
        if want == LOGIN:
            assert response.status_code == 302, role
            assert response["Location"].startswith("/accounts/login/"), role
        else:
            assert response.status_code == want, (role, response.content[:300])
        if method == "post" and want not in (MADE, OK):
            assert state() == before, role


def test_residents_see_only_published_reports(client_for, objects, world):
    body = client_for(world.resident_a).get(reverse("businesscase:report_list")).content.decode()
    assert "Lokaal werk" in body
    assert "Concept" not in body
    other = client_for(world.resident_b).get(reverse("businesscase:report_list")).content.decode()
    assert "Lokaal werk" not in other


def test_the_menu_follows_the_permissions(client_for, objects, world):
    staff = client_for(world.staff_a).get("/").content.decode()
    assert 'href="/businesscase/"' in staff
    assert reverse("businesscase:reference_list") in staff
    resident = client_for(world.resident_a).get("/").content.decode()
    assert reverse("businesscase:report_list") in resident
    assert 'href="/businesscase/"' not in resident


# --- API ------------------------------------------------------------------------------------------

API = "/api/v1/businesscase"


def case_body(case):
    actors = list(case.actors.all())
    return {
        "title": case.title,
        "discount_rate": "5",
        "horizon_years": 3,
        "base_year": 2025,
        "actors": [{"key": str(a.pk), "name": a.name, "kind": a.kind} for a in actors],
        "costs": [
            {"actor": str(actors[0].pk), "label": "Coach", "year": 0, "amount_cents": 100000}
        ],
        "outcomes": [],
    }


def opgave_body(world):
    return {
        "title": "Via de API",
        "commissioner_id": world.organisation_a.pk,
        "budget_cents": 100,
        "contract_value_cents": 100,
        "start_date": "2025-01-01",
        "end_date": "2025-02-01",
    }


ENDPOINTS = [
    ("opgaven", "get", lambda o: f"{API}/opgaven", None, expect(OK, OK, DENIED, DENIED, UNAUTH)),
    (
        "opgave",
        "get",
        lambda o: f"{API}/opgaven/{o['opgave']}",
        None,
        expect(OK, OK, DENIED, HIDDEN, UNAUTH),
    ),
    (
        "opgave create",
        "post",
        lambda o: f"{API}/opgaven",
        lambda o: opgave_body(o["world"]),
        expect(201, DENIED, DENIED, DENIED, UNAUTH),
    ),
    (
        "opgave update",
        "put",
        lambda o: f"{API}/opgaven/{o['opgave']}",
        lambda o: opgave_body(o["world"]),
        expect(OK, DENIED, DENIED, HIDDEN, UNAUTH),
    ),
    (
        "opgave social return",
        "get",
        lambda o: f"{API}/opgaven/{o['opgave']}/social-return",
        None,
        expect(OK, OK, DENIED, HIDDEN, UNAUTH),
    ),
    ("cases", "get", lambda o: f"{API}/cases", None, expect(OK, OK, OK, OK, UNAUTH)),
    (
        "case published",
        "get",
        lambda o: f"{API}/cases/{o['published']}",
        None,
        expect(OK, OK, OK, HIDDEN, UNAUTH),
    ),
    (
        "case draft",
        "get",
        lambda o: f"{API}/cases/{o['draft']}",
        None,
        expect(OK, OK, DENIED, HIDDEN, UNAUTH),
    ),
    (
        "case create",
        "post",
        lambda o: f"{API}/cases",
        lambda o: {"opgave_id": o["opgave"], "title": "API", "base_year": 2025},
        expect(201, DENIED, DENIED, DENIED, UNAUTH),
    ),
    (
        "case save",
        "put",
        lambda o: f"{API}/cases/{o['draft']}",
        lambda o: case_body(o["draft_obj"]),
        expect(OK, DENIED, DENIED, HIDDEN, UNAUTH),
    ),
    (
        "result published",
        "get",
        lambda o: f"{API}/cases/{o['published']}/result",
        None,
        expect(OK, OK, OK, HIDDEN, UNAUTH),
    ),
    (
        "result draft",
        "get",
        lambda o: f"{API}/cases/{o['draft']}/result",
        None,
        expect(OK, OK, DENIED, HIDDEN, UNAUTH),
    ),
    (
        "publish",
        "post",
        lambda o: f"{API}/cases/{o['draft']}/publish",
        lambda o: {},
        expect(OK, DENIED, DENIED, HIDDEN, UNAUTH),
    ),
    (
        "withdraw",
        "post",
        lambda o: f"{API}/cases/{o['published']}/withdraw",
        lambda o: {},
        expect(OK, DENIED, DENIED, HIDDEN, UNAUTH),
    ),
    (
        "compute",
        "post",
        lambda o: f"{API}/compute",
        lambda o: {k: v for k, v in case_body(o["draft_obj"]).items() if k != "title"},
        expect(OK, OK, DENIED, DENIED, UNAUTH),
    ),
    (
        "reference values",
        "get",
        lambda o: f"{API}/reference-values",
        None,
        expect(OK, OK, DENIED, DENIED, UNAUTH),
    ),
    (
        "reference set",
        "get",
        lambda o: f"{API}/reference-sets/{o['national']}",
        None,
        expect(OK, OK, DENIED, DENIED, UNAUTH),
    ),
    (
        "social return",
        "post",
        lambda o: f"{API}/social-return",
        lambda o: {"contract_value_cents": 100_000_000},
        expect(OK, OK, DENIED, DENIED, UNAUTH),
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_api_permissions(client_for, objects, world, endpoint):
    _name, method, url, body, expected = endpoint
    for role in ORDER:
        client = client_for(world.user(role))
        before = state()
        if method == "get":
            response = client.get(url(objects))
        else:
            response = getattr(client, method)(
                url(objects), json.dumps(body(objects)), content_type="application/json"
            )
        assert response.status_code == expected[role], (role, response.content[:300])
        if method != "get" and expected[role] not in (OK, 201):
            assert state() == before, role
