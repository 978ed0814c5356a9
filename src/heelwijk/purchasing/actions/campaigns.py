"""Campaigns: open one for a category with a registration window, change it, cancel it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Campaign, Category
from ._common import record


def _clean(campaign: Campaign) -> None:
    errors = {}
    if not (campaign.title or "").strip():
        errors["title"] = _("Give the campaign a title.")
    if (
        campaign.registration_opens_on
        and campaign.registration_closes_on
        and campaign.registration_closes_on < campaign.registration_opens_on
    ):
        errors["registration_closes_on"] = _(
            "Registration must close on or after the day it opens."
        )
    if (
        campaign.contracts_start_on
        and campaign.registration_closes_on
        and campaign.contracts_start_on <= campaign.registration_closes_on
    ):
        errors["contracts_start_on"] = _("Contracts must start after registration closes.")
    category = campaign.category if campaign.category_id else None
    if category is not None and category.neighbourhood_id not in (None, campaign.neighbourhood_id):
        errors["category"] = _("Choose a category of this neighbourhood.")
    if errors:
        raise ValidationError(errors)
    campaign.full_clean()


def campaign_create(*, actor, neighbourhood, category: Category, **fields) -> Campaign:
    campaign = Campaign(neighbourhood=neighbourhood, category=category, created_by=actor, **fields)
    _clean(campaign)
    with transaction.atomic():
        campaign.save()
        record(
            neighbourhood=neighbourhood,
            actor=actor,
            action="purchasing_campaign_create",
            obj=campaign,
        )
    return campaign


def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("Only an open campaign can be changed."))
    changes = {}
    for name, value in fields.items():
        if getattr(campaign, name) != value:
            changes[name] = [str(getattr(campaign, name)), str(value)]
            setattr(campaign, name, value)
    if not changes:
        return campaign
    _clean(campaign)
    with transaction.atomic():
        campaign.save()
        record(
            neighbourhood=campaign.neighbourhood,
            actor=actor,
            action="purchasing_campaign_update",
            obj=campaign,
            changes=changes,
        )
    return campaign


def campaign_cancel(*, actor, campaign: Campaign) -> Campaign:
    if campaign.status == Campaign.Status.CANCELLED:
        raise ValidationError(_("This campaign is already cancelled."))
    if campaign.status == Campaign.Status.CONTRACTED:
        raise ValidationError(_("A campaign whose contracts started cannot be cancelled."))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status in (Campaign.Status.CONTRACTED, Campaign.Status.CANCELLED):
            raise ValidationError(_("A campaign whose contracts started cannot be cancelled."))
        locked.status = Campaign.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        record(
            neighbourhood=locked.neighbourhood,
            actor=actor,
            action="purchasing_campaign_cancel",
            obj=locked,
        )
    campaign.status = locked.status
    return campaign
