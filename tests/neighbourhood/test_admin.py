"""The Django admin: superusers see everything, staff only the neighbourhoods they work in."""

import pytest
from django.urls import reverse

from heelwijk.accounts.actions import api_token_create
from heelwijk.accounts.models import User
from heelwijk.neighbourhood.models import AuditEntry, Household, Neighbourhood, Role


@pytest.fixture
def staff(world, client_for):
    """The wijkondernemer of A, with admin access."""
    world.staff_a.is_staff = True
    world.staff_a.save()
    client = client_for(world.staff_a)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def superuser_client(world, client_for):
    root = User.objects.create_superuser("root@example.org", "root-password-1")
    client = client_for(root)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def changelist(client, model: str, **params):
    response = client.get(reverse(f"admin:neighbourhood_{model}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def household_data(world, **changes):
    data = {
        "neighbourhood": world.nbh_a.pk,
        "area": world.area_a.pk,
        "street": "Adminlaan",
        "house_number": "1",
        "house_number_suffix": "",
        "postcode": "1234 ZZ",
        "city": "Rijnstede",
        "composition": "single",
        "size": "1",
        "notes": "",
        "_save": "Save",
    }
    data.update(changes)
    return data


# --- who gets in -----------------------------------------------------------------------------


def test_a_resident_is_sent_to_the_admin_login(world, client_for):
    response = client_for(world.resident_a).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_access_without_a_staff_role_shows_nothing(world, client_for):
    world.resident_a.is_staff = True
    world.resident_a.save()
    client = client_for(world.resident_a)

    index = client.get(reverse("admin:index"))
    households = client.get(reverse("admin:neighbourhood_household_changelist"))

    assert index.context["app_list"] == []
    assert households.status_code == 403


def test_staff_see_their_models(world, staff):
    response = staff.get(reverse("admin:index"))

    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert models == {
        "Neighbourhood",
        "Area",
        "Household",
        "Person",
        "Organisation",
        "Role",
        "AuditEntry",
        "User",
        "ApiToken",
    }


# --- what they see ---------------------------------------------------------------------------


def test_superuser_sees_every_neighbourhood(world, superuser_client):
    assert {h.street for h in changelist(superuser_client, "household")} == {
        "Lindelaan",
        "Beukenstraat",
        "Dorpsstraat",
    }


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("neighbourhood", {"Lindenhof"}),
        ("area", {"Noord"}),
        ("household", {"Lindelaan 12, 1234 AB Rijnstede", "Beukenstraat 3, 1234 AC Rijnstede"}),
        ("person", {"Anna de Vries"}),
        ("organisation", {"Gemeente Rijnstede"}),
    ],
)
def test_staff_see_only_their_neighbourhood(world, staff, model, expected):
    assert {str(row) for row in changelist(staff, model)} == expected


