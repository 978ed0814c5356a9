"""Writes: opgaven and business cases are saved whole or not at all, with clear messages."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from heelwijk.businesscase.actions import (
    GoalDraft,
    business_case_create,
    business_case_publish,
    business_case_save,
    business_case_withdraw,
    opgave_create,
    opgave_update,
)
from heelwijk.businesscase.models import (
    BusinessCase,
    CaseActor,
    CaseOutcome,
    CostLine,
    Opgave,
    SocialGoal,
)
from heelwijk.businesscase.selectors import business_case_detail, draft_from_case
from heelwijk.neighbourhood.models import AuditEntry

from .conftest import small_draft


def opgave_fields(world, **changes):
    fields = {
        "title": "Renovatie flat",
        "commissioner": world.organisation_a,
        "budget_cents": 100,
        "contract_value_cents": 100,
        "labour_share": None,
        "start_date": date(2025, 1, 1),
        "end_date": date(2025, 6, 30),
        "status": "idea",
    }
    fields.update(changes)
    return fields


def test_opgave_create_saves_goals_and_areas_and_audits(world):
    opgave = opgave_create(
        actor=world.staff_a,
        neighbourhood=world.nbh_a,
        fields=opgave_fields(world),
        area_ids=[world.area_a.pk],
        goals=[GoalDraft("training", "leerwerkplaatsen", D(4), "plaatsen")],
    )
    assert list(opgave.areas.all()) == [world.area_a]
    assert [(g.kind, g.target) for g in opgave.goals.all()] == [("training", D(4))]
    assert opgave.duration_months == 6
    assert AuditEntry.objects.filter(action="opgave_create", object_id=opgave.pk).exists()


@pytest.mark.parametrize(
    ("changes", "area", "goal", "field"),
    [
        ({"budget_cents": -1}, None, None, "budget_cents"),
        ({"contract_value_cents": -5}, None, None, "contract_value_cents"),
        ({"labour_share": D(101)}, None, None, "labour_share"),
        ({"end_date": date(2024, 12, 31)}, None, None, "end_date"),
        ({"title": ""}, None, None, "title"),
        ({"status": "bogus"}, None, None, "status"),
        ({}, "area_b", None, "areas"),
        ({}, None, GoalDraft("jobs", "banen", D(-1)), "goals.0.target"),
        ({}, None, GoalDraft("nope", "banen", D(1)), "goals.0.kind"),
    ],
)
def test_bad_opgave_input_saves_nothing(world, changes, area, goal, field):
    with pytest.raises(ValidationError) as exc:
        opgave_create(
            actor=world.staff_a,
            neighbourhood=world.nbh_a,
            fields=opgave_fields(world, **changes),
            area_ids=[getattr(world, area).pk] if area else [],
            goals=[goal] if goal else [],
        )
    assert field in exc.value.message_dict
    assert Opgave.objects.count() == 0
    assert SocialGoal.objects.count() == 0


def test_the_commissioner_must_be_of_the_neighbourhood(world):
    with pytest.raises(ValidationError) as exc:
        opgave_create(
            actor=world.staff_a,
            neighbourhood=world.nbh_a,
            fields=opgave_fields(world, commissioner=world.organisation_b),
        )
    assert "commissioner" in exc.value.message_dict


def test_opgave_update_replaces_goals_or_changes_nothing(world, opgave_a):
    with pytest.raises(ValidationError):
        opgave_update(
            actor=world.staff_a,
            opgave=opgave_a,
            fields={"title": "Nieuw", "budget_cents": -1},
            goals=[],
        )
    opgave_a.refresh_from_db()
    assert opgave_a.title == "Nieuwe riolering Lindelaan"
    assert opgave_a.goals.count() == 1
    opgave_update(actor=world.staff_a, opgave=opgave_a, fields={"title": "Nieuw"}, goals=[])
    opgave_a.refresh_from_db()
    assert (opgave_a.title, opgave_a.goals.count()) == ("Nieuw", 0)


def test_a_new_case_starts_with_the_parties_and_the_current_values(world, opgave_a, national_set):
    case = business_case_create(
        actor=world.staff_a, opgave=opgave_a, title="Eerste", horizon_years=5, base_year=2025
    )
    assert case.reference_set == national_set
    assert case.discount_rate == D("2.25")  # the seeded standard discount rate
    assert [a.kind for a in case.actors.all()] == ["municipality", "residents"]


def counts():
    return (
        BusinessCase.objects.count(),
        CaseActor.objects.count(),
        CostLine.objects.count(),
        CaseOutcome.objects.count(),
    )


def bad_outcome(case, **changes):
    draft = small_draft(case)
    outcomes = list(draft.outcomes)
    outcomes[0] = replace(outcomes[0], **changes)
    return replace(draft, outcomes=tuple(outcomes))


@pytest.mark.parametrize(
    ("make", "key", "dutch"),
    [
        (
            lambda c: bad_outcome(c, quantity=D(-2)),
            "outcomes.0.quantity",
            "Bijstand bespaard: de hoeveelheid kan niet negatief zijn.",
        ),
        (
            lambda c: bad_outcome(c, deadweight=D(120)),
            "outcomes.0.deadweight",
            "Bijstand bespaard: Deadweight moet een percentage van 0 tot 100 zijn.",
        ),
        (
            lambda c: bad_outcome(c, attribution=D(-1)),
            "outcomes.0.attribution",
            None,
        ),
        (
            lambda c: bad_outcome(c, proxy_key=""),
            "outcomes.0.proxy",
            "Bijstand bespaard: kies een financiële proxy of vul een eigen waarde in.",
        ),
        (
            lambda c: bad_outcome(c, proxy_key="does_not_exist"),
            "outcomes.0.proxy",
            None,
        ),
        (lambda c: bad_outcome(c, proxy_key="welfare_outflow_rate"), "outcomes.0.proxy", None),
        (
            lambda c: replace(small_draft(c), horizon=0),
            "horizon",
            "De horizon moet minstens 1 jaar zijn.",
        ),
        (lambda c: replace(small_draft(c), discount_rate=D(-1)), "discount_rate", None),
        (lambda c: replace(small_draft(c), title=" "), "title", None),
        (
            lambda c: replace(
                small_draft(c),
                costs=(replace(small_draft(c).costs[0], amount=D("-5.00")),),
            ),
            "costs.0.amount",
            None,
        ),
        (
            lambda c: replace(
                small_draft(c),
                costs=(replace(small_draft(c).costs[0], amount=D("5.001")),),
            ),
            "costs.0.amount",
            None,
        ),
        (
            lambda c: replace(small_draft(c), costs=(replace(small_draft(c).costs[0], year=4),)),
            "costs.0.year",
            None,
        ),
    ],
)
def test_bad_case_input_saves_nothing_half(world, case_a, make, key, dutch):
    before = counts()
    lines_before = list(CostLine.objects.values_list("label", "amount_cents"))
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        business_case_save(actor=world.staff_a, business_case=case_a, draft=make(case_a))
    assert key in exc.value.message_dict, exc.value.message_dict
    if dutch:
        assert dutch in exc.value.message_dict[key]
    assert counts() == before
    assert list(CostLine.objects.values_list("label", "amount_cents")) == lines_before
    case_a.refresh_from_db()
    assert case_a.title == "Lokaal werk"


def test_messages_are_english_when_asked(world, case_a):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        business_case_save(
            actor=world.staff_a, business_case=case_a, draft=bad_outcome(case_a, quantity=D(-1))
        )
    assert exc.value.message_dict["outcomes.0.quantity"] == [
        "Bijstand bespaard: the quantity cannot be negative."
    ]


def test_save_replaces_every_line_and_round_trips(world, case_a):
    draft = draft_from_case(case_a)
    assert len(draft.costs) == 1 and len(draft.outcomes) == 2
    assert draft.costs[0].amount == D("10000.00")
    assert CostLine.objects.get().amount_cents == 1_000_000
    business_case_save(actor=world.staff_a, business_case=case_a, draft=draft)
    again = draft_from_case(business_case_detail(neighbourhood=world.nbh_a, pk=case_a.pk))
    assert [replace(a, key="") for a in again.actors] == [replace(a, key="") for a in draft.actors]
    assert again.outcomes[1].proxy_value == D("2000.00")


def test_publish_freezes_the_case_and_withdraw_opens_it(world, case_a):
    case = business_case_publish(actor=world.staff_a, business_case=case_a)
    assert case.is_published
    assert case.published_figures["pv_costs"] == "10000.00"
    # benefits: 14000/1.05 = 13333.33; 12600/1.1025 = 11428.57; own value 2000/1.05 = 1904.76
    assert case.published_figures["pv_benefits"] == "26666.66"
    assert case.published_figures["ratio"] == "2.67"
    with pytest.raises(ValidationError):
        business_case_save(actor=world.staff_a, business_case=case, draft=draft_from_case(case))
    case = business_case_withdraw(actor=world.staff_a, business_case=case)
    assert not case.is_published and case.published_figures == {}


def test_a_case_with_problems_cannot_be_published(world, opgave_a):
    case = business_case_create(
        actor=world.staff_a, opgave=opgave_a, title="Leeg", horizon_years=3, base_year=2025
    )
    # An empty case can be computed (no costs, no benefits) and so published; one whose proxy
    # points nowhere cannot.
    CaseOutcome.objects.create(
        business_case=case,
        beneficiary=case.actors.first(),
        label="Kapot",
        quantity=1,
        proxy_key="gone",
        duration_years=1,
    )
    with pytest.raises(ValidationError):
        business_case_publish(actor=world.staff_a, business_case=case)
    case.refresh_from_db()
    assert not case.is_published
