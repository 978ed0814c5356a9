"""Forms of the currency pages: they parse what people type; the actions validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from heelwijk.ledger.money import from_minor

from .actions import clean_payment_code
from .amounts import parse_amount, plain_decimal
from .models import (
    PAYMENT_CODE_LENGTH,
    Category,
    Currency,
    CurrencyModel,
    DemurragePeriod,
    TrustRule,
    Wallet,
)
from .selectors import wallet_list


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


class BaseForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AmountField(forms.CharField):
    """Text such as "7,50"; the form turns it into minor units of its currency."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Amount"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)


def _amount(form: forms.Form, currency: Currency, field: str = "amount") -> int:
    text = form.cleaned_data.get(field, "")
    try:
        return parse_amount(text, currency, field=field)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict[field]) from None


def _capitalised(choices: Any) -> list[tuple[str, str]]:
    return [(value, capfirst(label)) for value, label in choices]


# --- paying ----------------------------------------------------------------------------------


class PayForm(BaseForm):
    """Whom to pay (by payment code), how much and what for."""

    to = forms.CharField(
        label=_("Payment code of the receiver"),
        max_length=20,
        help_text=_("The 8 letters and digits under the QR code, e.g. ABCD 2345."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    amount = AmountField()
    description = forms.CharField(label=_("Description (optional)"), max_length=140, required=False)
    category = forms.ChoiceField(label=_("What is it for? (optional)"), required=False)

    def __init__(self, *args: Any, currency: Currency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].help_text = _("In %(currency)s, e.g. 7,50.") % {
            "currency": currency.name
        }
        self.fields["category"].choices = [
            ("", _("As the receiver says")),
            *_capitalised(Category.choices),
        ]

    def clean_to(self) -> str:
        code = clean_payment_code(self.cleaned_data["to"])
        if len(code) != PAYMENT_CODE_LENGTH:
            raise ValidationError(
                _("A payment code has %(n)s letters and digits.") % {"n": PAYMENT_CODE_LENGTH}
            )
        return code

    def clean_amount(self) -> int:
        return _amount(self, self.currency)

    def as_hidden_values(self) -> dict[str, str]:
        """The cleaned values as they travel through the confirmation screen."""
        return {
            "to": self.cleaned_data["to"],
            "amount": plain_decimal(self.cleaned_data["amount"], self.currency),
            "description": self.cleaned_data["description"],
            "category": self.cleaned_data["category"],
        }


class RecipientSearchForm(BaseForm):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=None, required=False, empty_label=_("All areas")
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class RequestForm(BaseForm):
    amount = AmountField()
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=140,
        required=False,
        help_text=_("The payer sees this, e.g. “2 loaves”."),
    )

    def __init__(self, *args: Any, currency: Currency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> int:
        return _amount(self, self.currency)


class RedeemForm(BaseForm):
    amount = AmountField(label=_("Units to exchange"))

    def __init__(self, *args: Any, currency: Currency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].help_text = _(
            "You get the same number of euros minus %(fee)s %% exchange fee."
        ) % {"fee": currency.redemption_fee_percent}

    def clean_amount(self) -> int:
        return _amount(self, self.currency)


# --- earning and issuing ---------------------------------------------------------------------


class WalletChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wallet) -> str:
        area = f" ({obj.area.name})" if obj.area_id else ""
        return f"{obj.name}{area} · {obj.payment_code}"


class CreditHoursForm(BaseForm):
    wallet = WalletChoiceField(label=_("Volunteer"), queryset=None, empty_label=_("Choose…"))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal("200"),
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("For example 2 or 1,5."),
    )
    activity = forms.CharField(
        label=_("Activity"), max_length=120, help_text=_("For example “Repair Café”.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What did the volunteer do?"),
    )
    activity_date = forms.DateField(label=_("Date of the activity"), widget=DateInput())
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, required=False)

    def __init__(
        self, *args: Any, currency: Currency, organisations: Any, staff: bool, **kwargs: Any
    ) -> None:
        """``organisations``: those the user may credit for; ``staff``: may credit for the
        wijkbedrijf itself."""
        super().__init__(*args, **kwargs)
        self.fields["wallet"].queryset = wallet_list(currency=currency).exclude(
            kind=Wallet.Kind.COMMUNITY
        )
        if not organisations.exists():
            del self.fields["organisation"]
            return
        field = self.fields["organisation"]
        field.queryset = organisations
        if staff:
            field.empty_label = _("the wijkbedrijf")
        else:
            field.required = True
            field.empty_label = None


