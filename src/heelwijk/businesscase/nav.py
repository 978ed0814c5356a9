"""Menu items of the business case app."""

from django.utils.translation import gettext_lazy as _

from heelwijk.web.nav import NavItem

ITEMS = [
    NavItem("businesscase:opgave_list", _("Opgaven"), "businesscase.list_opgaven"),
    NavItem("businesscase:report_list", _("Business cases"), "businesscase.list_reports"),
    NavItem(
        "businesscase:reference_list",
        _("Reference values"),
        "businesscase.view_reference_values",
    ),
]
