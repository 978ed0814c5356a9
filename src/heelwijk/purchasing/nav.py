from django.utils.translation import gettext_lazy as _

from heelwijk.web.nav import NavItem

ITEMS = [
    NavItem("purchasing:campaign_list", _("Buying together"), "purchasing.view_campaigns"),
    NavItem("purchasing:supplier_list", _("Preferred suppliers"), "purchasing.manage_suppliers"),
    NavItem("purchasing:supplier_portal", _("For suppliers"), "purchasing.use_supplier_portal"),
]
