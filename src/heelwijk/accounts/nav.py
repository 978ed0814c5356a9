"""Menu items of the accounts app."""

from django.utils.translation import gettext_lazy as _

from heelwijk.web.nav import NavItem

ITEMS = [NavItem("token_list", _("API tokens"), "accounts.manage_api_tokens")]
