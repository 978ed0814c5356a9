"""Forms for reference values and the social return calculator."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ..actions import ReferenceValueDraft
from ..models import (
    ReferenceUnit,
    ReferenceValue,
)
from .numbers import DateInput, NumberField, euro_field, percent_field

# --- reference values ---------------------------------------------------------------------------


class ReferenceValueForm(forms.Form):
    key = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("A short fixed code with letters, digits and _, e.g. welfare_benefit_cost."),
    )
    name = forms.CharField(label=_("Name"), max_length=160)
    category = forms.ChoiceField(label=_("Kind"), choices=ReferenceValue.Category.choices)
    value = NumberField(label=_("Value"), min_value=Decimal(0), max_value=Decimal(10**13))
    unit = forms.ChoiceField(label=_("Unit"), choices=ReferenceUnit.choices)
    per = forms.CharField(label=_("Per"), max_length=60, required=False)
    year = forms.IntegerField(label=_("Year of the figure"), min_value=1900, max_value=2200)
    source = forms.CharField(label=_("Source"), max_length=300)
    source_url = forms.URLField(label=_("Source link"), required=False, assume_scheme="https")
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    change_note = forms.CharField(
        label=_("What changed and why"),
        max_length=300,
        required=False,
        help_text=_("Kept with the new version of the reference values."),
    )

    def __init__(self, *args, fixed_key: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_key:
            self.fields["key"].disabled = True

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of validity cannot be before its start."))
        return data

    @staticmethod
    def initial_for(value: ReferenceValue) -> dict:
        return {
            f: getattr(value, f)
            for f in (
                "key",
                "name",
                "category",
                "unit",
                "per",
                "year",
                "source",
                "source_url",
                "valid_from",
                "valid_to",
                "note",
            )
        } | {"value": value.value}

    def draft(self) -> ReferenceValueDraft:
        d = self.cleaned_data
        return ReferenceValueDraft(
            key=d["key"],
            name=d["name"],
            category=d["category"],
            value=d["value"],
            unit=d["unit"],
            year=d["year"],
            source=d["source"],
            per=d.get("per", ""),
            source_url=d.get("source_url", ""),
            valid_from=d.get("valid_from"),
            valid_to=d.get("valid_to"),
            note=d.get("note", ""),
        )


# --- social return ------------------------------------------------------------------------------


class SocialReturnForm(forms.Form):
    contract_value = euro_field(label=_("Contract value (€)"))
    labour_share = percent_field(
        label=_("Labour share (%)"),
        required=False,
        help_text=_("Leave empty when unknown; the standard percentage is used."),
    )
    duration_months = forms.IntegerField(
        label=_("Duration (months)"), min_value=0, max_value=1200, required=False
    )

    def __init__(self, *args, placement_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.placement_keys = []
        for t in placement_types:
            name = f"count_{t.key}"
            self.placement_keys.append((name, t))
            self.fields[name] = forms.IntegerField(
                label=t.label, min_value=0, max_value=10000, required=False, initial=0
            )

    def planned(self) -> dict[str, int]:
        return {t.key: self.cleaned_data.get(name) or 0 for name, t in self.placement_keys}

    def placement_fields(self):
        return [(self[name], t) for name, t in self.placement_keys]
