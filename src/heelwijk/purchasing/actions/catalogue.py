"""Categories and preferred-supplier agreements."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from heelwijk.neighbourhood.models import Organisation

from ..models import Category, SupplierAgreement, UsageUnit
from ._common import record, same_neighbourhood


def category_create(*, actor, neighbourhood, name: str, usage_unit: str, description: str = ""):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    if usage_unit not in UsageUnit.values:
        raise ValidationError({"usage_unit": _("Choose a usage unit from the list.")})
    code = slugify(name)[:40] or "category"
    if Category.objects.filter(neighbourhood=neighbourhood, code=code).exists() or (
        Category.objects.filter(neighbourhood=None, code=code).exists()
    ):
        raise ValidationError({"name": _("There is already a category with this name.")})
    category = Category(
        neighbourhood=neighbourhood,
        code=code,
        name=name,
        usage_unit=usage_unit,
        description=description.strip(),
    )
    category.full_clean()
    with transaction.atomic():
        category.save()
        record(
            neighbourhood=neighbourhood,
            actor=actor,
            action="purchasing_category_create",
            obj=category,
        )
    return category


def _clean_agreement(agreement: SupplierAgreement) -> None:
    errors = {}
    if agreement.supplier.kind == Organisation.Kind.WIJKBEDRIJF:
        errors["supplier"] = _("The wijkbedrijf itself cannot be a preferred supplier.")
    if agreement.ends_on and agreement.ends_on < agreement.starts_on:
        errors["ends_on"] = _("The end date must not be before the start date.")
    if not (agreement.terms or "").strip():
        errors["terms"] = _("Describe the terms of the agreement.")
    if not (agreement.contact_name or "").strip():
        errors["contact_name"] = _("Name a contact person at the supplier.")
    if errors:
        raise ValidationError(errors)
    agreement.full_clean(exclude=["categories"])


def agreement_create(
    *, actor, neighbourhood, supplier, categories=(), **fields
) -> SupplierAgreement:
    same_neighbourhood(neighbourhood, supplier, *[c for c in categories if c.neighbourhood_id])
    agreement = SupplierAgreement(neighbourhood=neighbourhood, supplier=supplier, **fields)
    _clean_agreement(agreement)
    if SupplierAgreement.objects.filter(
        neighbourhood=neighbourhood, supplier=supplier, starts_on=agreement.starts_on
    ).exists():
        raise ValidationError(
            {"starts_on": _("This supplier already has an agreement starting on this day.")}
        )
    with transaction.atomic():
        agreement.save()
        agreement.categories.set(categories)
        record(
            neighbourhood=neighbourhood,
            actor=actor,
            action="purchasing_agreement_create",
            obj=agreement,
            changes={"supplier": supplier},
        )
    return agreement


def agreement_update(*, actor, agreement: SupplierAgreement, categories=None, **fields):
    changes = {}
    for name, value in fields.items():
        if getattr(agreement, name) != value:
            changes[name] = [str(getattr(agreement, name)), str(value)]
            setattr(agreement, name, value)
    _clean_agreement(agreement)
    with transaction.atomic():
        if changes:
            agreement.save()
        if categories is not None:
            same_neighbourhood(
                agreement.neighbourhood, *[c for c in categories if c.neighbourhood_id]
            )
            agreement.categories.set(categories)
        record(
            neighbourhood=agreement.neighbourhood,
            actor=actor,
            action="purchasing_agreement_update",
            obj=agreement,
            changes=changes,
        )
    return agreement
