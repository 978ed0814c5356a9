from django.utils.translation import gettext_lazy as _

from heelwijk.web.nav import NavItem

ITEMS = [
    NavItem("neighbourhood:overview", _("Staff"), "neighbourhood.view_staff_pages"),
    NavItem("neighbourhood:household_list", _("Households"), "neighbourhood.list_households"),
    NavItem("neighbourhood:person_list", _("People"), "neighbourhood.list_people"),
    NavItem(
        "neighbourhood:organisation_list", _("Organisations"), "neighbourhood.list_organisations"
    ),
]
