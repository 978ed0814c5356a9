"""The demo neighbourhoods: realistic, consistent, separate, idempotent and deterministic."""

import re
import sys
import textwrap
from collections import Counter, defaultdict
from datetime import date
from importlib.machinery import ModuleSpec
from io import StringIO
from types import ModuleType, SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from heelwijk.accounts.models import User
from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.demo import (
    DEFAULT_PASSWORD,
    EXTENSION_APPS,
    demo_extensions_run,
    demo_fingerprint,
)
from heelwijk.neighbourhood.demo import extensions as demo_extensions
from heelwijk.neighbourhood.demo.places import EIKENDAL, LINDENHOF
from heelwijk.neighbourhood.demo.plan import (
    COMPOSITION_PER_MILLE,
    REFERENCE_DATE,
    apportion,
    plan_neighbourhood,
)
from heelwijk.neighbourhood.models import (
    Area,
    AuditEntry,
    Household,
    Neighbourhood,
    Organisation,
    Person,
    Role,
    postcode_validator,
)

SMALL = 60
DEMO_EMAILS = [
    "bewoner@lindenhof.demo",
    "wijkondernemer@lindenhof.demo",
    "gemeente@lindenhof.demo",
    "leverancier@lindenhof.demo",
    "winkel@lindenhof.demo",
    "bewoner@eikendal.demo",
]
MODELS = [Neighbourhood, Area, Household, Person, Organisation, Role, User, AuditEntry]


@pytest.fixture(autouse=True)
def base_only(monkeypatch):
    """Test the base on its own; the later apps' demo data is tested in those apps (and below)."""
    monkeypatch.setattr(demo_extensions, "EXTENSION_APPS", ())


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", households=SMALL, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(db):
    output = run_demo()
    return SimpleNamespace(
        output=output,
        lindenhof=Neighbourhood.objects.get(slug="lindenhof"),
        eikendal=Neighbourhood.objects.get(slug="eikendal"),
    )


def members_by_household(neighbourhood) -> dict[int, list[Person]]:
    """Each household's people in the order they were written: parents first, then children."""
    result = defaultdict(list)
    for person in Person.objects.filter(neighbourhood=neighbourhood).order_by("pk"):
        result[person.household_id].append(person)
    return result


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- the neighbourhoods ------------------------------------------------------------------------


def test_neighbourhoods_have_their_cbs_codes_and_areas(demo):
    assert (demo.lindenhof.name, demo.lindenhof.kind) == ("Lindenhof", "wijk")
    assert (demo.lindenhof.municipality, demo.lindenhof.cbs_code) == ("Rijnstede", "WK099901")
    assert (demo.eikendal.name, demo.eikendal.kind) == ("Eikendal", "dorp")
    assert (demo.eikendal.municipality, demo.eikendal.cbs_code) == ("Rijnstede", "WK099902")
    assert sorted(demo.lindenhof.areas.values_list("cbs_code", flat=True)) == [
        "BU09990101",
        "BU09990102",
        "BU09990103",
        "BU09990104",
        "BU09990105",
    ]
    assert sorted(demo.eikendal.areas.values_list("cbs_code", flat=True)) == [
        "BU09990201",
        "BU09990202",
    ]


def test_households_per_area(demo):
    def counts(neighbourhood):
        return dict(
            Counter(
                Household.objects.filter(neighbourhood=neighbourhood).values_list(
                    "area__name", flat=True
                )
            )
        )

    # 60 split by the areas' weights (180, 240, 220, 200, 160 per mille), largest remainder first.
    assert counts(demo.lindenhof) == {
        "Lindenhof-Centrum": 11,
        "Bomenbuurt": 14,
        "Schildersbuurt": 13,
        "Vogelbuurt": 12,
        "Bloemenbuurt": 10,
    }
    assert counts(demo.eikendal) == {"Dorpskern Eikendal": 45, "Buitengebied Eikendal": 15}


