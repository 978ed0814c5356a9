"""Login form that asks for an e-mail address."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("This e-mail address and password do not match. Try again."),
        "inactive": _("This account is not active."),
    }

    def clean_username(self) -> str:
        # E-mail addresses are stored in lower case; accept any capitals the user types.
        return self.cleaned_data["username"].strip().lower()
