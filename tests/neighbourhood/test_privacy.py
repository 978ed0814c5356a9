"""AVG/GDPR: a person's data as one JSON document, and erasure that keeps the books whole."""

import datetime as dt
import json

import pytest

from heelwijk.accounts.models import ApiToken
from heelwijk.currency.actions import currency_create, payment_create, wallet_open
from heelwijk.ledger.verify import verify_ledger
from heelwijk.neighbourhood.models import AuditEntry, Organisation, Person
from heelwijk.neighbourhood.privacy_requests import person_erase, person_export
from tests.factories import OrganisationFactory

OK, LOGIN, DENIED, MISSING, UNAUTHENTICATED = 200, 302, 403, 404, 401
ROLES = ["anonymous", "resident_a", "resident_b", "staff_a", "staff_b", "representative_a"]


@pytest.fixture
def linde(world):
    """Anna's household has a Linde wallet that received € 12,50-worth from Beukenstraat 3."""
    OrganisationFactory(
        neighbourhood=world.nbh_a, name="Wijkbedrijf Lindenhof", kind=Organisation.Kind.WIJKBEDRIJF
    )
    currency = currency_create(
        neighbourhood=world.nbh_a,
        actor=world.staff_a,
        code="LINDE",
        name="Linde",
        symbol="L",
        model="mutual_credit",
        limit_household=5000,
    )
    anna = wallet_open(currency=currency, holder=world.household_a, actor=world.resident_a)
    beuk = wallet_open(currency=currency, holder=world.household_a2, actor=world.staff_a)
    payment_create(payer=beuk, payee=anna, amount=1_250, actor=world.staff_a, description="Taart")
    return anna


def test_the_export_holds_the_person_the_login_and_the_wallet(world, linde):
    person = world.person_a
    person.phone = "06 12345678"
    person.date_of_birth = dt.date(1980, 5, 17)
    person.save()

    document = json.loads(json.dumps(person_export(person)))

    assert document["person_id"] == person.pk
    assert document["neighbourhood"]["person"]["first_name"] == "Anna"
    assert document["neighbourhood"]["person"]["phone"] == "06 12345678"
    assert document["neighbourhood"]["person"]["date_of_birth"] == "1980-05-17"
    assert document["neighbourhood"]["household"]["address"] == "Lindelaan 12, 1234 AB Rijnstede"
    assert document["accounts"]["login"]["email"] == "bewoner-a@example.org"
    (wallet,) = document["currency"]["wallets"]
    assert (wallet["currency"], wallet["balance"]) == ("Linde", "12.50")
    assert wallet["payments"] == [
        {
            "date": wallet["payments"][0]["date"],
            "amount": "12.50",
            "other_party": "Beukenstraat 3",
            "description": "Taart",
        }
    ]
    assert document["purchasing"] == {"pledges": [], "contracts": []}
    assert [a["code"] for a in document["ledger"]["accounts"]] == [linde.account.code]


def test_erasure_pseudonymises_closes_the_login_and_keeps_the_books(world, linde, client_for):
    person = world.person_a
    ApiToken.objects.create(
        user=world.resident_a, neighbourhood=world.nbh_a, name="app", prefix="abc", digest="x" * 64
    )
    personal = wallet_open(currency=linde.currency, holder=person, actor=world.resident_a)

    changed = person_erase(actor=world.staff_a, person=person, reason="verzoek per brief 3 mei")

    assert changed == {"people": 1, "logins": 1, "api_tokens_revoked": 1, "wallets_renamed": 1}
    person.refresh_from_db()
    pseudonym = f"Verwijderde persoon {person.pk}"
    assert (person.full_name, person.email, person.phone, person.date_of_birth) == (
        pseudonym,
        "",
        "",
        None,
    )
    assert person.erased_at is not None
    assert person.household_id == world.household_a.pk  # the household's bookkeeping stays
    user = person.user
    assert (user.is_active, user.has_usable_password(), user.full_name) == (False, False, pseudonym)
    assert user.email == f"verwijderd-{user.pk}@heelwijk.invalid"
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    personal.refresh_from_db()
    assert personal.name == pseudonym
    assert verify_ledger().ok
    entry = AuditEntry.objects.get(action="privacy_erase")
    assert (entry.actor_id, entry.object_id, entry.changes["reason"]) == (
        world.staff_a.pk,
        person.pk,
        "verzoek per brief 3 mei",
    )
    # The closed login cannot open pages any more.
    assert client_for(world.resident_a).get("/").status_code in (200, 302)
    assert client_for(world.resident_a).get("/staff/mensen/").status_code == 302


