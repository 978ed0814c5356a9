from django.utils.translation import gettext_lazy as _

from heelwijk.web.nav import NavItem

ITEMS = [
    NavItem("currency:home", _("Wallet"), "currency.use_wallets"),
    NavItem("currency:manage", _("Local currency"), "currency.manage_currency"),
]