class DepositForm(BaseForm):
    wallet = WalletChoiceField(label=_("Wallet"), queryset=None, empty_label=_("Choose…"))
    amount = AmountField(label=_("Euros received"))
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example “cash at the counter” or a bank reference."),
    )

    def __init__(self, *args: Any, currency: Currency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["wallet"].queryset = wallet_list(currency=currency)

    def clean_amount(self) -> int:
        return _amount(self, self.currency)


# --- settings --------------------------------------------------------------------------------


def _units_field(label: Any, help_text: Any = "", required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=Decimal("1000000"),
        decimal_places=2,
        required=required,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


LIMIT_FIELDS = ("limit_household", "limit_person", "limit_shop", "limit_organisation")


class CurrencyForm(BaseForm):
    """Create a currency or change its settings. Amounts in whole units with two decimals."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z][A-Za-z0-9]{1,9}$",
        max_length=10,
        help_text=_("2 to 10 capitals or digits, e.g. LINDE. Cannot be changed later."),
        error_messages={"invalid": _("Use 2 to 10 capitals or digits, e.g. LINDE.")},
    )
    name = forms.CharField(label=_("Name"), max_length=80)
    symbol = forms.CharField(label=_("Symbol"), max_length=6)
    model = forms.ChoiceField(
        label=_("Model"),
        choices=_capitalised(CurrencyModel.choices),
        help_text=_("How units come into being. Cannot be changed later."),
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(label=_("In use: payments are possible"), required=False)
    resident_wallets = forms.ChoiceField(
        label=_("Wallets of residents"), choices=_capitalised(Currency.ResidentWallets.choices)
    )
    limit_household = _units_field(_("Credit limit of a household"))
    limit_person = _units_field(_("Credit limit of a person"))
    limit_shop = _units_field(_("Credit limit of a shop"))
    limit_organisation = _units_field(_("Credit limit of an organisation"))
    units_per_hour = _units_field(
        _("Units per volunteering hour"), _("A time credit always pays 1 unit per hour.")
    )
    demurrage_rate = forms.DecimalField(
        label=_("Demurrage (% per period)"),
        min_value=Decimal("0"),
        max_value=Decimal("10"),
        decimal_places=3,
        localize=True,
        help_text=_("0 means no demurrage. 0,5 % a month is about 6 % a year."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    demurrage_period = forms.ChoiceField(
        label=_("Demurrage period"), choices=_capitalised(DemurragePeriod.choices)
    )
    demurrage_after_days = forms.IntegerField(
        label=_("Demurrage after (days)"),
        min_value=0,
        max_value=3650,
        help_text=_("Only the part of a balance that was not spent for this many days is charged."),
    )
    demurrage_start = forms.DateField(
        label=_("Demurrage from"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: from today, when a rate is set."),
    )
    expiry_days = forms.IntegerField(
        label=_("Balances expire after (days)"),
        min_value=30,
        max_value=3650,
        required=False,
        help_text=_("Empty: balances never expire."),
    )
    redemption_enabled = forms.BooleanField(
        label=_("Shops can exchange units for euros"),
        required=False,
        help_text=_("Only for a euro-backed voucher."),
    )
    redemption_fee_percent = forms.DecimalField(
        label=_("Exchange fee (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("50"),
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, currency: Currency | None = None, **kwargs: Any) -> None:
        if currency is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(currency)
        super().__init__(*args, **kwargs)
        self.currency = currency
        if currency is not None:
            for name in ("code", "model"):
                self.fields[name].disabled = True
                self.fields[name].required = False
        else:
            self.initial.setdefault("is_active", True)
            self.initial.setdefault("units_per_hour", Decimal("1.00"))
            self.initial.setdefault("demurrage_rate", Decimal("0"))
            self.initial.setdefault("demurrage_after_days", 90)
            self.initial.setdefault("redemption_fee_percent", Decimal("0"))
            for name in LIMIT_FIELDS:
                self.initial.setdefault(name, Decimal("0"))

    @staticmethod
    def initial_for(currency: Currency) -> dict[str, Any]:
        unit = currency.unit
        values: dict[str, Any] = {
            name: getattr(currency, name)
            for name in (
                "code",
                "name",
                "symbol",
                "model",
                "description",
                "is_active",
                "resident_wallets",
                "demurrage_rate",
                "demurrage_period",
                "demurrage_after_days",
                "demurrage_start",
                "expiry_days",
                "redemption_enabled",
                "redemption_fee_percent",
            )
        }
        for name in (*LIMIT_FIELDS, "units_per_hour"):
            values[name] = from_minor(getattr(currency, name), unit)
        return values

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").upper()

    def action_fields(self) -> dict[str, Any]:
        """The cleaned values as the actions take them (units as minor units)."""
        data = dict(self.cleaned_data)
        for name in (*LIMIT_FIELDS, "units_per_hour"):
            value = data.get(name)
            data[name] = int(Decimal(value).scaleb(2)) if value is not None else 0
        if self.currency is not None:
            data.pop("code", None)
            data.pop("model", None)
        return data


class TrustRuleForm(BaseForm):
    wallet_kind = forms.ChoiceField(
        label=_("Kind of wallet"),
        choices=_capitalised(TrustRule._meta.get_field("wallet_kind").choices),
    )
    min_trades = forms.IntegerField(
        label=_("After this many completed trades"), min_value=1, max_value=100000
    )
    credit_limit = _units_field(_("Credit limit"))

    def credit_limit_minor(self) -> int:
        return int(Decimal(self.cleaned_data["credit_limit"]).scaleb(2))


class AuthorisationForm(BaseForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    monthly_hours_cap = forms.DecimalField(
        label=_("At most hours per month (optional)"),
        min_value=Decimal("0.25"),
        max_value=Decimal("10000"),
        decimal_places=2,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class WalletLimitForm(BaseForm):
    credit_limit = _units_field(
        _("Credit limit"),
        _("How far below zero this wallet may go. 0: never below zero."),
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, wallet: Wallet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wallet = wallet
        if wallet.is_community and wallet.currency.allows_credit:
            self.fields["credit_limit"].help_text = _("Empty: no limit.")
        else:
            self.fields["credit_limit"].required = True

    def credit_limit_minor(self) -> int | None:
        value = self.cleaned_data.get("credit_limit")
        return None if value is None else int(Decimal(value).scaleb(2))


class WalletSettingsForm(BaseForm):
    name = forms.CharField(
        label=_("Name"), max_length=160, help_text=_("Others find the wallet by this name.")
    )
    is_listed = forms.BooleanField(label=_("Others can find this wallet by name"), required=False)
    category = forms.ChoiceField(
        label=_("What is paid here"), choices=_capitalised(Category.choices)
    )

    def __init__(self, *args: Any, wallet: Wallet, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"name": wallet.name, "is_listed": wallet.is_listed, "category": wallet.category},
        )
        super().__init__(*args, **kwargs)
        if wallet.is_resident:
            del self.fields["category"]


class HolderSearchForm(BaseForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("household", _("Households")),
            ("person", _("People")),
            ("organisation", _("Organisations and shops")),
        ],
        required=False,
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class WalletFilterForm(BaseForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, area or payment code."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *_capitalised(Wallet.Kind.choices)]


class AsOfForm(BaseForm):
    tot = forms.DateField(
        label=_("Figures up to and including"), required=False, widget=DateInput()
    )