def test_organisations_cover_every_kind(demo):
    lindenhof = Organisation.objects.filter(neighbourhood=demo.lindenhof)
    assert lindenhof.count() == 31
    assert set(lindenhof.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert list(lindenhof.filter(kind="wijkbedrijf").values_list("name", flat=True)) == [
        "Wijkbedrijf Lindenhof"
    ]
    for name, kind in [
        ("Gemeente Rijnstede", "municipality"),
        ("Woonstichting Rijnstede Thuis", "housing"),
        ("Basisschool De Kastanje", "school"),
        ("Bakkerij Van der Linden", "shop"),
        ("Groentezaak Vers van het Land", "shop"),
        ("Fietsenmaker De Spaak", "shop"),
        ("Rijnstede Energie", "company"),
        ("GlasNet Rijnstede", "company"),
        ("Onderlinge Verzekeringen Rijnstede", "company"),
        ("Onderhoudsbedrijf Kroon", "company"),
    ]:
        assert lindenhof.get(name=name).kind == kind
    assert lindenhof.filter(kind="care").count() == 7
    assert lindenhof.filter(kind="foundation").count() == 4
    eikendal = Organisation.objects.filter(neighbourhood=demo.eikendal)
    assert eikendal.count() == 7
    assert eikendal.get(kind="wijkbedrijf").name == "Dorpsbedrijf Eikendal"


def test_every_field_passes_model_validation(demo):
    # bulk_create skips validators; uniqueness is left to the database constraints.
    for model in (Neighbourhood, Area, Household, Person, Organisation, Role):
        for obj in model.objects.all():
            obj.clean_fields()
            obj.clean()


# --- households and people ---------------------------------------------------------------------


def test_composition_shares_follow_cbs(demo):
    counts = Counter(
        Household.objects.filter(neighbourhood=demo.lindenhof).values_list("composition", flat=True)
    )
    assert dict(counts) == {
        "single": 23,
        "couple": 17,
        "family": 15,
        "single_parent": 4,
        "shared": 1,
    }
    for kind, per_mille in COMPOSITION_PER_MILLE:
        assert abs(counts[kind] / SMALL - per_mille / 1000) <= 0.02


def test_every_household_has_its_size_in_people(demo):
    for neighbourhood in (demo.lindenhof, demo.eikendal):
        members = members_by_household(neighbourhood)
        households = Household.objects.filter(neighbourhood=neighbourhood)
        assert households.count() == SMALL
        for household in households:
            people = members[household.pk]
            assert len(people) >= 1
            assert household.size == len(people), household.address
            expected = {
                "single": range(1, 2),
                "couple": range(2, 3),
                "family": range(3, 7),
                "single_parent": range(2, 5),
                "shared": range(2, 5),
            }[household.composition]
            assert household.size in expected, household.address


def test_children_are_younger_than_their_parents(demo):
    checked = 0
    for neighbourhood in (demo.lindenhof, demo.eikendal):
        households = {h.pk: h for h in Household.objects.filter(neighbourhood=neighbourhood)}
        for household_id, people in members_by_household(neighbourhood).items():
            composition = households[household_id].composition
            births = [p.date_of_birth for p in people]
            assert all(born < REFERENCE_DATE for born in births)
            if composition in ("family", "single_parent"):
                parents = 2 if composition == "family" else 1
                youngest_parent = max(births[:parents])
                for child in births[parents:]:
                    assert age_on(youngest_parent, child) >= 18
                    checked += 1
            else:
                assert all(age_on(born, REFERENCE_DATE) >= 18 for born in births)
    assert checked > 20


def test_contact_details_match_the_preference(demo):
    people = Person.objects.filter(neighbourhood=demo.lindenhof)
    for person in people:
        if person.contact_preference == "email":
            assert person.email
        if person.contact_preference == "phone":
            assert re.fullmatch(r"06-0[0-9]{7}", person.phone)
        if age_on(person.date_of_birth, REFERENCE_DATE) < 16:
            assert (person.email, person.phone) == ("", "")
    assert {p.email.split("@")[1] for p in people if p.email} <= {
        "example.org",
        "example.com",
        "example.net",
        "lindenhof.demo",
    }


def test_postcodes_are_valid_and_one_per_street_side(demo):
    sides = defaultdict(set)
    for household in Household.objects.all():
        postcode_validator(household.postcode)
        assert re.fullmatch(r"[1-9][0-9]{3} [A-Z]{2}", household.postcode)
        assert not set(household.postcode[5:]) & set("FIOQUY")
        assert household.postcode[5:] not in {"SA", "SD", "SS"}
        sides[household.postcode].add((household.street, household.house_number % 2))
    assert all(len(streets) == 1 for streets in sides.values())


def test_no_address_occurs_twice(demo):
    for neighbourhood in (demo.lindenhof, demo.eikendal):
        rows = Household.objects.filter(neighbourhood=neighbourhood)
        by_street = rows.values_list("street", "house_number", "house_number_suffix")
        by_postcode = rows.values_list("postcode", "house_number", "house_number_suffix")
        assert len(set(by_street)) == len(by_street) == SMALL
        assert len(set(by_postcode)) == SMALL
    assert set(Household.objects.values_list("house_number_suffix", flat=True)) <= {
        "",
        "A",
        "B",
        "C",
    }


def test_a_fifth_of_the_adults_are_members(demo):
    adults = [
        p
        for p in Person.objects.filter(neighbourhood=demo.lindenhof)
        if age_on(p.date_of_birth, REFERENCE_DATE) >= 18
    ]
    members = [p for p in adults if p.member_since is not None]
    assert 0.15 <= len(members) / len(adults) <= 0.25
    assert all(date(2022, 3, 1) <= p.member_since < REFERENCE_DATE for p in members)
    children = Person.objects.filter(
        neighbourhood=demo.lindenhof, date_of_birth__gte=date(2008, 1, 1)
    )
    assert not children.filter(member_since__isnull=False).exists()


def test_full_size_plan_is_realistic():
    """The full 1,500 households, planned without a database (cheap enough for a test)."""
    plan = plan_neighbourhood(LINDENHOF, households=1500, seed=2026)
    households = plan.households
    assert len(households) == 1500
    counts = Counter(h.composition for h in households)
    expected = apportion(1500, [share for _, share in COMPOSITION_PER_MILLE])
    assert (
        [counts[kind] for kind, _ in COMPOSITION_PER_MILLE] == expected == [570, 428, 382, 105, 15]
    )
    assert 2.0 <= plan.people / 1500 <= 2.3  # the Dutch average is about 2.14
    prefixes = Counter(p.name_prefix for h in households for p in h.members)
    assert prefixes["van"] and prefixes["de"] and prefixes["van der"]
    people = [p for h in households for p in h.members]
    assert len({p.email for p in people if p.email}) == len([p for p in people if p.email])
    streets = {h.street for h in households}
    assert len(streets) == sum(len(area.streets) for area in LINDENHOF.areas)


# --- logins ------------------------------------------------------------------------------------


def can_log_in(email: str, password: str) -> bool:
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=email, password=password) is not None