def test_erasure_needs_a_reason_and_happens_once(world):
    from django.core.exceptions import ValidationError

    person = world.person_a
    with pytest.raises(ValidationError):
        person_erase(actor=world.staff_a, person=person, reason="  ")
    person.refresh_from_db()
    assert person.first_name == "Anna" and person.erased_at is None
    assert not AuditEntry.objects.filter(action="privacy_erase").exists()

    person_erase(actor=world.staff_a, person=person, reason="verzoek aan de balie")
    with pytest.raises(ValidationError, match="al gewist"):
        person_erase(actor=world.staff_a, person=person, reason="nog een keer")
    assert AuditEntry.objects.filter(action="privacy_erase").count() == 1


def _urls(world):
    a, b = world.person_a.pk, world.person_b.pk
    return {
        "export_own": (
            f"/staff/mensen/{a}/gegevens.json",
            [LOGIN, OK, MISSING, OK, MISSING, DENIED],
        ),
        "export_b": (
            f"/staff/mensen/{b}/gegevens.json",
            [LOGIN, MISSING, OK, MISSING, OK, MISSING],
        ),
        "erase_page": (f"/staff/mensen/{a}/wissen/", [LOGIN, DENIED, MISSING, OK, MISSING, DENIED]),
    }


@pytest.mark.parametrize("name", ["export_own", "export_b", "erase_page"])
def test_privacy_pages_per_role(world, client_for, name):
    url, expected = _urls(world)[name]
    got = [client_for(world.user(role)).get(url).status_code for role in ROLES]
    assert got == expected


def test_the_download_is_a_json_attachment(world, client_for):
    response = client_for(world.resident_a).get(f"/staff/mensen/{world.person_a.pk}/gegevens.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="heelwijk-gegevens-{world.person_a.pk}.json"'
    )
    person = json.loads(response.content)["neighbourhood"]["person"]
    assert (person["name_prefix"], person["last_name"]) == ("de", "Vries")


def test_the_erase_page_asks_for_reason_and_confirmation(world, client_for):
    client = client_for(world.staff_a)
    url = f"/staff/mensen/{world.person_a.pk}/wissen/"
    refused = client.post(url, {"reason": "verzoek per brief"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm"] == ["Vink aan dat je dit begrijpt."]
    assert Person.objects.get(pk=world.person_a.pk).erased_at is None

    done = client.post(url, {"reason": "verzoek per brief", "confirm": "on"})
    assert done.status_code == 302
    assert Person.objects.get(pk=world.person_a.pk).first_name.startswith("Verwijderde persoon")


def test_the_api_exports_and_erases_per_role(world, client_for):
    a = world.person_a.pk
    exports = [
        client_for(world.user(role)).get(f"/api/v1/people/{a}/export").status_code for role in ROLES
    ]
    assert exports == [UNAUTHENTICATED, OK, MISSING, OK, MISSING, DENIED]
    for role in ["resident_a", "representative_a"]:
        response = client_for(world.user(role)).post(
            f"/api/v1/people/{a}/erase", data={"reason": "zomaar"}, content_type="application/json"
        )
        assert response.status_code == DENIED
    assert Person.objects.get(pk=a).erased_at is None
    response = client_for(world.staff_a).post(
        f"/api/v1/people/{a}/erase",
        data={"reason": "verzoek per e-mail"},
        content_type="application/json",
    )
    assert response.status_code == OK
    assert response.json() == {
        "erased": True,
        "changed": {"people": 1, "logins": 1, "api_tokens_revoked": 0, "wallets_renamed": 0},
    }
    again = client_for(world.staff_a).post(
        f"/api/v1/people/{a}/erase",
        data={"reason": "verzoek per e-mail"},
        content_type="application/json",
    )
    assert again.status_code == 400
