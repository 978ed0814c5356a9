"""Ledger fixtures: standard units and a small chart of accounts in neighbourhood A."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import connection

from heelwijk.ledger.actions import account_open, ensure_standard_units
from heelwijk.ledger.models import Account, Unit

postgres_only = pytest.mark.postgres_only


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and not is_postgres():
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")


@dataclass
class Books:
    """Units and accounts of neighbourhood A (Lindenhof)."""

    eur: Unit
    hour: Unit
    kwh: Unit
    bank: Account  # asset, wijkbedrijf
    cash: Account  # asset, wijkbedrijf
    dues: Account  # income
    groceries: Account  # expense
    energy: Account  # expense
    repairs: Account  # expense
    household: Account  # liability: household A's deposit with the wijkbedrijf
    household2: Account  # liability: household A2's deposit, credit limit € 50
    equity: Account


@pytest.fixture
def books(world) -> Books:
    n = world.nbh_a
    units = ensure_standard_units(neighbourhood=n)
    eur = units["EUR"]

    def open_(code, name, type_, owner_kind="wijkbedrijf", **kw):
        return account_open(
            neighbourhood=n,
            unit=kw.pop("unit", eur),
            code=code,
            name=name,
            type=type_,
            owner_kind=owner_kind,
            actor=world.staff_a,
            **kw,
        )

    return Books(
        eur=eur,
        hour=units["HOUR"],
        kwh=units["KWH"],
        bank=open_("1100", "Bank", "asset"),
        cash=open_("1000", "Kas", "asset"),
        dues=open_("8000", "Contributie", "income"),
        groceries=open_("4000", "Boodschappen", "expense"),
        energy=open_("4100", "Energie", "expense"),
        repairs=open_("4200", "Reparaties", "expense"),
        household=open_(
            "2100", "Tegoed Lindelaan 12", "liability", "household", owner=world.household_a
        ),
        household2=open_(
            "2101",
            "Tegoed Beukenstraat 3",
            "liability",
            "household",
            owner=world.household_a2,
            lower_limit=-5000,
        ),
        equity=open_("0900", "Eigen vermogen", "equity"),
    )


@contextmanager
def tampering():
    """Let raw SQL change journal rows: on PostgreSQL the session stops firing triggers (the
    append-only ones included) — what someone with superuser rights could do."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