def test_every_demo_login_can_log_in(demo):
    for email in DEMO_EMAILS:
        assert can_log_in(email, DEFAULT_PASSWORD), email
    assert not can_log_in(DEMO_EMAILS[0], "wrong-password")


def test_logins_have_their_roles(demo):
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
    assert sorted(users) == sorted(DEMO_EMAILS)

    resident = access_for(users["bewoner@lindenhof.demo"])
    assert resident.person.neighbourhood == demo.lindenhof
    assert resident.person.household.composition == "family"
    assert resident.person.email == "bewoner@lindenhof.demo"
    assert users["bewoner@lindenhof.demo"].full_name == resident.person.full_name
    assert not users["bewoner@lindenhof.demo"].is_staff

    ondernemer = users["wijkondernemer@lindenhof.demo"]
    assert ondernemer.is_staff and not ondernemer.is_superuser
    assert access_for(ondernemer).wijkondernemer_of == {demo.lindenhof.pk}

    def representation(email):
        role = Role.objects.get(user=users[email])
        return (role.neighbourhood, role.kind, role.organisation.name, role.scale)

    assert representation("gemeente@lindenhof.demo") == (
        demo.lindenhof,
        "representative",
        "Gemeente Rijnstede",
        "strategic",
    )
    assert representation("leverancier@lindenhof.demo") == (
        demo.lindenhof,
        "representative",
        "Rijnstede Energie",
        "operational",
    )
    assert representation("winkel@lindenhof.demo") == (
        demo.lindenhof,
        "representative",
        "Bakkerij Van der Linden",
        "operational",
    )
    village = access_for(users["bewoner@eikendal.demo"])
    assert village.person.neighbourhood == demo.eikendal


