"""Fixtures for the business case tests: an opgave in neighbourhood A and a small case."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from heelwijk.businesscase.actions import (
    GoalDraft,
    business_case_create,
    business_case_publish,
    business_case_save,
    opgave_create,
)
from heelwijk.businesscase.drafts import ActorDraft, CaseDraft, CostDraft, OutcomeDraft
from heelwijk.businesscase.models import CaseActor, ReferenceSet
from heelwijk.businesscase.selectors import business_case_detail


@pytest.fixture
def national_set(db) -> ReferenceSet:
    """The seeded national values; seeded again if a browser test's flush removed them."""
    if not ReferenceSet.objects.filter(neighbourhood__isnull=True, version=1).exists():
        seed = import_module(
            "heelwijk.businesscase.migrations.0002_seed_national_reference_values"
        ).seed
        seed(apps, None)
    return ReferenceSet.objects.get(neighbourhood__isnull=True, version=1)


@pytest.fixture
def opgave_a(world, national_set):
    return opgave_create(
        actor=world.staff_a,
        neighbourhood=world.nbh_a,
        fields={
            "title": "Nieuwe riolering Lindelaan",
            "commissioner": world.organisation_a,
            "budget_cents": 50_000_000,
            "contract_value_cents": 40_000_000,
            "labour_share": Decimal(25),
            "start_date": date(2025, 3, 1),
            "end_date": date(2025, 12, 31),
            "status": "tender",
        },
        area_ids=[world.area_a.pk],
        goals=[GoalDraft("jobs", "bewoners met een baan", Decimal(2), "bewoners")],
    )


def small_draft(case, *, title="Lokaal werk", proxy_key="welfare_benefit_cost") -> CaseDraft:
    """One cost for the municipality, one outcome for the municipality, one for residents."""
    actors = {a.kind: str(a.pk) for a in case.actors.all()}
    return CaseDraft(
        title=title,
        discount_rate=Decimal(5),
        horizon=3,
        base_year=2025,
        actors=tuple(
            ActorDraft(str(a.pk), a.name, a.kind, a.organisation_id) for a in case.actors.all()
        ),
        costs=(
            CostDraft(
                actors[CaseActor.Kind.MUNICIPALITY],
                "Jobcoach",
                0,
                Decimal("10000.00"),
                "local_work",
                "offerte",
            ),
        ),
        outcomes=(
            OutcomeDraft(
                actors[CaseActor.Kind.MUNICIPALITY],
                "Bijstand bespaard",
                Decimal(1),
                2,
                proxy_key=proxy_key,
                drop_off=Decimal(10),
                scenario="local_work",
                adjustment_source="Divosa",
            ),
            OutcomeDraft(
                actors[CaseActor.Kind.RESIDENTS],
                "Meer inkomen",
                Decimal(1),
                1,
                proxy_value=Decimal("2000.00"),
                proxy_source="eigen schatting",
                scenario="local_work",
            ),
        ),
    )


@pytest.fixture
def case_a(world, opgave_a):
    case = business_case_create(
        actor=world.staff_a, opgave=opgave_a, title="Lokaal werk", horizon_years=3, base_year=2025
    )
    case = business_case_detail(neighbourhood=world.nbh_a, pk=case.pk)
    business_case_save(actor=world.staff_a, business_case=case, draft=small_draft(case))
    return business_case_detail(neighbourhood=world.nbh_a, pk=case.pk)


@pytest.fixture
def published_case_a(world, opgave_a, case_a):
    business_case_publish(actor=world.staff_a, business_case=case_a)
    return business_case_detail(neighbourhood=world.nbh_a, pk=case_a.pk)


@pytest.fixture
def second_case_a(world, opgave_a):
    """A draft next to the published one, so residents have something they must not see."""
    case = business_case_create(
        actor=world.staff_a, opgave=opgave_a, title="Concept", horizon_years=3, base_year=2025
    )
    case = business_case_detail(neighbourhood=world.nbh_a, pk=case.pk)
    business_case_save(
        actor=world.staff_a, business_case=case, draft=small_draft(case, title="Concept")
    )
    return business_case_detail(neighbourhood=world.nbh_a, pk=case.pk)
