"""Buying together on a resident's home page: the saving, offers to decide on, campaigns to join."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from heelwijk.web.dashboard import Card

from .money import format_euros
from .selectors import household_overview


def cards(*, user, neighbourhood, household) -> list[Card]:
    if neighbourhood is None or household is None:
        return []
    overview = household_overview(neighbourhood=neighbourhood, household=household)
    found = []
    for result in overview.to_decide:
        campaign = result.run.campaign
        found.append(
            Card(
                title=campaign.title,
                figure=format_euros(result.saving_cents),
                text=_("An offer for your household: %(offer)s saves you this much a year.")
                % {"offer": result.offer.name},
                url=reverse("purchasing:campaign_detail", args=[campaign.pk]),
                link_text=_("Confirm or decline"),
                to_do=True,
            )
        )
    for campaign in overview.to_join:
        found.append(
            Card(
                title=campaign.title,
                text=_("Buy together with the neighbourhood. Sign up before %(date)s.")
                % {"date": formats.date_format(campaign.registration_closes_on, "j F")},
                url=reverse("purchasing:campaign_detail", args=[campaign.pk]),
                link_text=_("See the campaign"),
                to_do=True,
            )
        )
    if overview.contracts:
        found.append(
            Card(
                title=_("Buying together"),
                figure=format_euros(overview.saving_cents),
                text=ngettext(
                    "Your household saves this much a year with %(count)s contract.",
                    "Your household saves this much a year with %(count)s contracts.",
                    overview.contracts,
                )
                % {"count": overview.contracts},
                url=reverse("purchasing:campaign_list"),
                link_text=_("See the campaigns"),
            )
        )
    return found