def test_the_password_can_be_set_by_environment(db, monkeypatch):
    monkeypatch.setenv("HEELWIJK_DEMO_PASSWORD", "another-demo-secret")
    output = run_demo()
    assert "Password for every demo login: another-demo-secret" in output
    assert can_log_in("winkel@lindenhof.demo", "another-demo-secret")
    assert not can_log_in("winkel@lindenhof.demo", DEFAULT_PASSWORD)


def test_the_command_prints_what_it_built_and_how_to_log_in(db):
    output = run_demo(port=8010)
    assert "Built Lindenhof: 60 households, " in output
    assert "Built Eikendal: 60 households, " in output
    assert "Demo base built in " in output
    assert "http://127.0.0.1:8010/" in output
    for email in DEMO_EMAILS:
        assert email in output
    assert "Gemeente Rijnstede (strategic)" in output
    assert "Rijnstede Energie (operational)" in output
    assert "Bakkerij Van der Linden (operational)" in output
    assert f"Password for every demo login: {DEFAULT_PASSWORD}" in output


# --- separate neighbourhoods -------------------------------------------------------------------


def test_the_two_neighbourhoods_are_separate(demo):
    for household in Household.objects.select_related("area"):
        assert household.area.neighbourhood_id == household.neighbourhood_id
    for person in Person.objects.select_related("household"):
        assert person.household.neighbourhood_id == person.neighbourhood_id

    village_user = User.objects.get(email="bewoner@eikendal.demo")
    ondernemer = User.objects.get(email="wijkondernemer@lindenhof.demo")
    assert access_for(village_user).neighbourhood_ids == {demo.eikendal.pk}
    assert access_for(ondernemer).neighbourhood_ids == {demo.lindenhof.pk}
    lindenhof_home = Household.objects.filter(neighbourhood=demo.lindenhof).first()
    assert not village_user.has_perm("neighbourhood.view_household", lindenhof_home)
    assert not village_user.has_perm("neighbourhood.view_neighbourhood", demo.lindenhof)
    assert ondernemer.has_perm("neighbourhood.list_households", demo.lindenhof)
    assert not ondernemer.has_perm("neighbourhood.list_households", demo.eikendal)
    # Each neighbourhood has its own row for the municipality they share.
    municipality_rows = Organisation.objects.filter(name="Gemeente Rijnstede")
    assert sorted(municipality_rows.values_list("neighbourhood__slug", flat=True)) == [
        "eikendal",
        "lindenhof",
    ]


# --- idempotent and deterministic --------------------------------------------------------------


def test_running_again_changes_nothing(demo):
    before = {model.__name__: model.objects.count() for model in MODELS}
    fingerprints = [demo_fingerprint(demo.lindenhof), demo_fingerprint(demo.eikendal)]

    output = run_demo()

    assert {model.__name__: model.objects.count() for model in MODELS} == before
    assert [demo_fingerprint(demo.lindenhof), demo_fingerprint(demo.eikendal)] == fingerprints
    assert "Lindenhof exists already (60 households, " in output
    assert "The demo base was complete already; nothing changed." in output
    assert "Built" not in output
    assert "bewoner@lindenhof.demo" in output


def _remove_demo():
    Person.objects.all().delete()
    Household.objects.all().delete()
    Neighbourhood.objects.filter(slug__in=["lindenhof", "eikendal"]).delete()
    User.objects.filter(email__in=DEMO_EMAILS).delete()


def test_same_seed_gives_the_same_rows(db):
    run_demo(seed=7)
    first = [demo_fingerprint(n) for n in Neighbourhood.objects.order_by("slug")]
    _remove_demo()
    assert not Neighbourhood.objects.exists()

    run_demo(seed=7)
    assert [demo_fingerprint(n) for n in Neighbourhood.objects.order_by("slug")] == first

    _remove_demo()
    run_demo(seed=8)
    assert [demo_fingerprint(n) for n in Neighbourhood.objects.order_by("slug")] != first


