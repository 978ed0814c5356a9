"""Reference values: seeded from published figures, versioned, and old reports stay the same."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from heelwijk.businesscase.actions import (
    ReferenceValueDraft,
    business_case_use_current_references,
    reference_value_save,
)
from heelwijk.businesscase.models import ReferenceSet, ReferenceValue
from heelwijk.businesscase.selectors import (
    business_case_detail,
    case_report,
    current_reference_set,
    reference_changes,
    reference_lookup,
)
from heelwijk.neighbourhood.models import AuditEntry


def welfare_draft(value: str) -> ReferenceValueDraft:
    return ReferenceValueDraft(
        key="welfare_benefit_cost",
        name="Kosten van één bijstandsuitkering voor de gemeente",
        category="proxy",
        value=D(value),
        unit="eur_year",
        year=2025,
        source="Eigen begroting gemeente",
        per="per uitkering",
    )


def test_the_national_set_is_seeded_with_year_and_source(national_set):
    values = reference_lookup(national_set)
    welfare = values["welfare_benefit_cost"]
    assert (welfare.value, welfare.unit, welfare.year) == (D("14000.00"), "eur_year", 2018)
    assert welfare.source.startswith("Berenschot")
    assert values["welfare_norm_single"].value == D("1345.45")
    assert values["welfare_norm_single"].annual_value() == D("16145.40")
    assert values["welfare_norm_single"].valid_from == date(2025, 1, 1)
    assert values["welfare_outflow_rate"].value == D("23.40")
    assert values["social_return_min_contract_value"].value == D("250000.00")
    assert values["placement_welfare"].value == D("40000.00")
    assert values["discount_rate_standard"].value == D("2.25")
    assert all(v.source for v in values.values())


def test_a_change_makes_a_new_version_and_keeps_the_old(world, national_set):
    new_set = reference_value_save(
        actor=world.staff_a, neighbourhood=world.nbh_a, draft=welfare_draft("15000.00"), note="x"
    )
    assert (new_set.neighbourhood, new_set.version, new_set.based_on) == (
        world.nbh_a,
        1,
        national_set,
    )
    assert reference_lookup(new_set)["welfare_benefit_cost"].value == D("15000.00")
    fresh = ReferenceSet.objects.get(pk=national_set.pk)
    assert reference_lookup(fresh)["welfare_benefit_cost"].value == D("14000.00")
    assert new_set.values.count() == national_set.values.count()
    assert current_reference_set(neighbourhood=world.nbh_a) == new_set
    # The other neighbourhood keeps the national values.
    assert current_reference_set(neighbourhood=world.nbh_b) == national_set
    [(old, new)] = reference_changes(reference_set=new_set)
    assert (old.value, new.value) == (D("14000.00"), D("15000.00"))
    assert AuditEntry.objects.filter(action="reference_value_save").count() == 1
    again = reference_value_save(
        actor=world.staff_a, neighbourhood=world.nbh_a, draft=welfare_draft("16000.00")
    )
    assert again.version == 2 and again.based_on == new_set


def test_saving_the_same_value_makes_no_version(world, national_set):
    same = ReferenceValueDraft(
        **{
            **welfare_draft("14000.00").__dict__,
            "year": 2018,
            "source": reference_lookup(national_set)["welfare_benefit_cost"].source,
            "note": "ongeveer",
        }
    )
    result = reference_value_save(actor=world.staff_a, neighbourhood=world.nbh_a, draft=same)
    assert result == national_set
    assert ReferenceSet.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": D("-1")}, "value"),
        ({"value": D("1.234")}, "value"),
        ({"unit": "percent", "value": D("100.5")}, "value"),
        ({"source": ""}, "source"),
        ({"year": 1800}, "year"),
        ({"valid_from": date(2025, 2, 1), "valid_to": date(2025, 1, 1)}, "valid_to"),
        ({"key": "met spaties"}, "key"),
    ],
)
def test_bad_reference_values_are_refused_and_nothing_is_saved(world, national_set, changes, field):
    draft = ReferenceValueDraft(**{**welfare_draft("1.00").__dict__, **changes})
    with pytest.raises(ValidationError) as exc:
        reference_value_save(actor=world.staff_a, neighbourhood=world.nbh_a, draft=draft)
    assert field in exc.value.message_dict
    assert ReferenceSet.objects.count() == 1
    assert ReferenceValue.objects.count() == national_set.values.count()


def test_a_stored_value_can_never_be_changed_in_place(national_set):
    value = national_set.values.first()
    value.value_minor += 1
    with pytest.raises(ValueError):
        value.save()


def test_an_old_report_reproduces_exactly_after_values_change(world, published_case_a):
    # Given a published report made with the national values
    before = case_report(published_case_a)
    assert before.reproduced is True
    figures = before.figures
    assert figures["pv_benefits"] == published_case_a.published_figures["pv_benefits"]
    # When staff change the welfare cost (a new version of the reference values)
    reference_value_save(
        actor=world.staff_a, neighbourhood=world.nbh_a, draft=welfare_draft("20000.00")
    )
    # Then the old report, read again, has exactly the same figures and lines
    case = business_case_detail(neighbourhood=world.nbh_a, pk=published_case_a.pk)
    after = case_report(case)
    assert after.reproduced is True
    assert after.figures == figures
    assert after.analysis.result == before.analysis.result
    assert case.reference_set.is_national


def test_a_draft_moves_to_new_values_only_when_asked(world, case_a):
    old = case_report(case_a).analysis.result.pv_benefits
    reference_value_save(
        actor=world.staff_a, neighbourhood=world.nbh_a, draft=welfare_draft("20000.00")
    )
    case = business_case_detail(neighbourhood=world.nbh_a, pk=case_a.pk)
    assert case_report(case).analysis.result.pv_benefits == old
    business_case_use_current_references(actor=world.staff_a, business_case=case)
    case = business_case_detail(neighbourhood=world.nbh_a, pk=case_a.pk)
    assert case.reference_set.neighbourhood == world.nbh_a
    # The welfare outcome: 1 x proxy for 2 years with 10 % drop-off at 5 %:
    #   14000: 14000/1.05 = 13333.33 + 12600/1.1025 = 11428.57 -> 24761.90
    #   20000: 20000/1.05 = 19047.62 + 18000/1.1025 = 16326.53 -> 35374.15
    assert case_report(case).analysis.result.pv_benefits - old == D("35374.15") - D("24761.90")
