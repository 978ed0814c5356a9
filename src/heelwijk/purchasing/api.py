"""JSON API for collective purchasing. Amounts are decimal strings in euros (never floats)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from . import actions, selectors
from .actions import TierInput
from .models import Campaign, Offer, SupplierAgreement
from .money import euros_text, euros_to_cents, micros_to_price, price_to_micros

router = Router(tags=["purchasing"])

MONEY = "Euros as a decimal string, e.g. '12.50'."
PRICE = "Euros per unit as a decimal string with up to six decimals, e.g. '0.2534'."


def _nbh(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise PermissionDenied
    return neighbourhood


def _require(request, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _money(cents) -> str | None:
    return euros_text(cents)


def _campaign(request, campaign_id: int) -> Campaign:
    neighbourhood = _nbh(request)
    try:
        return selectors.campaign_detail(neighbourhood=neighbourhood, campaign_id=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404 from None


# --- schemas ------------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    usage_unit: str
    builtin: bool


class CategoryIn(Schema):
    name: str
    usage_unit: str = Field(description="kwh, m3, person, household or month")
    description: str = ""


class AgreementOut(Schema):
    id: int
    supplier_id: int
    supplier_name: str
    starts_on: dt.date
    ends_on: dt.date | None
    category_codes: list[str]


class AgreementDetailOut(AgreementOut):
    terms: str
    service_levels: str
    kickback_per_contract: str
    participation_fee: str
    contact_name: str
    contact_email: str
    contact_phone: str


class AgreementIn(Schema):
    supplier_id: int
    category_codes: list[str] = []
    terms: str
    service_levels: str = ""
    starts_on: dt.date
    ends_on: dt.date | None = None
    kickback_per_contract: str = Field("0", description=MONEY)
    participation_fee: str = Field("0", description=MONEY)
    contact_name: str
    contact_email: str = ""
    contact_phone: str = ""


class CampaignOut(Schema):
    id: int
    title: str
    description: str
    category_code: str
    usage_unit: str
    status: str
    registration_opens_on: dt.date
    registration_closes_on: dt.date
    contracts_start_on: dt.date


class CampaignIn(Schema):
    category_code: str
    title: str
    description: str = ""
    registration_opens_on: dt.date
    registration_closes_on: dt.date
    contracts_start_on: dt.date


class TierOut(Schema):
    min_quantity: int
    max_quantity: int | None
    unit_price: str
    fixed_fee: str


class TierIn(Schema):
    min_quantity: int
    max_quantity: int | None = None
    unit_price: str = Field(description=PRICE)
    fixed_fee: str = Field(description=MONEY)


class OfferOut(Schema):
    id: int
    campaign_id: int
    supplier_id: int
    supplier_name: str
    name: str
    description: str
    is_community_arrangement: bool
    tier_basis: str
    min_households: int
    capacity: int | None
    features: list[str]
    area_ids: list[int]
    min_usage: int | None
    max_usage: int | None
    status: str
    tiers: list[TierOut]
    kickback_per_contract: str | None = Field(
        None, description="Only for staff and the supplier itself."
    )


class OfferIn(Schema):
    agreement_id: int
    name: str
    description: str = ""
    is_community_arrangement: bool = False
    tier_basis: str = "volume"
    min_households: int = 1
    capacity: int | None = None
    features: list[str] = []
    area_ids: list[int] = []
    min_usage: int | None = None
    max_usage: int | None = None
    kickback_per_contract: str | None = Field(None, description=MONEY)
    tiers: list[TierIn]


class PledgeOut(Schema):
    id: int
    campaign_id: int
    household_id: int
    current_supplier: str
    current_yearly_cost: str
    usage: int
    required_features: list[str]
    accepts_any_offer: bool
    accepted_offer_ids: list[int]
    status: str


class PledgeIn(Schema):
    current_supplier: str = ""
    current_yearly_cost: str | None = Field(None, description=MONEY)
    usage: int | None = None
    required_features: list[str] = []
    accepts_any_offer: bool = True
    accepted_offer_ids: list[int] = []


class ResultOut(Schema):
    pledge_id: int
    household_id: int
    offer_id: int | None
    offer_name: str | None
    supplier_name: str | None
    price_level: int | None
    yearly_cost: str | None
    saving: str
    reason: str
    explanation: str


class RunOut(Schema):
    id: int
    kind: str
    solver_status: str
    households_considered: int
    households_placed: int
    total_saving: str
    total_kickback: str
    greedy_households_placed: int
    greedy_saving: str
    gap_ppm: int | None = Field(None, description="proven gap in parts per million; null: none")
    solve_milliseconds: int


class TotalsOut(Schema):
    households_pledged: int
    households_confirmed: int
    households_saving: int
    saving_per_year: str
    kickback_per_year: str
    contracts: int
    stage: str


class CustomerOut(Schema):
    household_id: int
    address: str
    postcode: str
    contact_name: str
    contact_email: str
    contact_phone: str
    offer: str
    price_level: int
    usage: int
    yearly_cost: str
    saving: str


# --- converters ---------------------------------------------------------------------------------


def _agreement_out(a: SupplierAgreement, *, detail: bool = False) -> dict:
    data = {
        "id": a.pk,
        "supplier_id": a.supplier_id,
        "supplier_name": a.supplier.name,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "category_codes": [c.code for c in a.categories.all()],
    }
    if detail:
        data |= {
            "terms": a.terms,
            "service_levels": a.service_levels,
            "kickback_per_contract": _money(a.kickback_per_contract_cents),
            "participation_fee": _money(a.participation_fee_cents),
            "contact_name": a.contact_name,
            "contact_email": a.contact_email,
            "contact_phone": a.contact_phone,
        }
    return data


def _campaign_out(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "description": c.description,
        "category_code": c.category.code,
        "usage_unit": c.category.usage_unit,
        "status": c.status,
        "registration_opens_on": c.registration_opens_on,
        "registration_closes_on": c.registration_closes_on,
        "contracts_start_on": c.contracts_start_on,
    }


def _offer_out(request, o: Offer) -> dict:
    show_kickback = request.user.has_perm("purchasing.change_offer", o)
    return {
        "id": o.pk,
        "campaign_id": o.campaign_id,
        "supplier_id": o.supplier_id,
        "supplier_name": o.supplier.name,
        "name": o.name,
        "description": o.description,
        "is_community_arrangement": o.is_community_arrangement,
        "tier_basis": o.tier_basis,
        "min_households": o.min_households,
        "capacity": o.capacity,
        "features": list(o.features),
        "area_ids": sorted(a.pk for a in o.areas.all()),
        "min_usage": o.min_usage,
        "max_usage": o.max_usage,
        "status": o.status,
        "tiers": [
            {
                "min_quantity": t.min_quantity,
                "max_quantity": t.max_quantity,
                "unit_price": str(micros_to_price(t.unit_price_micros)),
                "fixed_fee": _money(t.fixed_fee_cents),
            }
            for t in sorted(o.tiers.all(), key=lambda t: t.position)
        ],
        "kickback_per_contract": _money(o.kickback_per_contract_cents) if show_kickback else None,
    }


def _pledge_out(p) -> dict:
    return {
        "id": p.pk,
        "campaign_id": p.campaign_id,
        "household_id": p.household_id,
        "current_supplier": p.current_supplier,
        "current_yearly_cost": _money(p.current_yearly_cost_cents),
        "usage": p.usage,
        "required_features": list(p.required_features),
        "accepts_any_offer": p.accepts_any_offer,
        "accepted_offer_ids": sorted(o.pk for o in p.accepted_offers.all()),
        "status": p.status,
    }


def _result_out(r) -> dict:
    return {
        "pledge_id": r.pledge_id,
        "household_id": r.household_id,
        "offer_id": r.offer_id,
        "offer_name": r.offer.name if r.offer else None,
        "supplier_name": r.offer.supplier.name if r.offer else None,
        "price_level": r.tier_position + 1 if r.tier_position is not None else None,
        "yearly_cost": _money(r.yearly_cost_cents),
        "saving": _money(r.saving_cents),
        "reason": r.reason,
        "explanation": selectors.explain_result(r),
    }


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "kind": run.kind,
        "solver_status": run.solver_status,
        "households_considered": run.households_considered,
        "households_placed": run.households_placed,
        "total_saving": _money(run.total_saving_cents),
        "total_kickback": _money(run.total_kickback_cents),
        "greedy_households_placed": run.greedy_households_placed,
        "greedy_saving": _money(run.greedy_saving_cents),
        "gap_ppm": run.gap_ppm,
        "solve_milliseconds": run.solve_milliseconds,
    }


def _tiers(tiers: list[TierIn]) -> list[TierInput]:
    return [
        TierInput(
            min_quantity=t.min_quantity,
            max_quantity=t.max_quantity,
            unit_price_micros=price_to_micros(t.unit_price, field="tiers"),
            fixed_fee_cents=euros_to_cents(t.fixed_fee, field="tiers"),
        )
        for t in tiers
    ]


# --- categories and preferred suppliers ---------------------------------------------------------


@router.get("/categories", response=list[CategoryOut])
def list_categories(request):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.view_campaigns", neighbourhood)
    return [
        {
            "id": c.pk,
            "code": c.code,
            "name": str(c.display_name),
            "usage_unit": c.usage_unit,
            "builtin": c.is_builtin,
        }
        for c in selectors.category_list(neighbourhood=neighbourhood)
    ]


@router.post("/categories", response={201: CategoryOut})
def create_category(request, payload: CategoryIn):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.manage_categories", neighbourhood)
    c = actions.category_create(actor=request.user, neighbourhood=neighbourhood, **payload.dict())
    return Status(
        201,
        {
            "id": c.pk,
            "code": c.code,
            "name": c.name,
            "usage_unit": c.usage_unit,
            "builtin": False,
        },
    )


@router.get("/suppliers", response=list[AgreementOut])
def list_suppliers(request):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.view_suppliers", neighbourhood)
    return [_agreement_out(a) for a in selectors.agreement_list(neighbourhood=neighbourhood)]


@router.get("/suppliers/{agreement_id}", response=AgreementDetailOut)
def get_supplier(request, agreement_id: int):
    agreement = get_object_or_404(
        selectors.agreement_list(neighbourhood=_nbh(request)), pk=agreement_id
    )
    _require(request, "purchasing.view_agreement", agreement)
    return _agreement_out(agreement, detail=True)


@router.post("/suppliers", response={201: AgreementDetailOut})
def create_supplier(request, payload: AgreementIn):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.manage_suppliers", neighbourhood)
    supplier = (
        selectors.supplier_candidates(neighbourhood=neighbourhood)
        .filter(pk=payload.supplier_id)
        .first()
    )
    if supplier is None:
        raise ValidationError({"supplier_id": _("Choose an organisation of this neighbourhood.")})
    categories = list(
        selectors.category_list(neighbourhood=neighbourhood).filter(code__in=payload.category_codes)
    )
    data = payload.dict(
        exclude={"supplier_id", "category_codes", "kickback_per_contract", "participation_fee"}
    )
    agreement = actions.agreement_create(
        actor=request.user,
        neighbourhood=neighbourhood,
        supplier=supplier,
        categories=categories,
        kickback_per_contract_cents=euros_to_cents(
            payload.kickback_per_contract, field="kickback_per_contract"
        ),
        participation_fee_cents=euros_to_cents(
            payload.participation_fee, field="participation_fee"
        ),
        **data,
    )
    return Status(201, _agreement_out(agreement, detail=True))


# --- campaigns ----------------------------------------------------------------------------------


@router.get("/campaigns", response=list[CampaignOut])
def list_campaigns(request, status: str = ""):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.view_campaigns", neighbourhood)
    return [
        _campaign_out(c)
        for c in selectors.campaign_list(neighbourhood=neighbourhood, status=status)
    ]


@router.post("/campaigns", response={201: CampaignOut})
def create_campaign(request, payload: CampaignIn):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.manage_campaigns", neighbourhood)
    category = (
        selectors.category_list(neighbourhood=neighbourhood)
        .filter(code=payload.category_code)
        .first()
    )
    if category is None:
        raise ValidationError({"category_code": _("Choose a category of this neighbourhood.")})
    campaign = actions.campaign_create(
        actor=request.user,
        neighbourhood=neighbourhood,
        category=category,
        **payload.dict(exclude={"category_code"}),
    )
    return Status(201, _campaign_out(campaign))


@router.get("/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require(request, "purchasing.view_campaigns", campaign)
    return _campaign_out(campaign)


@router.get("/campaigns/{campaign_id}/totals", response=TotalsOut)
def campaign_totals(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require(request, "purchasing.view_totals", campaign)
    t = selectors.campaign_totals(campaign=campaign)
    return {
        "households_pledged": t.households_pledged,
        "households_confirmed": t.households_confirmed,
        "households_saving": t.households_saving,
        "saving_per_year": _money(t.saving_cents),
        "kickback_per_year": _money(t.kickback_cents),
        "contracts": t.contracts,
        "stage": t.stage,
    }


def _step(request, campaign_id: int, step):
    campaign = _campaign(request, campaign_id)
    _require(request, "purchasing.manage_campaigns", campaign)
    return step(actor=request.user, campaign=campaign)


@router.post("/campaigns/{campaign_id}/allocate", response=RunOut)
def allocate(request, campaign_id: int):
    return _run_out(_step(request, campaign_id, actions.allocation_propose))


@router.post("/campaigns/{campaign_id}/finalise", response=RunOut)
def finalise(request, campaign_id: int):
    return _run_out(_step(request, campaign_id, actions.allocation_finalise))


@router.post("/campaigns/{campaign_id}/contracts", response={201: dict})
def start_contracts(request, campaign_id: int):
    contracts = _step(request, campaign_id, actions.contracts_start)
    return Status(201, {"contracts": len(contracts)})


@router.get("/campaigns/{campaign_id}/results", response=list[ResultOut])
def campaign_results(request, campaign_id: int, offset: int = 0, limit: int = 100):
    campaign = _campaign(request, campaign_id)
    _require(request, "purchasing.view_results", campaign)
    run = selectors.current_run(campaign=campaign)
    if run is None:
        return []
    limit = max(1, min(limit, 500))
    rows = selectors.results_of(run=run)[max(offset, 0) : max(offset, 0) + limit]
    return [_result_out(r) for r in rows]


@router.get(
    "/campaigns/{campaign_id}/suppliers/{supplier_id}/customers", response=list[CustomerOut]
)
def supplier_customers(request, campaign_id: int, supplier_id: int):
    campaign = _campaign(request, campaign_id)
    supplier = get_object_or_404(selectors.suppliers_in_campaign(campaign=campaign), pk=supplier_id)
    _require(request, "purchasing.view_supplier_customers", supplier)
    is_staff = request.user.has_perm("purchasing.view_results", campaign)
    rows = selectors.supplier_rows(
        campaign=campaign, supplier=supplier, contracted_only=not is_staff
    )
    return [
        {
            "household_id": r.household_id,
            "address": r.address,
            "postcode": r.postcode,
            "contact_name": r.contact_name,
            "contact_email": r.contact_email,
            "contact_phone": r.contact_phone,
            "offer": r.offer,
            "price_level": r.tier,
            "usage": r.usage,
            "yearly_cost": _money(r.yearly_cost_cents),
            "saving": _money(r.saving_cents),
        }
        for r in rows
    ]


# --- offers -------------------------------------------------------------------------------------


def _offer(request, offer_id: int) -> Offer:
    try:
        return selectors.offer_detail(neighbourhood=_nbh(request), offer_id=offer_id)
    except Offer.DoesNotExist:
        raise Http404 from None


@router.get("/campaigns/{campaign_id}/offers", response=list[OfferOut])
def list_offers(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    _require(request, "purchasing.view_campaigns", campaign)
    return [
        _offer_out(request, o)
        for o in selectors.offers_for_user(user=request.user, campaign=campaign)
    ]


def _offer_fields(payload: OfferIn) -> dict:
    fields = payload.dict(exclude={"agreement_id", "tiers", "area_ids", "kickback_per_contract"})
    if payload.kickback_per_contract is not None:
        fields["kickback_per_contract_cents"] = euros_to_cents(
            payload.kickback_per_contract, field="kickback_per_contract"
        )
    return fields


@router.post("/campaigns/{campaign_id}/offers", response={201: OfferOut})
def submit_offer(request, campaign_id: int, payload: OfferIn):
    campaign = _campaign(request, campaign_id)
    _require(request, "purchasing.submit_offer", campaign)
    agreement = (
        selectors.agreements_for_user(user=request.user, neighbourhood=campaign.neighbourhood)
        .filter(pk=payload.agreement_id)
        .first()
    )
    if agreement is None:
        raise PermissionDenied
    areas = list(campaign.neighbourhood.areas.filter(pk__in=payload.area_ids))
    if len(areas) != len(set(payload.area_ids)):
        raise ValidationError({"area_ids": _("Choose areas of this neighbourhood.")})
    offer = actions.offer_submit(
        actor=request.user,
        campaign=campaign,
        agreement=agreement,
        tiers=_tiers(payload.tiers),
        areas=areas,
        **_offer_fields(payload),
    )
    saved = selectors.offer_detail(neighbourhood=campaign.neighbourhood, offer_id=offer.pk)
    return Status(201, _offer_out(request, saved))


@router.get("/offers/{offer_id}", response=OfferOut)
def get_offer(request, offer_id: int):
    offer = _offer(request, offer_id)
    _require(request, "purchasing.view_offer", offer)
    return _offer_out(request, offer)


@router.put("/offers/{offer_id}", response=OfferOut)
def update_offer(request, offer_id: int, payload: OfferIn):
    offer = _offer(request, offer_id)
    _require(request, "purchasing.change_offer", offer)
    if payload.agreement_id != offer.agreement_id:
        raise ValidationError({"agreement_id": _("The supplier of an offer cannot change.")})
    areas = list(offer.neighbourhood.areas.filter(pk__in=payload.area_ids))
    if len(areas) != len(set(payload.area_ids)):
        raise ValidationError({"area_ids": _("Choose areas of this neighbourhood.")})
    actions.offer_update(
        actor=request.user,
        offer=offer,
        tiers=_tiers(payload.tiers),
        areas=areas,
        **_offer_fields(payload),
    )
    return _offer_out(request, _offer(request, offer_id))


@router.post("/offers/{offer_id}/withdraw", response=OfferOut)
def withdraw_offer(request, offer_id: int):
    offer = _offer(request, offer_id)
    _require(request, "purchasing.change_offer", offer)
    actions.offer_withdraw(actor=request.user, offer=offer)
    return _offer_out(request, _offer(request, offer_id))


# --- the user's own pledge and result -------------------------------------------------------------


def _household(request, campaign):
    _require(request, "purchasing.pledge", campaign)
    household = selectors.household_of(user=request.user, neighbourhood=campaign.neighbourhood)
    if household is None:
        raise PermissionDenied
    return household


@router.get("/campaigns/{campaign_id}/pledge", response=PledgeOut)
def get_pledge(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    pledge = selectors.pledge_of(campaign=campaign, household=_household(request, campaign))
    if pledge is None:
        raise Http404
    return _pledge_out(pledge)


@router.put("/campaigns/{campaign_id}/pledge", response=PledgeOut)
def save_pledge(request, campaign_id: int, payload: PledgeIn):
    campaign = _campaign(request, campaign_id)
    return save_pledge_for(request, campaign, _household(request, campaign), payload)


def save_pledge_for(request, campaign, household, payload: PledgeIn, *, on_behalf=False) -> dict:
    """Save the pledge of ``household`` from an API payload (shared with the staff endpoints)."""
    offers = list(campaign.offers.filter(pk__in=payload.accepted_offer_ids))
    if len(offers) != len(set(payload.accepted_offer_ids)):
        raise ValidationError({"accepted_offer_ids": _("Choose offers of this campaign.")})
    cost = payload.current_yearly_cost
    pledge = actions.pledge_save(
        actor=request.user,
        campaign=campaign,
        household=household,
        current_supplier=payload.current_supplier,
        current_yearly_cost_cents=euros_to_cents(cost, field="current_yearly_cost")
        if cost is not None
        else None,
        usage=payload.usage,
        required_features=payload.required_features,
        accepts_any_offer=payload.accepts_any_offer,
        accepted_offers=offers,
        on_behalf=on_behalf,
    )
    return _pledge_out(selectors.pledge_of(campaign=campaign, household=household) or pledge)


def _own_pledge(request, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    pledge = selectors.pledge_of(campaign=campaign, household=_household(request, campaign))
    if pledge is None:
        raise Http404
    _require(request, "purchasing.change_pledge", pledge)
    return campaign, pledge


@router.post("/campaigns/{campaign_id}/pledge/confirm", response=PledgeOut)
def confirm_pledge(request, campaign_id: int):
    _campaign_obj, pledge = _own_pledge(request, campaign_id)
    return _pledge_out(actions.pledge_confirm(actor=request.user, pledge=pledge))


@router.post("/campaigns/{campaign_id}/pledge/decline", response=PledgeOut)
def decline_pledge(request, campaign_id: int):
    _campaign_obj, pledge = _own_pledge(request, campaign_id)
    return _pledge_out(actions.pledge_decline(actor=request.user, pledge=pledge))


@router.get("/campaigns/{campaign_id}/result", response=ResultOut)
def my_result(request, campaign_id: int):
    campaign, pledge = _own_pledge(request, campaign_id)
    result = selectors.result_of(run=selectors.current_run(campaign=campaign), pledge=pledge)
    if result is None:
        raise Http404
    return _result_out(result)


# Staff acting for a household (at the desk, by phone, on paper): a router of its own module.
from .api_on_behalf import router as on_behalf_router  # noqa: E402  (needs the helpers above)

router.add_router("", on_behalf_router)
