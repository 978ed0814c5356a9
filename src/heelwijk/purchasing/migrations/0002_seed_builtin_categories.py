"""Seed the built-in purchasing categories every neighbourhood can use."""

from django.db import migrations

BUILTIN = [
    ("electricity", "Electricity", "kwh"),
    ("gas", "Gas", "m3"),
    ("health_cover", "Supplementary health cover", "person"),
    ("internet_tv", "Internet and TV", "month"),
    ("home_insurance", "Home and liability insurance", "household"),
    ("home_maintenance", "Home maintenance", "household"),
    ("grocery_boxes", "Grocery boxes", "household"),
    ("shared_mobility", "Shared mobility", "person"),
    ("care_services", "Care services", "month"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("purchasing", "Category")
    for code, name, unit in BUILTIN:
        Category.objects.get_or_create(
            neighbourhood=None, code=code, defaults={"name": name, "usage_unit": unit}
        )


def unseed(apps, schema_editor):
    Category = apps.get_model("purchasing", "Category")
    Category.objects.filter(neighbourhood=None, code__in=[c for c, _, _ in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("purchasing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
