"""Menu items of the ledger: the books for staff, "My accounts" for residents."""

from django.utils.translation import gettext_lazy as _

from heelwijk.web.nav import NavItem

ITEMS = [
    NavItem("ledger:my_accounts", _("My accounts"), "ledger.view_own_accounts"),
    NavItem("ledger:account_list", _("Ledger"), "ledger.view_books"),
]
