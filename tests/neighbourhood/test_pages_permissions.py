"""Permission matrix of the neighbourhood pages: who may open and who may change what.

Given the two-neighbourhood world, when each role opens each page, then the status is the one
in the matrix; and when a role that may not write posts a valid form, nothing changes.
"""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from heelwijk.neighbourhood.models import AuditEntry, Household, Organisation, Person
from tests.conftest import ROLES
from tests.factories import OrganisationFactory

STAFF_ONLY = {"resident_a": 403, "resident_b": 403, "staff_a": 200, "representative_a": 403}

# page -> (url name, object in the world or None, expected status per logged-in role)
GET_MATRIX = {
    "overview": ("neighbourhood:overview", None, STAFF_ONLY),
    "household_list": ("neighbourhood:household_list", None, STAFF_ONLY),
    "household_create": ("neighbourhood:household_create", None, STAFF_ONLY),
    "household_detail_own": (
        "neighbourhood:household_detail",
        "household_a",
        {"resident_a": 200, "resident_b": 404, "staff_a": 200, "representative_a": 403},
    ),
    "household_detail_neighbours": (
        "neighbourhood:household_detail",
        "household_a2",
        {"resident_a": 403, "resident_b": 404, "staff_a": 200, "representative_a": 403},
    ),
    "household_detail_other_wijk": (
        "neighbourhood:household_detail",
        "household_b",
        {"resident_a": 404, "resident_b": 200, "staff_a": 404, "representative_a": 404},
    ),
    "household_edit": (
        "neighbourhood:household_edit",
        "household_a",
        {"resident_a": 403, "resident_b": 404, "staff_a": 200, "representative_a": 403},
    ),
    "household_edit_other_wijk": (
        "neighbourhood:household_edit",
        "household_b",
        {"resident_a": 404, "resident_b": 403, "staff_a": 404, "representative_a": 404},
    ),
    "person_list": ("neighbourhood:person_list", None, STAFF_ONLY),
    "person_create": ("neighbourhood:person_create", None, STAFF_ONLY),
    "person_detail_self": (
        "neighbourhood:person_detail",
        "person_a",
        {"resident_a": 200, "resident_b": 404, "staff_a": 200, "representative_a": 403},
    ),
    "person_detail_other_wijk": (
        "neighbourhood:person_detail",
        "person_b",
        {"resident_a": 404, "resident_b": 200, "staff_a": 404, "representative_a": 404},
    ),
    "person_edit": (
        "neighbourhood:person_edit",
        "person_a",
        {"resident_a": 403, "resident_b": 404, "staff_a": 200, "representative_a": 403},
    ),
    "organisation_list": (
        "neighbourhood:organisation_list",
        None,
        {"resident_a": 200, "resident_b": 200, "staff_a": 200, "representative_a": 200},
    ),
    "organisation_create": ("neighbourhood:organisation_create", None, STAFF_ONLY),
    "organisation_detail": (
        "neighbourhood:organisation_detail",
        "organisation_a",
        {"resident_a": 200, "resident_b": 404, "staff_a": 200, "representative_a": 200},
    ),
    "organisation_detail_other_wijk": (
        "neighbourhood:organisation_detail",
        "organisation_b",
        {"resident_a": 404, "resident_b": 200, "staff_a": 404, "representative_a": 404},
    ),
    "organisation_edit_represented": (
        "neighbourhood:organisation_edit",
        "organisation_a",
        {"resident_a": 403, "resident_b": 404, "staff_a": 200, "representative_a": 200},
    ),
    "organisation_edit_not_represented": (
        "neighbourhood:organisation_edit",
        "school_a",
        {"resident_a": 403, "resident_b": 404, "staff_a": 200, "representative_a": 403},
    ),
    "organisation_edit_other_wijk": (
        "neighbourhood:organisation_edit",
        "organisation_b",
        {"resident_a": 404, "resident_b": 403, "staff_a": 404, "representative_a": 404},
    ),
}


@pytest.fixture
def school_a(world):
    return OrganisationFactory(
        neighbourhood=world.nbh_a, name="Basisschool De Linde", kind=Organisation.Kind.SCHOOL
    )


