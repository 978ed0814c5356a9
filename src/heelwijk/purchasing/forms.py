"""Forms of the purchasing pages: they only parse input; the actions validate and write."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .actions import TierInput
from .models import Feature, Offer, SupplierAgreement, TierBasis, UsageUnit
from .money import euros_to_cents, price_to_micros

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def euros_field(label, *, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        localize=True,  # a Dutch user types "12,50"
        help_text=help_text,
        error_messages={"min_value": _("An amount cannot be negative.")},
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    usage_unit = forms.ChoiceField(
        label=_("Usage unit"),
        choices=UsageUnit.choices,
        help_text=_("What households state their yearly usage in."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgreementForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=None)
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What this supplier may offer. Empty: every category."),
    )
    terms = forms.CharField(label=_("Terms"), widget=forms.Textarea(attrs={"rows": 4}))
    service_levels = forms.CharField(
        label=_("Service levels"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    kickback_per_contract = euros_field(
        _("Kickback per contract a year (€)"),
        help_text=_("Paid to the local fund for every contract, each year."),
    )
    participation_fee = euros_field(
        _("Participation fee per campaign (€)"),
        help_text=_("Paid to the local fund once for each campaign the supplier wins."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=160)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=20)

    def __init__(self, *args, suppliers, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers
        self.fields["categories"].queryset = categories
        self.fields["categories"].label_from_instance = lambda c: str(c.display_name)

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "terms": data["terms"],
            "service_levels": data["service_levels"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "kickback_per_contract_cents": euros_to_cents(data["kickback_per_contract"]),
            "participation_fee_cents": euros_to_cents(data["participation_fee"]),
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
        }

    @staticmethod
    def initial_for(agreement: SupplierAgreement) -> dict:
        return {
            "supplier": agreement.supplier_id,
            "categories": list(agreement.categories.all()),
            "terms": agreement.terms,
            "service_levels": agreement.service_levels,
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "kickback_per_contract": Decimal(agreement.kickback_per_contract_cents) / 100,
            "participation_fee": Decimal(agreement.participation_fee_cents) / 100,
            "contact_name": agreement.contact_name,
            "contact_email": agreement.contact_email,
            "contact_phone": agreement.contact_phone,
        }


class CampaignForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    registration_opens_on = forms.DateField(label=_("Registration opens on"), widget=DATE)
    registration_closes_on = forms.DateField(label=_("Registration closes on"), widget=DATE)
    contracts_start_on = forms.DateField(
        label=_("Contracts start on"), widget=DATE, help_text=_("After registration closes.")
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: str(c.display_name)


class OfferForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Preferred supplier"), queryset=None)
    name = forms.CharField(label=_("Name of the offer"), max_length=160)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_community_arrangement = forms.BooleanField(
        label=_("Community arrangement"),
        required=False,
        help_text=_("A bundle for the whole neighbourhood, such as a maintenance subscription."),
    )
    tier_basis = forms.ChoiceField(
        label=_("Price tiers count"), choices=TierBasis.choices, widget=forms.RadioSelect
    )
    min_households = forms.IntegerField(
        label=_("Minimum number of households"),
        min_value=1,
        initial=1,
        help_text=_("The offer only goes ahead with at least this many households."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity (households)"),
        min_value=1,
        required=False,
        help_text=_("Empty: no limit."),
    )
    features = forms.MultipleChoiceField(
        label=_("What the offer guarantees"),
        choices=Feature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Only in these areas"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: the whole neighbourhood."),
    )
    min_usage = forms.IntegerField(label=_("Minimum yearly usage"), min_value=0, required=False)
    max_usage = forms.IntegerField(label=_("Maximum yearly usage"), min_value=0, required=False)
    kickback_per_contract = euros_field(
        _("Kickback to the local fund per contract a year (€)"),
        required=False,
        help_text=_("Empty: the amount of the agreement."),
    )

    def __init__(self, *args, agreements, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].label_from_instance = lambda a: a.supplier.name
        self.fields["areas"].queryset = areas

    def action_fields(self) -> dict:
        data = self.cleaned_data
        kickback = data.get("kickback_per_contract")
        fields = {
            "name": data["name"],
            "description": data["description"],
            "is_community_arrangement": data["is_community_arrangement"],
            "tier_basis": data["tier_basis"],
            "min_households": data["min_households"],
            "capacity": data["capacity"],
            "features": list(data["features"]),
            "min_usage": data["min_usage"],
            "max_usage": data["max_usage"],
        }
        if kickback is not None:
            fields["kickback_per_contract_cents"] = euros_to_cents(kickback)
        return fields

    @staticmethod
    def initial_for(offer: Offer) -> dict:
        return {
            "agreement": offer.agreement_id,
            "name": offer.name,
            "description": offer.description,
            "is_community_arrangement": offer.is_community_arrangement,
            "tier_basis": offer.tier_basis,
            "min_households": offer.min_households,
            "capacity": offer.capacity,
            "features": offer.features,
            "areas": list(offer.areas.all()),
            "min_usage": offer.min_usage,
            "max_usage": offer.max_usage,
            "kickback_per_contract": Decimal(offer.kickback_per_contract_cents) / 100,
        }


class TierForm(forms.Form):
    min_quantity = forms.IntegerField(label=_("From"), required=False)
    max_quantity = forms.IntegerField(label=_("Up to and including"), required=False)
    unit_price = forms.DecimalField(
        label=_("Price per unit (€)"),
        required=False,
        max_digits=14,
        decimal_places=6,
        localize=True,
    )
    fixed_fee = forms.DecimalField(
        label=_("Fixed fee a year (€)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return all(data.get(name) in (None, "") for name in self.fields)


TierFormSet = forms.formset_factory(TierForm, extra=1, min_num=4, max_num=8)


def tiers_from_formset(formset) -> list[TierInput]:
    """Non-empty rows as TierInputs; a row with a missing price or fee is kept so the action can
    name the problem (it never silently drops a half-filled row)."""
    tiers = []
    for form in formset.forms:
        if form.is_blank():
            continue
        data = form.cleaned_data
        price = data.get("unit_price")
        fee = data.get("fixed_fee")
        tiers.append(
            TierInput(
                min_quantity=data.get("min_quantity"),
                max_quantity=data.get("max_quantity"),
                unit_price_micros=price_to_micros(price) if price is not None else None,
                fixed_fee_cents=euros_to_cents(fee) if fee is not None else None,
            )
        )
    return tiers


def tier_initial(offer: Offer | None) -> list[dict]:
    if offer is None:
        return []
    return [
        {
            "min_quantity": t.min_quantity,
            "max_quantity": t.max_quantity,
            "unit_price": Decimal(t.unit_price_micros) / 1_000_000,
            "fixed_fee": Decimal(t.fixed_fee_cents) / 100,
        }
        for t in offer.tiers.all()
    ]


class PledgeForm(forms.Form):
    current_supplier = forms.CharField(label=_("Current supplier"), required=False, max_length=160)
    current_yearly_cost = forms.DecimalField(
        label=_("What you pay a year now (€)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=_("See your last yearly bill."),
    )
    usage = forms.IntegerField(label=_("Your yearly usage"), required=False)
    required_features = forms.MultipleChoiceField(
        label=_("Hard conditions"),
        choices=Feature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only offers that meet every condition you tick are proposed to you."),
    )
    accepts_any_offer = forms.TypedChoiceField(
        label=_("Which offers would you accept?"),
        choices=[("yes", _("Any suitable offer")), ("no", _("Only the offers I choose"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    accepted_offers = forms.ModelMultipleChoiceField(
        label=_("Offers I would accept"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offers, unit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_offers"].queryset = offers
        self.fields["usage"].label = _("Your yearly usage (%(unit)s)") % {"unit": unit_label}

    def action_fields(self) -> dict:
        data = self.cleaned_data
        cost = data.get("current_yearly_cost")
        return {
            "current_supplier": data["current_supplier"],
            "current_yearly_cost_cents": euros_to_cents(cost) if cost is not None else None,
            "usage": data.get("usage"),
            "required_features": list(data["required_features"]),
            "accepts_any_offer": data["accepts_any_offer"],
            "accepted_offers": list(data["accepted_offers"]),
        }


def pledge_initial(pledge) -> dict:
    """The pledge form's starting values for an existing pledge (empty for none or withdrawn)."""
    if pledge is None or pledge.status == "withdrawn":
        return {}
    return {
        "current_supplier": pledge.current_supplier,
        "current_yearly_cost": Decimal(pledge.current_yearly_cost_cents) / 100,
        "usage": pledge.usage,
        "required_features": pledge.required_features,
        "accepts_any_offer": "yes" if pledge.accepts_any_offer else "no",
        "accepted_offers": list(pledge.accepted_offers.all()),
    }