def test_staff_cannot_open_a_row_of_another_neighbourhood(world, staff):
    url = reverse("admin:neighbourhood_household_change", args=[world.household_b.pk])

    response = staff.get(url)
    post = staff.post(url, household_data(world, street="Gekaapt"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert post.status_code == 302
    world.household_b.refresh_from_db()
    assert world.household_b.street == "Dorpsstraat"


def test_choices_are_limited_to_the_neighbourhood(world, staff):
    response = staff.get(reverse("admin:neighbourhood_household_add"))

    form = response.context["adminform"].form
    assert list(form.fields["neighbourhood"].queryset) == [world.nbh_a]
    assert list(form.fields["area"].queryset) == [world.area_a]


def test_list_filters_offer_only_the_neighbourhood(world, staff):
    response = staff.get(reverse("admin:neighbourhood_household_changelist"))

    html = response.content.decode()
    assert "Noord" in html
    assert "Dorpskern" not in html


def test_autocomplete_finds_households_of_the_neighbourhood_only(world, staff):
    response = staff.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "neighbourhood",
            "model_name": "person",
            "field_name": "household",
            "term": "straat",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Beukenstraat 3, 1234 AC Rijnstede"]


# --- writes ----------------------------------------------------------------------------------


def test_staff_add_a_household_through_the_action(world, staff):
    response = staff.post(reverse("admin:neighbourhood_household_add"), household_data(world))

    assert response.status_code == 302
    household = Household.objects.get(street="Adminlaan")
    entry = AuditEntry.objects.get(action="household_create")
    assert (entry.object_id, entry.actor) == (household.pk, world.staff_a)


def test_staff_change_a_household_through_the_action(world, staff):
    url = reverse("admin:neighbourhood_household_change", args=[world.household_a.pk])

    response = staff.post(
        url,
        household_data(
            world,
            street="Lindelaan",
            house_number="12",
            postcode="1234 AB",
            composition="family",
            size="6",
        ),
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="household_update")
    assert entry.changes == {"size": [4, 6]}
    world.household_a.refresh_from_db()
    assert world.household_a.size == 6


def test_an_area_of_another_neighbourhood_is_refused(world, staff):
    count = Household.objects.count()

    response = staff.post(
        reverse("admin:neighbourhood_household_add"), household_data(world, area=world.area_b.pk)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["area"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Household.objects.count() == count


def test_a_duplicate_address_gets_a_clear_message(world, staff):
    response = staff.post(
        reverse("admin:neighbourhood_household_add"),
        household_data(world, street="Lindelaan", house_number="12", postcode="1234AB"),
    )

    assert response.context["adminform"].form.errors == {
        "house_number": ["There is already a household at this address."]
    }


def test_staff_cannot_delete(world, staff):
    url = reverse("admin:neighbourhood_household_delete", args=[world.household_a.pk])

    assert staff.post(url, {"post": "yes"}).status_code == 403
    assert Household.objects.filter(pk=world.household_a.pk).exists()


def test_roles_are_granted_and_revoked_with_an_audit_entry(world, staff):
    response = staff.post(
        reverse("admin:neighbourhood_role_add"),
        {
            "user": world.resident_a.pk,
            "neighbourhood": world.nbh_a.pk,
            "kind": "representative",
            "organisation": world.organisation_a.pk,
            "scale": "operational",
            "_save": "Save",
        },
    )
    role = Role.objects.get(user=world.resident_a)
    change = staff.get(reverse("admin:neighbourhood_role_change", args=[role.pk]))
    delete = staff.post(reverse("admin:neighbourhood_role_delete", args=[role.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert delete.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="neighbourhood.role", object_id=role.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["role_grant", "role_revoke"]


def test_a_representative_role_needs_an_organisation_and_a_scale(world, staff):
    response = staff.post(
        reverse("admin:neighbourhood_role_add"),
        {
            "user": world.resident_a.pk,
            "neighbourhood": world.nbh_a.pk,
            "kind": "representative",
            "organisation": "",
            "scale": "",
            "_save": "Save",
        },
    )

    assert response.context["adminform"].form.errors == {
        "organisation": ["A representative represents an organisation."],
        "scale": ["Choose the scale this representative acts at."],
    }
    assert not Role.objects.filter(user=world.resident_a).exists()


def test_staff_may_not_add_a_neighbourhood(world, staff):
    assert staff.get(reverse("admin:neighbourhood_neighbourhood_add")).status_code == 403
    assert Neighbourhood.objects.count() == 2


# --- audit trail and tokens are read only --------------------------------------------------------


def test_audit_entries_are_read_only_and_scoped(world, staff):
    staff.post(reverse("admin:neighbourhood_household_add"), household_data(world))
    entry = AuditEntry.objects.get(action="household_create")
    AuditEntry.objects.create(
        neighbourhood=world.nbh_b, action="household_create", object_type="x", object_id=1
    )

    rows = changelist(staff, "auditentry")
    change = staff.get(reverse("admin:neighbourhood_auditentry_change", args=[entry.pk]))
    add = staff.get(reverse("admin:neighbourhood_auditentry_add"))
    post = staff.post(
        reverse("admin:neighbourhood_auditentry_change", args=[entry.pk]), {"action": "forged"}
    )

    assert rows == [entry]
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert add.status_code == 403
    assert post.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "household_create"


def test_api_tokens_never_show_their_digest(world, staff):
    token, secret = api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="Excel")
    api_token_create(actor=world.staff_b, neighbourhood=world.nbh_b, name="Elders")

    listing = staff.get(reverse("admin:accounts_apitoken_changelist"))
    detail = staff.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))

    assert [t.name for t in listing.context["cl"].result_list] == ["Excel"]
    for response in (listing, detail):
        html = response.content.decode()
        assert token.digest not in html
        assert secret not in html
    assert detail.context["has_change_permission"] is False
    assert staff.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_staff_revoke_a_token_in_the_admin(world, staff):
    token, _ = api_token_create(actor=world.staff_a, neighbourhood=world.nbh_a, name="Excel")

    staff.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token_revoke", object_id=token.pk).exists()


# --- users -----------------------------------------------------------------------------------


def test_staff_see_accounts_of_their_neighbourhood_only(world, staff):
    User.objects.create_superuser("root@example.org", "root-password-1")
    unattached = User.objects.create_user("nieuw@example.org", "x-password-1")

    response = staff.get(reverse("admin:accounts_user_changelist"))

    emails = {u.email for u in response.context["cl"].result_list}
    assert emails == {
        "bewoner-a@example.org",
        "staf-a@example.org",
        "gemeente-a@example.org",
        unattached.email,
    }


def test_staff_cannot_change_an_account_that_reaches_into_another_neighbourhood(world, staff):
    Role.objects.create(user=world.resident_a, neighbourhood=world.nbh_b, kind=Role.Kind.STAFF)

    response = staff.get(reverse("admin:accounts_user_change", args=[world.resident_a.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_staff_cannot_make_anyone_superuser(world, staff):
    url = reverse("admin:accounts_user_change", args=[world.resident_a.pk])

    page = staff.get(url)
    staff.post(
        url,
        {
            "email": "bewoner-a@example.org",
            "full_name": "Anna de Vries",
            "is_active": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "_save": "Save",
        },
    )

    assert "is_superuser" not in page.context["adminform"].form.fields
    world.resident_a.refresh_from_db()
    assert world.resident_a.is_superuser is False


def test_staff_add_an_account(world, staff):
    response = staff.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nieuwe.Bewoner@Example.org",
            "full_name": "Nieuwe Bewoner",
            "usable_password": "true",
            "password1": "een-goed-wachtwoord-7",
            "password2": "een-goed-wachtwoord-7",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="nieuwe.bewoner@example.org")
    assert user.check_password("een-goed-wachtwoord-7")


def test_an_e_mail_address_in_use_is_refused(world, staff):
    response = staff.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "BEWONER-A@example.org",
            "full_name": "Dubbel",
            "usable_password": "true",
            "password1": "een-goed-wachtwoord-7",
            "password2": "een-goed-wachtwoord-7",
            "_save": "Save",
        },
    )

    assert response.context["adminform"].form.errors["email"] == [
        "A user with this e-mail address already exists."
    ]
