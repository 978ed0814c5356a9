"""Shared fixtures: a two-neighbourhood world with every role, and the CI no-skip rule."""

import os
from dataclasses import dataclass

import pytest

from heelwijk.neighbourhood.models import Household, Organisation, Role

from .factories import (
    AreaFactory,
    HouseholdFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (locking, triggers, concurrency) are deselected on other databases.

    They are not skipped: the PostgreSQL pass of `make test` runs them, and under CI=true that
    pass is required, so they can never silently not run there.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Heelwijk's default language (Dutch), whatever ran before it: a
    request through the test client leaves its language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_sessionfinish(session, exitstatus):
    """Under CI=true a skipped test is a failure: CI must run everything."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line(
            f"CI=true: {len(reporter.stats['skipped'])} test(s) were skipped; failing the run.",
            red=True,
        )
        session.exitstatus = 1


@dataclass
class World:
    """Two neighbourhoods, A and B, and one user for every role the permission matrix needs."""

    nbh_a: object
    nbh_b: object
    area_a: object
    area_b: object
    household_a: object
    household_a2: object
    household_b: object
    person_a: object
    person_b: object
    organisation_a: object
    organisation_b: object
    resident_a: object
    resident_b: object
    staff_a: object
    staff_b: object
    representative_a: object

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


ROLES = ["anonymous", "resident_a", "resident_b", "staff_a", "representative_a"]


@pytest.fixture
def world(db) -> World:
    nbh_a = NeighbourhoodFactory(name="Lindenhof", slug="lindenhof")
    nbh_b = NeighbourhoodFactory(name="Eikendal", slug="eikendal", municipality="Eikenburg")
    area_a = AreaFactory(neighbourhood=nbh_a, name="Noord")
    area_b = AreaFactory(neighbourhood=nbh_b, name="Dorpskern")
    household_a = HouseholdFactory(
        area=area_a,
        street="Lindelaan",
        house_number=12,
        postcode="1234 AB",
        composition=Household.Composition.FAMILY,
        size=4,
    )
    household_a2 = HouseholdFactory(
        area=area_a,
        street="Beukenstraat",
        house_number=3,
        postcode="1234 AC",
        size=1,
        composition=Household.Composition.SINGLE,
    )
    household_b = HouseholdFactory(
        area=area_b, street="Dorpsstraat", house_number=1, postcode="5678 CD"
    )
    resident_a = UserFactory(email="bewoner-a@example.org", full_name="Anna de Vries")
    resident_b = UserFactory(email="bewoner-b@example.org", full_name="Bram Bakker")
    staff_a = UserFactory(email="staf-a@example.org", full_name="Sanne Staf")
    staff_b = UserFactory(email="staf-b@example.org", full_name="Bert Staf")
    representative_a = UserFactory(email="gemeente-a@example.org", full_name="Gert Gemeente")
    person_a = PersonFactory(
        household=household_a,
        first_name="Anna",
        name_prefix="de",
        last_name="Vries",
        user=resident_a,
        email="bewoner-a@example.org",
    )
    person_b = PersonFactory(
        household=household_b, first_name="Bram", last_name="Bakker", user=resident_b
    )
    organisation_a = OrganisationFactory(
        neighbourhood=nbh_a, name="Gemeente Rijnstede", kind=Organisation.Kind.MUNICIPALITY
    )
    organisation_b = OrganisationFactory(
        neighbourhood=nbh_b, name="Bakkerij Eikendal", kind=Organisation.Kind.SHOP
    )
    RoleFactory(user=staff_a, neighbourhood=nbh_a, kind=Role.Kind.WIJKONDERNEMER)
    RoleFactory(user=staff_b, neighbourhood=nbh_b, kind=Role.Kind.STAFF)
    RoleFactory(
        user=representative_a,
        neighbourhood=nbh_a,
        kind=Role.Kind.REPRESENTATIVE,
        organisation=organisation_a,
        scale=Role.Scale.TACTICAL,
    )
    return World(
        nbh_a,
        nbh_b,
        area_a,
        area_b,
        household_a,
        household_a2,
        household_b,
        person_a,
        person_b,
        organisation_a,
        organisation_b,
        resident_a,
        resident_b,
        staff_a,
        staff_b,
        representative_a,
    )


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as user (None stays anonymous)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login