def pledge_form(form_class, data, *, campaign, pledge):
    """A pledge form for the campaign's submitted offers, filled from the existing pledge."""
    return form_class(
        data,
        initial=pledge_initial(pledge),
        offers=campaign.offers.filter(status=Offer.Status.SUBMITTED).select_related("supplier"),
        unit_label=campaign.category.get_usage_unit_display(),
    )


CONSENT_HELP = _(
    "Only for a household that asked you to: at the desk, by phone or on a paper form. "
    "The log records that you did this for them."
)


class OnBehalfPledgeForm(PledgeForm):
    """The pledge form for staff who enter a pledge for a household, with its consent."""

    consent = forms.BooleanField(
        label=_("The household asked me to do this for them"),
        help_text=CONSENT_HELP,
        error_messages={"required": _("Tick that the household asked you to do this.")},
    )


class OnBehalfDecisionForm(forms.Form):
    """Confirm or decline a proposed offer for a household, with its consent."""

    consent = forms.BooleanField(
        label=_("The household told me its decision"),
        help_text=CONSENT_HELP,
        error_messages={"required": _("Tick that the household told you its decision.")},
    )


def apply_errors(form, error: ValidationError) -> None:
    """Put an action's ValidationError on the form: per field when the field exists."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            if target is None and field.endswith("_cents") and field[:-6] in form.fields:
                target = field[:-6]
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
