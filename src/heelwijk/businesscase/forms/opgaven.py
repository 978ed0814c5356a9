"""Forms for opgaven and their social goals."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.models import Area, Organisation

from ..actions import GoalDraft
from ..engine.money import from_cents
from ..models import (
    Opgave,
    SocialGoal,
)
from .numbers import DateInput, NumberField, euro_field, percent_field

# --- opgaven ------------------------------------------------------------------------------------


class OpgaveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    commissioner = forms.ModelChoiceField(
        label=_("Commissioning organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that orders the work, e.g. the municipality."),
    )
    budget = euro_field(label=_("Budget (€)"))
    contract_value = euro_field(
        label=_("Contract value (€)"), help_text=_("The value of the contract for the work.")
    )
    labour_share = percent_field(
        label=_("Labour share (%)"),
        required=False,
        help_text=_(
            "Share of labour in the contract value. Below 30 % a lower social return "
            "percentage applies."
        ),
    )
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=Opgave.Status.choices)

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = Organisation.objects.filter(
            neighbourhood=neighbourhood
        ).order_by("name")
        self.fields["areas"].queryset = Area.objects.filter(neighbourhood=neighbourhood).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        return data

    @staticmethod
    def initial_for(opgave: Opgave) -> dict:
        return {
            "title": opgave.title,
            "description": opgave.description,
            "commissioner": opgave.commissioner_id,
            "budget": from_cents(opgave.budget_cents),
            "contract_value": from_cents(opgave.contract_value_cents),
            "labour_share": opgave.labour_share,
            "start_date": opgave.start_date,
            "end_date": opgave.end_date,
            "areas": [a.pk for a in opgave.areas.all()],
            "status": opgave.status,
        }

    def action_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"].strip(),
            "description": d["description"],
            "commissioner": d["commissioner"],
            "budget_cents": int(d["budget"].scaleb(2)),
            "contract_value_cents": int(d["contract_value"].scaleb(2)),
            "labour_share": d["labour_share"],
            "start_date": d["start_date"],
            "end_date": d["end_date"],
            "status": d["status"],
        }

    def area_ids(self) -> list[int]:
        return [a.pk for a in self.cleaned_data["areas"]]


class GoalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Goal"), choices=SocialGoal.Kind.choices, initial=SocialGoal.Kind.JOBS
    )
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    target = NumberField(label=_("Target"), min_value=Decimal(0), max_value=Decimal(10**11))
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)


GoalFormSet = forms.formset_factory(GoalForm, extra=1, can_delete=True, max_num=30)


def goal_drafts(formset) -> list[GoalDraft]:
    return [
        GoalDraft(
            kind=f.cleaned_data["kind"],
            indicator=f.cleaned_data["indicator"].strip(),
            target=f.cleaned_data["target"],
            unit=f.cleaned_data.get("unit", "").strip(),
        )
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def default_base_year(opgave: Opgave) -> int:
    return opgave.start_date.year if opgave.start_date else date.today().year
