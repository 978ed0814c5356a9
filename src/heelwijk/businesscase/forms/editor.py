"""The business case forms: creating a case and the editor with its three formsets."""

from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.models import Organisation

from ..drafts import ActorDraft, CaseDraft, CostDraft, OutcomeDraft
from ..models import (
    MAX_HORIZON,
    BusinessCase,
    CaseActor,
    ReferenceValue,
    Scenario,
)
from .numbers import NumberField, euro_field, percent_field

# --- business cases -----------------------------------------------------------------------------


class BusinessCaseCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    discount_rate = percent_field(
        label=_("Discount rate (%)"), help_text=_("The Dutch standard for MKBA is 2.25 %.")
    )
    horizon_years = forms.IntegerField(
        label=_("Horizon (years)"), min_value=1, max_value=MAX_HORIZON
    )
    base_year = forms.IntegerField(label=_("Base year"), min_value=1900, max_value=2200)


class CaseSettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    discount_rate = percent_field(
        label=_("Discount rate (%)"), help_text=_("The Dutch standard for MKBA is 2.25 %.")
    )
    horizon = forms.IntegerField(
        label=_("Horizon (years)"),
        min_value=1,
        max_value=MAX_HORIZON,
        error_messages={"min_value": _("The horizon must be at least 1 year.")},
    )
    base_year = forms.IntegerField(
        label=_("Base year"),
        min_value=1900,
        max_value=2200,
        help_text=_("The calendar year of year 0."),
    )
    sensitivity_percent = NumberField(
        label=_("Sensitivity range (%)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        help_text=_("Each assumption is moved this much down and up."),
    )


class ActorForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=120)
    # An initial choice, so an untouched empty row counts as unchanged and is skipped.
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CaseActor.Kind.choices, initial=CaseActor.Kind.OTHER
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, neighbourhood=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            neighbourhood=neighbourhood
        ).order_by("name")


class CostForm(forms.Form):
    actor = forms.ChoiceField(label=_("Paid by"))
    label = forms.CharField(label=_("What"), max_length=160)
    year = forms.IntegerField(label=_("Year"), min_value=0, max_value=MAX_HORIZON, initial=0)
    amount = euro_field(label=_("Amount (€)"))
    scenario = forms.ChoiceField(
        label=_("Scenario"), choices=Scenario.choices, initial=Scenario.LOCAL_WORK
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def __init__(self, *args, actor_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "---------"), *actor_choices]


class OutcomeForm(forms.Form):
    beneficiary = forms.ChoiceField(label=_("Gained by"))
    label = forms.CharField(label=_("Outcome"), max_length=160)
    indicator = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    quantity = NumberField(
        label=_("Quantity"),
        min_value=Decimal(0),
        max_value=Decimal(10**9),
        decimal_places=4,
        help_text=_("How many people, households or units."),
    )
    proxy_key = forms.ChoiceField(
        label=_("Financial proxy"),
        required=False,
        help_text=_("A value from the reference values, per unit per year."),
    )
    proxy_value = euro_field(label=_("Or your own value (€ per unit per year)"), required=False)
    proxy_source = forms.CharField(
        label=_("Source of your own value"), max_length=300, required=False
    )
    duration = forms.IntegerField(
        label=_("Duration (years)"),
        min_value=1,
        max_value=MAX_HORIZON,
        initial=1,
        error_messages={"min_value": _("The duration must be at least 1 year.")},
    )
    deadweight = percent_field(
        label=_("Deadweight (%)"),
        initial=Decimal(0),
        help_text=_("Share that would have happened anyway."),
    )
    displacement = percent_field(
        label=_("Displacement (%)"),
        initial=Decimal(0),
        help_text=_("Share that only moved from elsewhere."),
    )
    attribution = percent_field(
        label=_("Attribution (%)"),
        initial=Decimal(0),
        help_text=_("Share owed to others than this project."),
    )
    drop_off = percent_field(
        label=_("Drop-off (%)"),
        initial=Decimal(0),
        help_text=_("How much less the effect is each following year."),
    )
    adjustment_source = forms.CharField(
        label=_("Source of these percentages"), max_length=300, required=False
    )
    scenario = forms.ChoiceField(
        label=_("Scenario"), choices=Scenario.choices, initial=Scenario.LOCAL_WORK
    )

    def __init__(self, *args, actor_choices=(), proxy_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [("", "---------"), *actor_choices]
        self.fields["proxy_key"].choices = [("", _("— own value —")), *proxy_choices]


ActorFormSet = forms.formset_factory(ActorForm, extra=1, can_delete=True, max_num=30)
CostFormSet = forms.formset_factory(CostForm, extra=1, can_delete=True, max_num=200)
OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=1, can_delete=True, max_num=100)