def _url(world, school_a, name, obj_name):
    if obj_name is None:
        return reverse(name)
    obj = school_a if obj_name == "school_a" else getattr(world, obj_name)
    return reverse(name, args=[obj.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", GET_MATRIX)
def test_get(world, school_a, client_for, page, role):
    name, obj_name, expected = GET_MATRIX[page]
    url = _url(world, school_a, name, obj_name)

    response = client_for(world.user(role)).get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    else:
        assert response.status_code == expected[role]


def test_htmx_request_of_anonymous_is_sent_to_the_login_page(world, client):
    url = reverse("neighbourhood:household_list") + "?q=linde"

    response = client.get(url, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fstaff%2Fhuishoudens%2F%3Fq%3Dlinde"


# --- writes ----------------------------------------------------------------------------------


def _household_data(world):
    return {
        "street": "Nieuwe Weg",
        "house_number": "5",
        "house_number_suffix": "",
        "postcode": "1234 XY",
        "city": "Rijnstede",
        "area": world.area_a.pk,
        "composition": "single",
        "size": "1",
        "notes": "",
    }


def _person_data(world):
    return {
        "first_name": "Kees",
        "name_prefix": "",
        "last_name": "Nieuwland",
        "address": "1234 AC 3",
        "email": "kees@example.org",
        "phone": "",
        "date_of_birth": "",
        "contact_preference": "email",
        "preferred_language": "nl",
        "member_since": "",
    }


def _organisation_data(world):
    return {
        "name": "Buurtsuper Lindenhof",
        "kind": "shop",
        "kvk_number": "",
        "email": "info@buurtsuper.example",
        "phone": "",
        "website": "",
        "address": "",
        "description": "",
    }


# page -> (url name, object edited or None, form data, roles allowed to write)
POST_MATRIX = {
    "household_create": ("neighbourhood:household_create", None, _household_data, {"staff_a"}),
    "household_edit": (
        "neighbourhood:household_edit",
        "household_a",
        _household_data,
        {"staff_a"},
    ),
    "person_create": ("neighbourhood:person_create", None, _person_data, {"staff_a"}),
    "person_edit": ("neighbourhood:person_edit", "person_a", _person_data, {"staff_a"}),
    "organisation_create": (
        "neighbourhood:organisation_create",
        None,
        _organisation_data,
        {"staff_a"},
    ),
    "organisation_edit": (
        "neighbourhood:organisation_edit",
        "organisation_a",
        _organisation_data,
        {"staff_a", "representative_a"},
    ),
}

MODELS = {"household": Household, "person": Person, "organisation": Organisation}


def _snapshot(model):
    return sorted(
        (tuple(sorted(model_to_dict(row).items())) for row in model.objects.all()),
        key=repr,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", POST_MATRIX)
def test_post(world, school_a, client_for, page, role):
    name, obj_name, data, allowed = POST_MATRIX[page]
    model = MODELS[page.split("_")[0]]
    before = _snapshot(model)
    audit_before = AuditEntry.objects.count()
    url = _url(world, school_a, name, obj_name)

    response = client_for(world.user(role)).post(url, data(world))

    if role in allowed:
        assert response.status_code == 302
        assert _snapshot(model) != before
        assert AuditEntry.objects.count() == audit_before + 1
    else:
        assert response.status_code == (302 if role == "anonymous" else GET_STATUS[page][role])
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        assert _snapshot(model) == before
        assert AuditEntry.objects.count() == audit_before


GET_STATUS = {
    "household_create": STAFF_ONLY,
    "household_edit": GET_MATRIX["household_edit"][2],
    "person_create": STAFF_ONLY,
    "person_edit": GET_MATRIX["person_edit"][2],
    "organisation_create": STAFF_ONLY,
    "organisation_edit": GET_MATRIX["organisation_edit_represented"][2],
}


def test_staff_cannot_post_to_an_object_of_another_neighbourhood(world, client_for):
    before = model_to_dict(world.household_b)

    response = client_for(world.staff_a).post(
        reverse("neighbourhood:household_edit", args=[world.household_b.pk]),
        _household_data(world),
    )

    assert response.status_code == 404
    world.household_b.refresh_from_db()
    assert model_to_dict(world.household_b) == before
