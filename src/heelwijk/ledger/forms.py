"""Forms of the ledger pages: they parse input; the ledger actions validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import units_of


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AccountFilterForm(_Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Code, name, address or owner."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("All units")
    )

    def __init__(self, *args: Any, neighbourhood: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(neighbourhood=neighbourhood)
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.code}: {unit.name}"


class TransactionFilterForm(_Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the description or kind, or a number such as #12."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AtDateForm(_Form):
    at = forms.DateField(
        label=_("On date"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: as the books stand now. A date: after every posting of that day."),
    )


class ReverseForm(_Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required. Say why this transaction is undone, e.g. “entered twice”. The reason is "
            "kept with the reversal for the auditor."
        ),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for the reversal."))
        return reason
