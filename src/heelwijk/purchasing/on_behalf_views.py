"""Pages for staff who pledge, confirm, decline or withdraw for a household that asked them to.

Many residents do not use the website; they come to the desk, phone or hand in a paper form.
Staff then act for the household: every step asks them to tick that the household asked for it,
and the audit trail records that it was done on the household's behalf.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from heelwijk.neighbourhood.models import Household
from heelwijk.neighbourhood.selectors import household_detail

from . import actions, selectors
from .forms import OnBehalfDecisionForm, OnBehalfPledgeForm, apply_errors, pledge_form
from .models import Campaign, Pledge
from .views import _campaign, _page, _require

PERMISSION = "purchasing.pledge_on_behalf"


def _household(campaign: Campaign, household_id: int) -> Household:
    try:
        return household_detail(neighbourhood=campaign.neighbourhood, household_id=household_id)
    except Household.DoesNotExist:
        raise Http404 from None


@login_required
def household_list(request, pk: int):
    campaign = _campaign(request, pk)
    _require(request, PERMISSION, campaign)
    search = request.GET.get("q", "").strip()
    page = _page(
        request, selectors.households_for_assisted_pledging(campaign=campaign, search=search)
    )
    labels = dict(Pledge.Status.choices)
    for household in page.object_list:
        household.pledge_label = labels.get(household.pledge_status, _("no pledge"))
    return render(
        request,
        "purchasing/on_behalf_list.html",
        {
            "campaign": campaign,
            "page": page,
            "search": search,
            "registration_open": campaign.registration_is_open(),
        },
    )


@login_required
def pledge_for_household(request, pk: int, household_id: int):
    campaign = _campaign(request, pk)
    _require(request, PERMISSION, campaign)
    household = _household(campaign, household_id)
    pledge = selectors.pledge_of(campaign=campaign, household=household)
    form = pledge_form(OnBehalfPledgeForm, request.POST or None, campaign=campaign, pledge=pledge)
    if request.method == "POST" and form.is_valid():
        try:
            actions.pledge_save(
                actor=request.user,
                campaign=campaign,
                household=household,
                on_behalf=True,
                **form.action_fields(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The pledge of the household at %(address)s is saved.")
                % {"address": household.address},
            )
            return redirect(
                "purchasing:on_behalf_household", pk=campaign.pk, household_id=household.pk
            )
    run = selectors.current_run(campaign=campaign)
    result = selectors.result_of(run=run, pledge=pledge)
    active = pledge is not None and pledge.status != Pledge.Status.WITHDRAWN
    return render(
        request,
        "purchasing/on_behalf_pledge.html",
        {
            "campaign": campaign,
            "household": household,
            "pledge": pledge,
            "form": form,
            "result": result,
            "explanation": selectors.explain_result(result) if result else "",
            "registration_open": campaign.registration_is_open(),
            "can_withdraw": active and campaign.registration_is_open(),
            "can_decide": active
            and campaign.status == Campaign.Status.PROPOSED
            and result is not None
            and result.offer_id is not None,
            "decision_form": OnBehalfDecisionForm(prefix="decide"),
            "withdraw_form": OnBehalfDecisionForm(prefix="withdraw"),
        },
    )


# URL step (Dutch, like the other addresses) → action and the message after it.
STEPS = {
    "bevestigen": (
        actions.pledge_confirm,
        gettext_lazy("You confirmed the offer for the household."),
    ),
    "afzien": (actions.pledge_decline, gettext_lazy("You declined the offer for the household.")),
    "intrekken": (actions.pledge_withdraw, gettext_lazy("You withdrew the household's pledge.")),
}


@login_required
@require_POST
def decide_for_household(request, pk: int, household_id: int, step: str):
    campaign = _campaign(request, pk)
    _require(request, PERMISSION, campaign)
    household = _household(campaign, household_id)
    pledge = selectors.pledge_of(campaign=campaign, household=household)
    if pledge is None or step not in STEPS:
        raise Http404
    action, success = STEPS[step]
    prefix = "withdraw" if step == "intrekken" else "decide"
    form = OnBehalfDecisionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        for message in form.errors.get("consent", []):
            messages.error(request, message)
    else:
        try:
            action(actor=request.user, pledge=pledge, on_behalf=True)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(success))
    return redirect("purchasing:on_behalf_household", pk=campaign.pk, household_id=household.pk)
