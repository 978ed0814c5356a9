"""Household pledges: conditional until the household confirms its proposed offer."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AllocationResult, AllocationRun, Campaign, Feature, Offer, Pledge
from ._common import record, same_neighbourhood


def pledge_save(
    *,
    actor,
    campaign: Campaign,
    household,
    current_yearly_cost_cents: int | None,
    usage: int | None,
    current_supplier: str = "",
    required_features=(),
    accepts_any_offer: bool = True,
    accepted_offers=(),
    on_behalf: bool = False,
) -> Pledge:
    """Create or change the household's pledge while registration is open.

    ``on_behalf`` marks a pledge that staff entered for the household (at the desk, by phone or
    from a paper form, with the household's consent); the audit trail records it.
    """
    same_neighbourhood(campaign.neighbourhood, household, *accepted_offers)
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not campaign.registration_is_open():
        add("__all__", _("Registration for this campaign is closed."))
    unit = campaign.category.get_usage_unit_display()
    if usage is None:
        add(
            "usage",
            _("Fill in your yearly usage (in %(unit)s): without it no offer can be calculated.")
            % {"unit": unit},
        )
    elif usage < 1:
        add("usage", _("The yearly usage must be at least 1 %(unit)s.") % {"unit": unit})
    if current_yearly_cost_cents is None:
        add("current_yearly_cost_cents", _("Fill in what you pay a year now."))
    elif current_yearly_cost_cents <= 0:
        add("current_yearly_cost_cents", _("What you pay a year now must be more than zero."))
    features = sorted(set(required_features or []))
    if any(f not in Feature.values for f in features):
        add("required_features", _("Choose conditions from the list."))
    accepted = list(accepted_offers)
    if any(o.campaign_id != campaign.pk or o.status != Offer.Status.SUBMITTED for o in accepted):
        add("accepted_offers", _("Choose offers of this campaign."))
    if not accepts_any_offer and not accepted:
        add(
            "accepted_offers",
            _("Choose at least one offer you would accept, or accept any suitable offer."),
        )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        pledge = (
            Pledge.objects.select_for_update()
            .filter(campaign=campaign, household=household)
            .first()
        )
        created = pledge is None
        if created:
            pledge = Pledge(
                neighbourhood=campaign.neighbourhood, campaign=campaign, household=household
            )
            pledge.created_by = actor if getattr(actor, "is_authenticated", False) else None
        pledge.current_supplier = (current_supplier or "").strip()[:160]
        pledge.current_yearly_cost_cents = current_yearly_cost_cents
        pledge.usage = usage
        pledge.required_features = features
        pledge.accepts_any_offer = accepts_any_offer
        pledge.status = Pledge.Status.CONDITIONAL
        pledge.full_clean(exclude=["accepted_offers"])
        pledge.save()
        pledge.accepted_offers.set([] if accepts_any_offer else accepted)
        record(
            neighbourhood=campaign.neighbourhood,
            actor=actor,
            action="purchasing_pledge_create" if created else "purchasing_pledge_update",
            obj=pledge,
            changes={
                "usage": usage,
                "current_yearly_cost_cents": current_yearly_cost_cents,
                "required_features": features,
                "accepts_any_offer": accepts_any_offer,
                "on_behalf": on_behalf,
            },
        )
    return pledge


def pledge_withdraw(*, actor, pledge: Pledge, on_behalf: bool = False) -> Pledge:
    if not pledge.campaign.registration_is_open():
        raise ValidationError(
            _("Registration is closed; after the proposal you can decline instead.")
        )
    with transaction.atomic():
        pledge.status = Pledge.Status.WITHDRAWN
        pledge.save(update_fields=["status", "updated_at"])
        record(
            neighbourhood=pledge.neighbourhood,
            actor=actor,
            action="purchasing_pledge_withdraw",
            obj=pledge,
            changes={"on_behalf": on_behalf},
        )
    return pledge


def proposal_for(pledge: Pledge) -> AllocationResult | None:
    return (
        AllocationResult.objects.filter(
            pledge=pledge, run__kind=AllocationRun.Kind.PROPOSAL, run__is_current=True
        )
        .select_related("offer")
        .first()
    )


def _decide(*, actor, pledge: Pledge, status: str, action: str, on_behalf: bool) -> Pledge:
    if pledge.campaign.status != Campaign.Status.PROPOSED:
        raise ValidationError(_("You can only confirm or decline while the proposal is open."))
    if pledge.status == Pledge.Status.WITHDRAWN:
        raise PermissionDenied
    result = proposal_for(pledge)
    if result is None or result.offer_id is None:
        raise ValidationError(_("There is no proposed offer for your household to confirm."))
    with transaction.atomic():
        pledge.status = status
        pledge.decided_at = timezone.now()
        pledge.save(update_fields=["status", "decided_at", "updated_at"])
        record(
            neighbourhood=pledge.neighbourhood,
            actor=actor,
            action=action,
            obj=pledge,
            changes={
                "offer": result.offer_id,
                "saving_cents": result.saving_cents,
                "on_behalf": on_behalf,
            },
        )
    return pledge


def pledge_confirm(*, actor, pledge: Pledge, on_behalf: bool = False) -> Pledge:
    return _decide(
        actor=actor,
        pledge=pledge,
        status=Pledge.Status.CONFIRMED,
        action="purchasing_pledge_confirm",
        on_behalf=on_behalf,
    )


def pledge_decline(*, actor, pledge: Pledge, on_behalf: bool = False) -> Pledge:
    return _decide(
        actor=actor,
        pledge=pledge,
        status=Pledge.Status.DECLINED,
        action="purchasing_pledge_decline",
        on_behalf=on_behalf,
    )
