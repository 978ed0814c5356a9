"""Write the demo neighbourhoods and their logins to the database, once."""

import os
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from heelwijk.accounts.actions import user_create
from heelwijk.accounts.models import User

from ..actions import audit, neighbourhood_create, role_grant
from ..models import Area, Household, Neighbourhood, Organisation, Person, Role
from .places import DEMO_NEIGHBOURHOODS, EIKENDAL, EIKENDAL_HOUSEHOLDS, LoginSpec, NeighbourhoodSpec
from .plan import NeighbourhoodPlan, plan_neighbourhood

DEFAULT_HOUSEHOLDS = 1500
DEFAULT_SEED = 2026
MIN_HOUSEHOLDS = 20  # enough for every kind of household to appear
MAX_HOUSEHOLDS = 15_000  # the synthetic postcodes of one buurt run out not far beyond this
DEFAULT_PASSWORD = "heelwijk-demo-2026"  # noqa: S105 - public by design, printed by the command
_BATCH = 500


def demo_password() -> str:
    """The one password of every demo login: HEELWIJK_DEMO_PASSWORD, or the documented default."""
    return os.environ.get("HEELWIJK_DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass(frozen=True)
class DemoNeighbourhood:
    neighbourhood: Neighbourhood
    created: bool
    areas: int
    households: int
    people: int
    organisations: int


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str  # resident | wijkondernemer | representative
    neighbourhood: str
    name: str
    detail: str  # the household's address, or the organisation and scale
    exists: bool


def demo_build(
    *, households: int = DEFAULT_HOUSEHOLDS, seed: int = DEFAULT_SEED, password: str
) -> list[DemoNeighbourhood]:
    """Build each demo neighbourhood that does not exist yet, with its logins, in one transaction.

    A neighbourhood that exists (found by its short name) is left exactly as it is, so running
    this again changes nothing.
    """
    if not MIN_HOUSEHOLDS <= households <= MAX_HOUSEHOLDS:
        raise ValueError(
            f"The number of households must be from {MIN_HOUSEHOLDS} to {MAX_HOUSEHOLDS:,}."
        )
    password_hash = _PasswordHash(password)
    result = []
    with transaction.atomic():
        for spec in DEMO_NEIGHBOURHOODS:
            existing = Neighbourhood.objects.filter(slug=spec.slug).first()
            if existing is not None:
                result.append(_describe(existing))
                continue
            count = EIKENDAL_HOUSEHOLDS if spec is EIKENDAL else households
            plan = plan_neighbourhood(spec, households=count, seed=seed)
            neighbourhood = _write(plan, seed=seed)
            for login in spec.logins:
                _create_login(login, neighbourhood, password_hash)
            result.append(
                DemoNeighbourhood(
                    neighbourhood=neighbourhood,
                    created=True,
                    areas=len(spec.areas),
                    households=len(plan.households),
                    people=plan.people,
                    organisations=len(plan.organisations),
                )
            )
    return result


class _PasswordHash:
    """Hash the shared password once, only when a login is actually created (hashing is slow)."""

    def __init__(self, password: str):
        self._password = password
        self._hash = ""

    def get(self) -> str:
        if not self._hash:
            self._hash = make_password(self._password)
        return self._hash


def _write(plan: NeighbourhoodPlan, *, seed: int) -> Neighbourhood:
    spec = plan.spec
    neighbourhood = neighbourhood_create(
        actor=None,
        name=spec.name,
        slug=spec.slug,
        kind=spec.kind,
        municipality=spec.municipality,
        cbs_code=spec.cbs_code,
    )
    areas = Area.objects.bulk_create(
        Area(neighbourhood=neighbourhood, name=a.name, cbs_code=a.cbs_code) for a in spec.areas
    )
    area_by_name = {area.name: area for area in areas}
    Organisation.objects.bulk_create(
        (
            Organisation(
                neighbourhood=neighbourhood,
                name=org.name,
                kind=org.kind,
                email=f"info@{org.domain}",
                website=f"https://www.{org.domain}/",
                address=org.address,
                description=org.description,
            )
            for org in plan.organisations
        ),
        batch_size=_BATCH,
    )
    households = Household.objects.bulk_create(
        (
            Household(
                neighbourhood=neighbourhood,
                area=area_by_name[h.area],
                street=h.street,
                house_number=h.house_number,
                house_number_suffix=h.house_number_suffix,
                postcode=h.postcode,
                city=h.city,
                composition=h.composition,
                size=h.size,
            )
            for h in plan.households
        ),
        batch_size=_BATCH,
    )
    if any(h.pk is None for h in households):  # a database that cannot return new keys
        by_address = {
            (h.postcode, h.house_number, h.house_number_suffix): h
            for h in Household.objects.filter(neighbourhood=neighbourhood)
        }
        households = [
            by_address[(h.postcode, h.house_number, h.house_number_suffix)] for h in plan.households
        ]
    Person.objects.bulk_create(
        (
            Person(
                neighbourhood=neighbourhood,
                household=household,
                first_name=p.first_name,
                name_prefix=p.name_prefix,
                last_name=p.last_name,
                email=p.email,
                phone=p.phone,
                date_of_birth=p.date_of_birth,
                contact_preference=p.contact_preference,
                preferred_language=p.preferred_language,
                member_since=p.member_since,
            )
            for household, h in zip(households, plan.households, strict=True)
            for p in h.members
        ),
        batch_size=_BATCH,
    )
    audit(
        neighbourhood=neighbourhood,
        actor=None,
        action="demo_build",
        obj=neighbourhood,
        changes={
            "seed": seed,
            "households": len(plan.households),
            "people": plan.people,
            "organisations": len(plan.organisations),
        },
    )
    return neighbourhood


def _create_login(
    login: LoginSpec, neighbourhood: Neighbourhood, password_hash: _PasswordHash
) -> None:
    person = None
    full_name = login.full_name
    if login.role == "resident":
        person = Person.objects.get(neighbourhood=neighbourhood, email=login.email)
        full_name = person.full_name
    user = User.objects.filter(email__iexact=login.email).first()
    if user is None:
        # The demo password is hashed once and shared; user_create leaves a new login unusable.
        user = user_create(
            email=login.email, password=None, full_name=full_name, is_staff=login.is_staff
        )
        user.password = password_hash.get()
        user.save(update_fields=["password"])
    if person is not None:
        if not Person.objects.filter(user=user).exists():
            person.user = user
            person.save(update_fields=["user"])
    elif login.role == "wijkondernemer":
        role_grant(
            actor=None, user=user, neighbourhood=neighbourhood, kind=Role.Kind.WIJKONDERNEMER
        )
    elif login.role == "representative":
        organisation = Organisation.objects.get(
            neighbourhood=neighbourhood, name=login.organisation
        )
        role_grant(
            actor=None,
            user=user,
            neighbourhood=neighbourhood,
            kind=Role.Kind.REPRESENTATIVE,
            organisation=organisation,
            scale=login.scale,
        )


def _describe(neighbourhood: Neighbourhood) -> DemoNeighbourhood:
    return DemoNeighbourhood(
        neighbourhood=neighbourhood,
        created=False,
        areas=neighbourhood.areas.count(),
        households=neighbourhood.households.count(),
        people=neighbourhood.people.count(),
        organisations=neighbourhood.organisations.count(),
    )


def demo_logins(specs: tuple[NeighbourhoodSpec, ...] = DEMO_NEIGHBOURHOODS) -> list[DemoLogin]:
    """The demo logins as they are in the database now, for the table the command prints."""
    result = []
    for spec in specs:
        for login in spec.logins:
            user = User.objects.filter(email__iexact=login.email).first()
            name, detail = (user.full_name, "") if user else ("", "")
            if user and login.role == "resident":
                person = Person.objects.filter(user=user).select_related("household").first()
                if person and person.household:
                    household = person.household
                    detail = household.address
            elif login.role == "representative":
                detail = f"{login.organisation} ({login.scale})"
            elif login.role == "wijkondernemer":
                detail = "admin: /admin/" if login.is_staff else ""
            result.append(
                DemoLogin(
                    email=login.email,
                    role=login.role,
                    neighbourhood=spec.name,
                    name=name,
                    detail=detail,
                    exists=user is not None,
                )
            )
    return result
