"""Allocation of a campaign: build the problem from the database, solve, check, store.

The solver runs outside any database transaction (it may take seconds). Before storing, the
campaign row is locked and the pledges and offers are compared with what was solved; if anything
changed meanwhile the run is refused and nothing is saved.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from ..allocation import (
    AllocationCheckFailed,
    HouseholdSpec,
    OfferSpec,
    Problem,
    SolverFailed,
    Tier,
    TierBasis,
    allocate,
)
from ..allocation.reasons import unplaced_reason, why_nothing_goes_ahead
from ..models import (
    AllocationResult,
    AllocationRun,
    Campaign,
    Offer,
    OfferOutcome,
    Pledge,
)
from ._common import record


@dataclass(frozen=True)
class _Snapshot:
    problem: Problem
    pledges: dict[int, Pledge]
    offers: dict[int, Offer]
    fingerprint: tuple


def _fingerprint(campaign: Campaign, statuses: list[str]) -> tuple:
    pledges = Pledge.objects.filter(campaign=campaign, status__in=statuses).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    offers = Offer.objects.filter(campaign=campaign, status=Offer.Status.SUBMITTED).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    return (pledges["n"], pledges["last"], offers["n"], offers["last"])


def campaign_problem(campaign: Campaign, *, statuses: list[str]) -> _Snapshot:
    """The campaign as a pure allocation problem (pledge ids stand for households)."""
    offers = {
        o.pk: o
        for o in Offer.objects.filter(campaign=campaign, status=Offer.Status.SUBMITTED)
        .select_related("supplier")
        .prefetch_related("tiers", "areas")
        .order_by("pk")
    }
    pledges = {
        p.pk: p
        for p in Pledge.objects.filter(campaign=campaign, status__in=statuses)
        .select_related("household")
        .prefetch_related("accepted_offers")
        .order_by("pk")
    }
    offer_specs = tuple(
        OfferSpec(
            id=o.pk,
            tiers=tuple(
                Tier(t.min_quantity, t.max_quantity, t.unit_price_micros, t.fixed_fee_cents)
                for t in sorted(o.tiers.all(), key=lambda t: t.position)
            ),
            basis=TierBasis(o.tier_basis),
            min_households=o.min_households,
            capacity=o.capacity,
            features=frozenset(o.features),
            area_ids=frozenset(a.pk for a in o.areas.all()),
            min_usage=o.min_usage,
            max_usage=o.max_usage,
        )
        for o in offers.values()
    )
    household_specs = tuple(
        HouseholdSpec(
            id=p.pk,
            usage=p.usage,
            current_cost_cents=p.current_yearly_cost_cents,
            required_features=frozenset(p.required_features),
            area_id=p.household.area_id,
            accepts=None
            if p.accepts_any_offer
            else frozenset(o.pk for o in p.accepted_offers.all()),
        )
        for p in pledges.values()
    )
    return _Snapshot(
        problem=Problem(households=household_specs, offers=offer_specs),
        pledges=pledges,
        offers=offers,
        fingerprint=_fingerprint(campaign, statuses),
    )


def _no_allocation_error(snapshot: _Snapshot) -> ValidationError:
    lines = [_("No feasible allocation: no offer can go ahead, so nobody would be placed.")]
    for offer_id, could, needed in why_nothing_goes_ahead(snapshot.problem):
        offer = snapshot.offers[offer_id]
        lines.append(
            _("%(offer)s: %(could)s household(s) could join and save, at least %(needed)s needed.")
            % {"offer": offer, "could": could, "needed": needed}
        )
    return ValidationError(lines)


def _solve(snapshot: _Snapshot):
    if not snapshot.offers:
        raise ValidationError(_("This campaign has no offers yet, so nothing can be allocated."))
    if not snapshot.pledges:
        raise ValidationError(_("No household has pledged yet, so nothing can be allocated."))
    try:
        outcome = allocate(
            snapshot.problem,
            time_limit=settings.HEELWIJK_PURCHASING_TIME_LIMIT,
            mip_rel_gap=settings.HEELWIJK_PURCHASING_GAP,
        )
    except (SolverFailed, AllocationCheckFailed) as exc:
        raise ValidationError(
            _("The allocation could not be computed reliably (%(reason)s). Nothing was saved.")
            % {"reason": exc}
        ) from exc
    if not outcome.optimal.assignments:
        raise _no_allocation_error(snapshot)
    return outcome


def _store(*, actor, campaign: Campaign, kind: str, snapshot: _Snapshot, outcome) -> AllocationRun:
    optimal, greedy = outcome.optimal, outcome.greedy
    placed = optimal.by_household()
    greedy_placed = greedy.by_household()
    AllocationRun.objects.filter(campaign=campaign, kind=kind, is_current=True).update(
        is_current=False
    )
    kickback = sum(
        snapshot.offers[a.offer_id].kickback_per_contract_cents for a in optimal.assignments
    )
    run = AllocationRun.objects.create(
        neighbourhood=campaign.neighbourhood,
        campaign=campaign,
        kind=kind,
        solver_status=optimal.status.value,
        solve_milliseconds=int(optimal.seconds * 1000),
        gap_ppm=None if optimal.gap is None else round(optimal.gap * 1_000_000),
        households_considered=len(snapshot.pledges),
        households_placed=len(optimal.assignments),
        total_saving_cents=optimal.total_saving_cents,
        total_kickback_cents=kickback,
        greedy_households_placed=len(greedy.assignments),
        greedy_saving_cents=greedy.total_saving_cents,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    outcomes = []
    for offer_id, offer in snapshot.offers.items():
        members = [a for a in optimal.assignments if a.offer_id == offer_id]
        outcomes.append(
            OfferOutcome(
                run=run,
                offer=offer,
                tier_position=optimal.offer_tiers.get(offer_id),
                households=len(members),
                volume=sum(snapshot.pledges[a.household_id].usage for a in members),
                saving_cents=sum(a.saving_cents for a in members),
                kickback_cents=len(members) * offer.kickback_per_contract_cents,
                greedy_tier_position=greedy.offer_tiers.get(offer_id),
                greedy_households=sum(1 for a in greedy.assignments if a.offer_id == offer_id),
            )
        )
    OfferOutcome.objects.bulk_create(outcomes)
    results = []
    for spec in snapshot.problem.households:
        pledge = snapshot.pledges[spec.id]
        a = placed.get(spec.id)
        g = greedy_placed.get(spec.id)
        results.append(
            AllocationResult(
                run=run,
                pledge=pledge,
                household_id=pledge.household_id,
                offer_id=a.offer_id if a else None,
                tier_position=a.tier_index if a else None,
                yearly_cost_cents=a.yearly_cost_cents if a else None,
                saving_cents=a.saving_cents if a else 0,
                reason=AllocationResult.Reason.PLACED
                if a
                else unplaced_reason(snapshot.problem, optimal, spec),
                greedy_offer_id=g.offer_id if g else None,
                greedy_saving_cents=g.saving_cents if g else 0,
            )
        )
    AllocationResult.objects.bulk_create(results, batch_size=1000)
    return run


def _run(*, actor, campaign: Campaign, kind: str, allowed: str, statuses: list[str], next_status):
    if campaign.status != allowed:
        raise ValidationError(_("This step is not possible in the campaign's current state."))
    snapshot = campaign_problem(campaign, statuses=statuses)
    if kind == AllocationRun.Kind.FINAL and not snapshot.pledges:
        raise ValidationError(_("No household has confirmed yet, so there is nothing to finalise."))
    outcome = _solve(snapshot)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != allowed or _fingerprint(locked, statuses) != snapshot.fingerprint:
            raise ValidationError(
                _("Pledges or offers changed while the allocation was computed. Run it again.")
            )
        run = _store(actor=actor, campaign=locked, kind=kind, snapshot=snapshot, outcome=outcome)
        locked.status = next_status
        locked.save(update_fields=["status", "updated_at"])
        record(
            neighbourhood=locked.neighbourhood,
            actor=actor,
            action=f"purchasing_allocation_{kind}",
            obj=run,
            changes={
                "households_placed": run.households_placed,
                "total_saving_cents": run.total_saving_cents,
                "greedy_saving_cents": run.greedy_saving_cents,
                "solver_status": run.solver_status,
            },
        )
    campaign.status = next_status
    return run


def allocation_propose(*, actor, campaign: Campaign) -> AllocationRun:
    """Close registration and propose an offer to every pledging household that can save."""
    return _run(
        actor=actor,
        campaign=campaign,
        kind=AllocationRun.Kind.PROPOSAL,
        allowed=Campaign.Status.OPEN,
        statuses=[Pledge.Status.CONDITIONAL],
        next_status=Campaign.Status.PROPOSED,
    )


def allocation_finalise(*, actor, campaign: Campaign) -> AllocationRun:
    """Re-optimise for the households that confirmed; the result is what contracts start from."""
    return _run(
        actor=actor,
        campaign=campaign,
        kind=AllocationRun.Kind.FINAL,
        allowed=Campaign.Status.PROPOSED,
        statuses=[Pledge.Status.CONFIRMED],
        next_status=Campaign.Status.FINAL,
    )
