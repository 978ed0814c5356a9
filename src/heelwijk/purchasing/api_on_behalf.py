"""API for staff who pledge, confirm, decline or withdraw for a household that asked them to.

Every write needs ``household_consent: true``: staff only act for a household on its request,
and the audit trail records that the step was taken on the household's behalf.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from heelwijk.neighbourhood.models import Household
from heelwijk.neighbourhood.selectors import household_detail

from . import actions, selectors
from .api import PledgeIn, PledgeOut, _campaign, _pledge_out, _require, save_pledge_for

router = Router(tags=["purchasing"])

PERMISSION = "purchasing.pledge_on_behalf"
CONSENT = "true when the household asked staff to take this step for it (required)"


class OnBehalfPledgeIn(PledgeIn):
    household_consent: bool = Field(False, description=CONSENT)


class ConsentIn(Schema):
    household_consent: bool = Field(False, description=CONSENT)


def _target(request, campaign_id: int, household_id: int):
    campaign = _campaign(request, campaign_id)
    _require(request, PERMISSION, campaign)
    try:
        household = household_detail(
            neighbourhood=campaign.neighbourhood, household_id=household_id
        )
    except Household.DoesNotExist:
        raise Http404 from None
    return campaign, household


def _require_consent(given: bool) -> None:
    if not given:
        raise ValidationError(
            {
                "household_consent": _(
                    "Only act for a household that asked you to: set household_consent to true."
                )
            }
        )


def _pledge(campaign, household):
    pledge = selectors.pledge_of(campaign=campaign, household=household)
    if pledge is None:
        raise Http404
    return pledge


PATH = "/campaigns/{campaign_id}/households/{household_id}/pledge"


@router.get(PATH, response=PledgeOut)
def household_pledge(request, campaign_id: int, household_id: int):
    campaign, household = _target(request, campaign_id, household_id)
    return _pledge_out(_pledge(campaign, household))


@router.put(PATH, response=PledgeOut)
def save_household_pledge(request, campaign_id: int, household_id: int, payload: OnBehalfPledgeIn):
    campaign, household = _target(request, campaign_id, household_id)
    _require_consent(payload.household_consent)
    return save_pledge_for(request, campaign, household, payload, on_behalf=True)


def _step(request, campaign_id: int, household_id: int, payload: ConsentIn, action) -> dict:
    campaign, household = _target(request, campaign_id, household_id)
    _require_consent(payload.household_consent)
    pledge = _pledge(campaign, household)
    return _pledge_out(action(actor=request.user, pledge=pledge, on_behalf=True))


@router.post(PATH + "/confirm", response=PledgeOut)
def confirm_household_pledge(request, campaign_id: int, household_id: int, payload: ConsentIn):
    return _step(request, campaign_id, household_id, payload, actions.pledge_confirm)


@router.post(PATH + "/decline", response=PledgeOut)
def decline_household_pledge(request, campaign_id: int, household_id: int, payload: ConsentIn):
    return _step(request, campaign_id, household_id, payload, actions.pledge_decline)


@router.post(PATH + "/withdraw", response=PledgeOut)
def withdraw_household_pledge(request, campaign_id: int, household_id: int, payload: ConsentIn):
    return _step(request, campaign_id, household_id, payload, actions.pledge_withdraw)
