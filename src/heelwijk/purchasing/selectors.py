"""Reads of the purchasing app that pages, API and exports share. Always scoped by neighbourhood."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.models import Household, Organisation
from heelwijk.neighbourhood.selectors import household_list

from .models import (
    AllocationResult,
    AllocationRun,
    Campaign,
    Category,
    Contract,
    Offer,
    OfferOutcome,
    Pledge,
    SupplierAgreement,
    SupplierSettlement,
    TierBasis,
)
from .money import format_euros


def category_list(*, neighbourhood) -> QuerySet[Category]:
    return Category.objects.filter(
        Q(neighbourhood__isnull=True) | Q(neighbourhood=neighbourhood)
    ).order_by("neighbourhood_id", "name")


def agreement_list(*, neighbourhood) -> QuerySet[SupplierAgreement]:
    return (
        SupplierAgreement.objects.filter(neighbourhood=neighbourhood)
        .select_related("supplier")
        .prefetch_related("categories")
        .order_by("supplier__name", "-starts_on", "pk")
    )


def agreements_for_user(*, user, neighbourhood) -> QuerySet[SupplierAgreement]:
    """Agreements the user may submit offers under: all for staff, their own for suppliers."""
    access = access_for(user)
    qs = agreement_list(neighbourhood=neighbourhood)
    if access.is_superuser or access.is_staff(neighbourhood.pk):
        return qs
    return qs.filter(supplier_id__in=access.organisation_ids(neighbourhood.pk))


def supplier_candidates(*, neighbourhood) -> QuerySet[Organisation]:
    return Organisation.objects.filter(neighbourhood=neighbourhood).exclude(
        kind=Organisation.Kind.WIJKBEDRIJF
    )


def campaign_list(*, neighbourhood, status: str = "") -> QuerySet[Campaign]:
    qs = (
        Campaign.objects.filter(neighbourhood=neighbourhood)
        .select_related("category")
        .annotate(
            pledge_count=Count(
                "pledges", filter=~Q(pledges__status=Pledge.Status.WITHDRAWN), distinct=True
            ),
            offer_count=Count(
                "offers", filter=Q(offers__status=Offer.Status.SUBMITTED), distinct=True
            ),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-registration_opens_on", "-pk")


def campaign_detail(*, neighbourhood, campaign_id: int) -> Campaign:
    return Campaign.objects.select_related("category", "neighbourhood").get(
        neighbourhood=neighbourhood, pk=campaign_id
    )


def offers_for_user(*, user, campaign: Campaign) -> QuerySet[Offer]:
    """Staff see every offer; a supplier only its own; residents the submitted ones."""
    qs = (
        Offer.objects.filter(campaign=campaign)
        .select_related("supplier", "agreement")
        .prefetch_related("tiers", "areas")
        .order_by("supplier__name", "name", "pk")
    )
    access = access_for(user)
    nid = campaign.neighbourhood_id
    if access.is_superuser or access.is_staff(nid):
        return qs
    own = access.organisation_ids(nid)
    visible = Q(supplier_id__in=own)
    if nid in access.resident_of:
        visible |= Q(status=Offer.Status.SUBMITTED)
    return qs.filter(visible)


def offer_detail(*, neighbourhood, offer_id: int) -> Offer:
    return (
        Offer.objects.select_related("campaign", "campaign__category", "supplier", "agreement")
        .prefetch_related("tiers", "areas")
        .get(neighbourhood=neighbourhood, pk=offer_id)
    )


def household_of(*, user, neighbourhood) -> Household | None:
    person = access_for(user).person
    if person is None or not person.household_id or person.neighbourhood_id != neighbourhood.pk:
        return None
    return Household.objects.get(pk=person.household_id)


def pledge_of(*, campaign: Campaign, household: Household | None) -> Pledge | None:
    if household is None:
        return None
    return (
        Pledge.objects.filter(campaign=campaign, household=household)
        .prefetch_related("accepted_offers")
        .first()
    )


def households_for_assisted_pledging(*, campaign: Campaign, search: str = "") -> QuerySet:
    """Households of the campaign's neighbourhood with their pledge status for it (or None).

    For staff who register pledges on a household's behalf; the search is the one of the
    household list (postcode, house number, street, town or a member's name).
    """
    status = Pledge.objects.filter(campaign=campaign, household=OuterRef("pk")).values("status")
    return household_list(neighbourhood=campaign.neighbourhood, search=search).annotate(
        pledge_status=Subquery(status[:1])
    )


@dataclass
class HouseholdOverview:
    """What buying together means for one household now (for its home page)."""

    contracts: int
    saving_cents: int  # a year, summed over its contracts
    to_decide: list  # AllocationResults of open proposals the household has not decided on
    to_join: list  # campaigns open for registration the household has not pledged for


def household_overview(*, neighbourhood, household: Household, limit: int = 3) -> HouseholdOverview:
    """Three queries, whatever the number of campaigns or contracts."""
    contracts = Contract.objects.filter(neighbourhood=neighbourhood, household=household).aggregate(
        count=Count("pk"), saving=Sum("saving_cents")
    )
    to_decide = list(
        AllocationResult.objects.filter(
            household=household,
            offer__isnull=False,
            run__kind=AllocationRun.Kind.PROPOSAL,
            run__is_current=True,
            run__campaign__neighbourhood=neighbourhood,
            run__campaign__status=Campaign.Status.PROPOSED,
            pledge__status=Pledge.Status.CONDITIONAL,
        )
        .select_related("run__campaign", "offer")
        .order_by("run__campaign__title", "pk")[:limit]
    )
    today = timezone.localdate()
    pledged = Pledge.objects.filter(household=household).exclude(status=Pledge.Status.WITHDRAWN)
    to_join = list(
        Campaign.objects.filter(
            neighbourhood=neighbourhood,
            status=Campaign.Status.OPEN,
            registration_opens_on__lte=today,
            registration_closes_on__gte=today,
        )
        .exclude(pk__in=pledged.values("campaign_id"))
        .order_by("registration_closes_on", "pk")[:limit]
    )
    return HouseholdOverview(
        contracts=contracts["count"],
        saving_cents=contracts["saving"] or 0,
        to_decide=to_decide,
        to_join=to_join,
    )


def current_run(*, campaign: Campaign, kind: str | None = None) -> AllocationRun | None:
    """The current run of a kind; without a kind the final one if made, else the proposal."""
    runs = AllocationRun.objects.filter(campaign=campaign, is_current=True)
    if kind:
        return runs.filter(kind=kind).first()
    return (
        runs.filter(kind=AllocationRun.Kind.FINAL).first()
        or runs.filter(kind=AllocationRun.Kind.PROPOSAL).first()
    )


def result_of(*, run: AllocationRun | None, pledge: Pledge | None) -> AllocationResult | None:
    if run is None or pledge is None:
        return None
    return (
        AllocationResult.objects.filter(run=run, pledge=pledge)
        .select_related("offer", "offer__supplier", "pledge", "run", "run__campaign__category")
        .first()
    )


def results_of(*, run: AllocationRun, search: str = "", placed: str = "") -> QuerySet:
    qs = AllocationResult.objects.filter(run=run).select_related(
        "household", "offer", "offer__supplier", "pledge", "greedy_offer"
    )
    if placed == "yes":
        qs = qs.filter(offer__isnull=False)
    elif placed == "no":
        qs = qs.filter(offer__isnull=True)
    for term in search.split():
        qs = qs.filter(
            Q(household__street__icontains=term)
            | Q(household__postcode__icontains=term)
            | Q(offer__name__icontains=term)
            | Q(offer__supplier__name__icontains=term)
        )
    return qs.order_by("household__street", "household__house_number", "pk")


def outcomes_of(*, run: AllocationRun) -> QuerySet[OfferOutcome]:
    return (
        OfferOutcome.objects.filter(run=run)
        .select_related("offer", "offer__supplier")
        .prefetch_related("offer__tiers")
        .order_by("offer__supplier__name", "offer__name", "pk")
    )


@dataclass(frozen=True)
class CampaignTotals:
    households_pledged: int
    households_confirmed: int
    households_saving: int
    saving_cents: int
    kickback_cents: int
    greedy_saving_cents: int | None
    contracts: int
    stage: str  # "none", "proposal", "final", "contracts"


def campaign_totals(*, campaign: Campaign) -> CampaignTotals:
    """Neighbourhood totals: households saving, euros saved a year, kickback to the local fund."""
    pledges = Pledge.objects.filter(campaign=campaign).exclude(status=Pledge.Status.WITHDRAWN)
    counts = pledges.aggregate(
        n=Count("pk"), confirmed=Count("pk", filter=Q(status=Pledge.Status.CONFIRMED))
    )
    contracts = Contract.objects.filter(campaign=campaign).aggregate(
        n=Count("pk"),
        saving=Sum("saving_cents"),
        kickback=Sum("kickback_cents"),
        saving_n=Count("pk", filter=Q(saving_cents__gt=0)),
    )
    if contracts["n"]:
        return CampaignTotals(
            counts["n"],
            counts["confirmed"],
            contracts["saving_n"],
            contracts["saving"] or 0,
            contracts["kickback"] or 0,
            None,
            contracts["n"],
            "contracts",
        )
    run = current_run(campaign=campaign)
    if run is None:
        return CampaignTotals(counts["n"], counts["confirmed"], 0, 0, 0, None, 0, "none")
    saving_n = AllocationResult.objects.filter(run=run, saving_cents__gt=0).count()
    return CampaignTotals(
        counts["n"],
        counts["confirmed"],
        saving_n,
        run.total_saving_cents,
        run.total_kickback_cents,
        run.greedy_saving_cents,
        0,
        run.kind,
    )


def settlements_of(*, campaign: Campaign) -> QuerySet[SupplierSettlement]:
    return SupplierSettlement.objects.filter(campaign=campaign).select_related("supplier")


def supplier_rows(*, campaign: Campaign, supplier: Organisation, contracted_only: bool) -> list:
    """The households of one supplier in a campaign, for contracting and export.

    After contracts started these are the contracts; before that (staff only) the households
    the current allocation places with the supplier.
    """
    contracts = list(
        Contract.objects.filter(campaign=campaign, supplier=supplier)
        .select_related("household", "offer", "pledge")
        .prefetch_related("household__members")
        .order_by("household__street", "household__house_number", "pk")
    )
    if contracts or contracted_only:
        return [
            _row(
                c.household,
                c.offer,
                c.tier_position,
                c.usage,
                c.yearly_cost_cents,
                c.saving_cents,
                c.pledge,
            )
            for c in contracts
        ]
    run = current_run(campaign=campaign)
    if run is None:
        return []
    results = (
        AllocationResult.objects.filter(run=run, offer__supplier=supplier)
        .select_related("household", "offer", "pledge")
        .prefetch_related("household__members")
        .order_by("household__street", "household__house_number", "pk")
    )
    return [
        _row(
            r.household,
            r.offer,
            r.tier_position,
            r.pledge.usage,
            r.yearly_cost_cents,
            r.saving_cents,
            r.pledge,
        )
        for r in results
    ]


@dataclass(frozen=True)
class CustomerRow:
    household_id: int
    address: str
    postcode: str
    contact_name: str
    contact_email: str
    contact_phone: str
    offer: str
    tier: int
    usage: int
    yearly_cost_cents: int
    saving_cents: int
    pledge_status: str


def _row(household, offer, tier_position, usage, cost, saving, pledge) -> CustomerRow:
    members = sorted(household.members.all(), key=lambda p: p.pk)
    contact = next((p for p in members if p.email), members[0] if members else None)
    return CustomerRow(
        household_id=household.pk,
        address=household.address,
        postcode=household.postcode,
        contact_name=contact.full_name if contact else "",
        contact_email=contact.email if contact else "",
        contact_phone=contact.phone if contact else "",
        offer=offer.name,
        tier=(tier_position or 0) + 1,
        usage=usage,
        yearly_cost_cents=cost or 0,
        saving_cents=saving,
        pledge_status=pledge.status,
    )


def suppliers_in_campaign(*, campaign: Campaign) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(purchasing_offers__campaign=campaign)
        .distinct()
        .order_by("name")
    )


def supplier_portal(*, user, neighbourhood) -> list[dict]:
    """For a supplier's representative: per represented supplier its agreements and offers."""
    own = access_for(user).organisation_ids(neighbourhood.pk)
    rows = []
    for supplier in Organisation.objects.filter(pk__in=own).order_by("name"):
        rows.append(
            {
                "supplier": supplier,
                "agreements": list(
                    agreement_list(neighbourhood=neighbourhood).filter(supplier=supplier)
                ),
                "offers": list(
                    Offer.objects.filter(supplier=supplier)
                    .select_related("campaign")
                    .annotate(contract_count=Count("contracts"))
                    .order_by("-campaign__registration_opens_on", "name")
                ),
            }
        )
    return rows


def open_campaigns(*, neighbourhood) -> QuerySet[Campaign]:
    return campaign_list(neighbourhood=neighbourhood, status=Campaign.Status.OPEN)


def quantity_text(*, offer: Offer, households: int, volume: int) -> str:
    if offer.tier_basis == TierBasis.HOUSEHOLDS:
        return _("%(n)s households joined") % {"n": households}
    unit = offer.campaign.category.get_usage_unit_display()
    return _("the households together use %(volume)s %(unit)s a year") % {
        "volume": volume,
        "unit": unit,
    }


def explain_result(result: AllocationResult) -> str:
    """A plain-language explanation of a household's result, in the active language."""
    pledge = result.pledge
    current = format_euros(pledge.current_yearly_cost_cents)
    if result.offer_id is None:
        texts = {
            AllocationResult.Reason.NO_MATCH: _(
                "None of the offers you would accept meets your conditions (for example "
                "green energy only, your area or your usage)."
            ),
            AllocationResult.Reason.COSTS_MORE: _(
                "Every offer that suits you would cost more than the %(current)s you pay now, "
                "and you are never moved to something more expensive."
            )
            % {"current": current},
            AllocationResult.Reason.NOT_GOING_AHEAD: _(
                "The offers that would save you money did not get enough households to go ahead."
            ),
            AllocationResult.Reason.FULL: _(
                "The offers that would save you money were full, or placing you there would "
                "have lowered the saving of the neighbourhood as a whole."
            ),
        }
        return str(texts.get(result.reason, texts[AllocationResult.Reason.FULL]))
    offer = result.offer
    outcome = OfferOutcome.objects.filter(run=result.run_id, offer=offer).first()
    levels = offer.tiers.count()
    because = (
        quantity_text(offer=offer, households=outcome.households, volume=outcome.volume)
        if outcome
        else ""
    )
    return _(
        "You now pay %(current)s a year. %(offer)s from %(supplier)s would cost you about "
        "%(cost)s a year, so you save %(saving)s a year. The offer goes ahead at price level "
        "%(level)s of %(levels)s, because %(because)s."
    ) % {
        "current": current,
        "offer": offer.name,
        "supplier": offer.supplier.name,
        "cost": format_euros(result.yearly_cost_cents),
        "saving": format_euros(result.saving_cents),
        "level": (result.tier_position or 0) + 1,
        "levels": levels,
        "because": because,
    }