def test_plans_depend_only_on_spec_size_and_seed():
    assert plan_neighbourhood(LINDENHOF, households=SMALL, seed=3) == plan_neighbourhood(
        LINDENHOF, households=SMALL, seed=3
    )
    assert plan_neighbourhood(LINDENHOF, households=SMALL, seed=3) != plan_neighbourhood(
        LINDENHOF, households=SMALL, seed=4
    )
    # Eikendal does not change when Lindenhof gets another size.
    assert (
        plan_neighbourhood(EIKENDAL, households=SMALL, seed=3).households[0].members[0]
        == (plan_neighbourhood(EIKENDAL, households=SMALL, seed=3).households[0].members[0])
    )


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("households", [0, 19, 15_001])
def test_a_size_out_of_range_is_refused_and_changes_nothing(db, households):
    with pytest.raises(CommandError, match="from 20 to 15,000"):
        call_command("demo", households=households, stdout=StringIO())
    assert not Neighbourhood.objects.exists()
    assert not User.objects.exists()


def test_production_is_refused_unless_allowed(db, settings):
    settings.HEELWIJK_ENV = "production"
    with pytest.raises(CommandError, match="Refusing to build the demo in production"):
        run_demo()
    assert not Neighbourhood.objects.exists()
    run_demo(allow_production=True)
    assert Neighbourhood.objects.count() == 2


# --- the extension hook ------------------------------------------------------------------------


@pytest.fixture
def fake_apps(tmp_path, monkeypatch):
    """A package `fakeheel` with an app that has a demo module, one without, and a broken one."""
    root = tmp_path / "fakeheel"
    for app in ("withdemo", "nodemo", "broken"):
        (root / app).mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "withdemo" / "demo.py").write_text(
        textwrap.dedent(
            """
            CALLS = []

            def build_demo(*, neighbourhood, stdout):
                CALLS.append(neighbourhood)
                stdout.write(f"extra demo data for {neighbourhood}")
            """
        )
    )
    (root / "broken" / "demo.py").write_text("import a_module_that_does_not_exist_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "fakeheel"
    for name in [n for n in sys.modules if n == "fakeheel" or n.startswith("fakeheel.")]:
        del sys.modules[name]


def test_extensions_that_exist_are_called_and_missing_ones_skipped(fake_apps):
    out = StringIO()
    ran = demo_extensions_run(
        neighbourhood="Lindenhof",
        stdout=out,
        apps=("nodemo", "withdemo", "notanapp"),
        package=fake_apps,
    )
    assert ran == ["withdemo"]
    assert sys.modules["fakeheel.withdemo.demo"].CALLS == ["Lindenhof"]
    assert out.getvalue() == "extra demo data for Lindenhof"


def test_an_extension_that_fails_to_import_is_raised(fake_apps):
    with pytest.raises(ModuleNotFoundError, match="a_module_that_does_not_exist_anywhere"):
        demo_extensions_run(
            neighbourhood="Lindenhof", stdout=StringIO(), apps=("broken",), package=fake_apps
        )


def test_the_command_calls_extensions_for_each_neighbourhood_every_run(db, monkeypatch):
    calls = []
    module = ModuleType("heelwijk.purchasing.demo")
    module.__spec__ = ModuleSpec("heelwijk.purchasing.demo", None)
    module.build_demo = lambda *, neighbourhood, stdout: calls.append(neighbourhood.slug)
    monkeypatch.setitem(sys.modules, "heelwijk.purchasing.demo", module)
    monkeypatch.setattr(demo_extensions, "EXTENSION_APPS", ("purchasing",))

    run_demo()
    run_demo()

    assert calls == ["lindenhof", "eikendal", "lindenhof", "eikendal"]


def test_rerun_with_the_real_extensions_changes_nothing(db, monkeypatch):
    """Whatever the later apps add through the hook must be idempotent too."""
    monkeypatch.setattr(demo_extensions, "EXTENSION_APPS", EXTENSION_APPS)
    run_demo()
    before = {model._meta.label: model.objects.count() for model in apps.get_models()}

    run_demo()

    assert {model._meta.label: model.objects.count() for model in apps.get_models()} == before
