"""The built-in purchasing categories, with translatable names (seeded by a data migration)."""

from django.utils.translation import gettext_lazy as _

# code -> (name, usage unit). The data migration stores the same codes; the name shown in the
# interface comes from here so it can be translated.
BUILTIN_CATEGORIES = {
    "electricity": (_("Electricity"), "kwh"),
    "gas": (_("Gas"), "m3"),
    "health_cover": (_("Supplementary health cover"), "person"),
    "internet_tv": (_("Internet and TV"), "month"),
    "home_insurance": (_("Home and liability insurance"), "household"),
    "home_maintenance": (_("Home maintenance"), "household"),
    "grocery_boxes": (_("Grocery boxes"), "household"),
    "shared_mobility": (_("Shared mobility"), "person"),
    "care_services": (_("Care services"), "month"),
}
