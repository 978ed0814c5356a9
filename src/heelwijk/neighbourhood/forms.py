"""Forms of the neighbourhood pages: they parse input; the actions validate and write."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Household, Organisation, Person
from .selectors import area_list, household_choices, households_at

_POSTCODE_INPUT = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
# "1234 AB 12", "1234AB, 12a", "1234 ab 12-2hoog": postcode, house number, addition.
_ADDRESS_INPUT = re.compile(
    r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*,?\s*([0-9]{1,6})\s*-?\s*([A-Za-z0-9 -]{0,10}?)\s*$"
)


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError next to the fields it names, the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.error_dict.items():
        form.add_error(field if field in form.fields else None, messages)


# --- filters of the list pages ---------------------------------------------------------------


def _capitalised(choices) -> list[tuple[str, str]]:
    return [(value, capfirst(label)) for value, label in choices]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class HouseholdFilterForm(SearchForm):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=None, required=False, empty_label=_("All areas")
    )
    composition = forms.ChoiceField(label=_("Composition"), required=False)

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Address, postcode, house number or a resident's name.")
        self.fields["area"].queryset = area_list(neighbourhood=neighbourhood).order_by("name")
        self.fields["composition"].choices = [
            ("", _("All compositions")),
            *_capitalised(Household.Composition.choices),
        ]


class PersonFilterForm(SearchForm):
    members = forms.BooleanField(label=_("Only members of the wijkbedrijf"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Name, e-mail address, phone number or street.")


class OrganisationFilterForm(SearchForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Name, address or description.")
        self.fields["kind"].choices = [
            ("", _("All kinds")),
            *_capitalised(Organisation.Kind.choices),
        ]


# --- create and edit -------------------------------------------------------------------------


class ActionForm(forms.ModelForm):
    """A ModelForm that only parses: validate_row in the action checks the whole row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                field.choices = _capitalised(field.choices)

    def _post_clean(self):
        # Skip the model validation of ModelForm; the action runs the same checks and more
        # (friendly duplicate messages, same neighbourhood), and add_action_errors shows them.
        pass

    def action_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class HouseholdForm(ActionForm):
    class Meta:
        model = Household
        fields = [
            "street",
            "house_number",
            "house_number_suffix",
            "postcode",
            "city",
            "area",
            "composition",
            "size",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "postcode": _("For example 1234 AB."),
            "house_number_suffix": _("For example A or 2-hoog. Leave empty if there is none."),
        }

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_list(neighbourhood=neighbourhood).order_by("name")
        self.fields["area"].empty_label = None
        self.fields["postcode"].widget.attrs.update({"autocomplete": "postal-code"})
        # A household has at least one person (the action says so too; this shows it at once).
        self.fields["size"].validators.append(MinValueValidator(1))
        self.fields["size"].widget.attrs.update({"min": 1})
        self.fields["house_number"].widget.attrs.update({"min": 1})

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"]
        match = _POSTCODE_INPUT.match(value or "")
        if not match:
            raise ValidationError(_("Enter a Dutch postcode such as 1234 AB."), code="invalid")
        return f"{match.group(1)} {match.group(2).upper()}"

    def clean_house_number_suffix(self) -> str:
        return (self.cleaned_data["house_number_suffix"] or "").strip()


def address_text(household: Household) -> str:
    """How the person form shows a household: postcode, house number and addition."""
    return f"{household.postcode} {household.house_number}{household.house_number_suffix}"


class PersonForm(ActionForm):
    """A person; the household is found by its address (postcode and house number), not picked
    from a list of every household in the neighbourhood."""

    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=40,
        help_text=_(
            "Postcode and house number of the household this person lives in, for example "
            "1234 AB 12 or 1234 AB 12a. Leave empty if it is not known."
        ),
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "name_prefix",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "contact_preference",
            "preferred_language",
            "member_since",
        ]
        widgets = {"date_of_birth": DateInput(), "member_since": DateInput()}

    field_order = ["first_name", "name_prefix", "last_name", "address"]

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        household = self.instance.household if self.instance.pk else None
        preset = self.initial.get("household")
        if preset:
            household = household_choices(neighbourhood=neighbourhood).filter(pk=preset).first()
        if household is not None:
            self.initial["address"] = address_text(household)
        self.fields["address"].widget.attrs.update({"autocomplete": "off"})
        self.fields["first_name"].widget.attrs.update({"autocomplete": "off"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off"})
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs.update({"autocomplete": "off"})

    def clean_address(self) -> Household | None:
        value = (self.cleaned_data["address"] or "").strip()
        if not value:
            return None
        match = _ADDRESS_INPUT.match(value)
        if not match:
            raise ValidationError(
                _("Write the address as postcode and house number, for example 1234 AB 12."),
                code="invalid",
            )
        postcode = f"{match.group(1)} {match.group(2).upper()}"
        number, addition = int(match.group(3)), match.group(4).strip()
        found = households_at(
            neighbourhood=self.neighbourhood, postcode=postcode, house_number=number
        )
        exact = [h for h in found if h.house_number_suffix.lower() == addition.lower()]
        if len(exact) == 1:
            return exact[0]
        if not addition and len(found) > 1:
            raise ValidationError(
                _("Several households live at %(address)s (%(choices)s): add the addition."),
                params={
                    "address": f"{postcode} {number}",
                    "choices": ", ".join(address_text(h) for h in found),
                },
                code="ambiguous",
            )
        raise ValidationError(
            _(
                "No household in this neighbourhood lives at %(address)s. Check the address, "
                "or add the household first."
            ),
            params={"address": f"{postcode} {number}{addition}"},
            code="unknown",
        )

    def action_fields(self) -> dict:
        fields = super().action_fields()
        fields["household"] = fields.pop("address")
        return fields

    def clean_email(self) -> str:
        return (self.cleaned_data["email"] or "").strip().lower()


class OrganisationForm(ActionForm):
    # Longer than the 8 digits it holds: people type "1234 5678"; the spaces are dropped below.
    kvk_number = forms.CharField(
        label=capfirst(Organisation._meta.get_field("kvk_number").verbose_name),
        required=False,
        max_length=12,
        help_text=_("The 8 digits of the Chamber of Commerce registration."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    website = forms.URLField(
        label=capfirst(Organisation._meta.get_field("website").verbose_name),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("For example https://www.example.nl."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "kvk_number",
            "email",
            "phone",
            "website",
            "address",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, can_change_kind: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        if not can_change_kind:
            # Representatives keep their organisation's details up to date; what kind of
            # organisation it is (and so what it may do) is for the staff to decide.
            del self.fields["kind"]

    def clean_kvk_number(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["kvk_number"] or "")


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the data erased?"),
        help_text=_(
            "For the log, e.g. 'request by letter of 3 May, identity checked at the desk'."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={"required": _("Tick that you understand this.")},
    )