def proxy_choice_list(values: list[ReferenceValue]) -> list[tuple[str, str]]:
    choices = []
    for v in sorted(values, key=lambda v: v.name):
        amount = formats.number_format(v.value, decimal_pos=2, force_grouping=True)
        choices.append((v.key, f"{v.name} (€ {amount} {v.get_unit_display()}, {v.year})"))
    return choices


class CaseEditor:
    """The editor page: the settings form and the three formsets, read together into a draft."""

    def __init__(
        self, *, data=None, case: BusinessCase, proxy_values, draft: CaseDraft | None = None
    ):
        neighbourhood = case.neighbourhood
        saved_actors = list(case.actors.all())
        actor_choices = [(str(a.pk), a.name) for a in saved_actors]
        proxies = proxy_choice_list(proxy_values)
        initial = self._initial(draft) if data is None and draft else {}
        self.settings = CaseSettingsForm(data=data, initial=initial.get("settings"))
        self.actors = ActorFormSet(
            data=data,
            prefix="actors",
            initial=initial.get("actors"),
            form_kwargs={"neighbourhood": neighbourhood},
        )
        self.costs = CostFormSet(
            data=data,
            prefix="costs",
            initial=initial.get("costs"),
            form_kwargs={"actor_choices": actor_choices},
        )
        self.outcomes = OutcomeFormSet(
            data=data,
            prefix="outcomes",
            initial=initial.get("outcomes"),
            form_kwargs={"actor_choices": actor_choices, "proxy_choices": proxies},
        )
        self._forms_by_draft: dict[str, list] = {}

    @staticmethod
    def _initial(draft: CaseDraft) -> dict:
        return {
            "settings": {
                "title": draft.title,
                "summary": draft.summary,
                "discount_rate": draft.discount_rate,
                "horizon": draft.horizon,
                "base_year": draft.base_year,
                "sensitivity_percent": draft.sensitivity_percent,
            },
            "actors": [
                {"key": a.key, "name": a.name, "kind": a.kind, "organisation": a.organisation_id}
                for a in draft.actors
            ],
            "costs": [
                {
                    "actor": c.actor,
                    "label": c.label,
                    "year": c.year,
                    "amount": c.amount,
                    "scenario": c.scenario,
                    "source": c.source,
                }
                for c in draft.costs
            ],
            "outcomes": [
                {
                    "beneficiary": o.beneficiary,
                    "label": o.label,
                    "indicator": o.indicator,
                    "quantity": o.quantity,
                    "proxy_key": o.proxy_key,
                    "proxy_value": o.proxy_value,
                    "proxy_source": o.proxy_source,
                    "duration": o.duration,
                    "deadweight": o.deadweight,
                    "displacement": o.displacement,
                    "attribution": o.attribution,
                    "drop_off": o.drop_off,
                    "adjustment_source": o.adjustment_source,
                    "scenario": o.scenario,
                }
                for o in draft.outcomes
            ],
        }

    @property
    def formsets(self):
        return (self.actors, self.costs, self.outcomes)

    def is_valid(self) -> bool:
        valid = self.settings.is_valid()
        for formset in self.formsets:
            valid = formset.is_valid() and valid
        return valid

    @staticmethod
    def _kept(formset) -> list:
        return [
            f
            for f in formset.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def draft(self) -> CaseDraft:
        """The draft the valid forms describe; new actors get a key from their row number."""
        s = self.settings.cleaned_data
        actors_forms = self._kept(self.actors)
        costs_forms = self._kept(self.costs)
        outcome_forms = self._kept(self.outcomes)
        self._forms_by_draft = {
            "actors": actors_forms,
            "costs": costs_forms,
            "outcomes": outcome_forms,
        }
        actors = []
        for i, f in enumerate(actors_forms):
            d = f.cleaned_data
            org = d.get("organisation")
            actors.append(
                ActorDraft(
                    key=d.get("key") or f"new-{i}",
                    name=d["name"].strip(),
                    kind=d["kind"],
                    organisation_id=org.pk if org else None,
                )
            )
        costs = [
            CostDraft(
                actor=f.cleaned_data["actor"],
                label=f.cleaned_data["label"],
                year=f.cleaned_data["year"],
                amount=f.cleaned_data["amount"],
                scenario=f.cleaned_data["scenario"],
                source=f.cleaned_data.get("source", ""),
            )
            for f in costs_forms
        ]
        outcomes = []
        for f in outcome_forms:
            d = f.cleaned_data
            outcomes.append(
                OutcomeDraft(
                    beneficiary=d["beneficiary"],
                    label=d["label"],
                    indicator=d.get("indicator", ""),
                    quantity=d["quantity"],
                    duration=d["duration"],
                    proxy_key=d.get("proxy_key", ""),
                    proxy_value=d.get("proxy_value"),
                    proxy_source=d.get("proxy_source", ""),
                    deadweight=d["deadweight"],
                    displacement=d["displacement"],
                    attribution=d["attribution"],
                    drop_off=d["drop_off"],
                    adjustment_source=d.get("adjustment_source", ""),
                    scenario=d["scenario"],
                )
            )
        return CaseDraft(
            title=s["title"],
            summary=s.get("summary", ""),
            discount_rate=s["discount_rate"],
            horizon=s["horizon"],
            base_year=s["base_year"],
            sensitivity_percent=s["sensitivity_percent"],
            actors=tuple(actors),
            costs=tuple(costs),
            outcomes=tuple(outcomes),
        )

    FIELD_NAMES = {"proxy": "proxy_key", "amount": "amount"}

    def add_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Put action errors on the fields they are about; return those that fit no field."""
        loose = []
        for key, messages in errors.items():
            parts = key.split(".")
            target, field = None, None
            if len(parts) == 1 and parts[0] in self.settings.fields:
                target, field = self.settings, parts[0]
            elif len(parts) == 3 and parts[0] in self._forms_by_draft:
                forms_ = self._forms_by_draft[parts[0]]
                index = int(parts[1]) if parts[1].isdigit() else -1
                if 0 <= index < len(forms_):
                    target = forms_[index]
                    field = parts[2]
                    if field == "proxy":
                        has_own = target.cleaned_data.get("proxy_value") is not None
                        field = "proxy_value" if has_own else "proxy_key"
            if target is not None and field in target.fields:
                for message in messages:
                    target.add_error(field, message)
            else:
                loose.extend(messages)
        return loose

    def error_messages(self) -> list[str]:
        """Every form error as a sentence naming its row, for the summary above the form."""
        found = []
        for field, errors in self.settings.errors.items():
            label = self.settings.fields[field].label if field in self.settings.fields else ""
            found.extend(f"{label}: {e}" if label else str(e) for e in errors)
        names = {"actors": _("Actor"), "costs": _("Cost"), "outcomes": _("Outcome")}
        for formset in self.formsets:
            for e in formset.non_form_errors():
                found.append(str(e))
            for i, form in enumerate(formset.forms, start=1):
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    for e in errors:
                        found.append(f"{names[formset.prefix]} {i}, {label}: {e}")
        return found
