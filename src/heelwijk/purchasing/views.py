"""Pages for buying together: they parse, check a rule, call an action or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions, selectors
from .exports import EXPORT_FORMATS, export_customers
from .forms import (
    AgreementForm,
    CampaignForm,
    CategoryForm,
    OfferForm,
    PledgeForm,
    TierFormSet,
    apply_errors,
    pledge_form,
    tier_initial,
    tiers_from_formset,
)
from .models import Campaign, Offer, Pledge, SupplierAgreement


def _nbh(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise Http404
    return neighbourhood


def _require(request, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _campaign(request, pk: int) -> Campaign:
    neighbourhood = _nbh(request)
    try:
        return selectors.campaign_detail(neighbourhood=neighbourhood, campaign_id=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def _page(request, queryset):
    paginator = Paginator(queryset, settings.HEELWIJK_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


# --- campaigns ----------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.view_campaigns", neighbourhood)
    status = request.GET.get("status", "")
    if status not in Campaign.Status.values:
        status = ""
    page = _page(request, selectors.campaign_list(neighbourhood=neighbourhood, status=status))
    return render(
        request,
        "purchasing/campaign_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Campaign.Status.choices,
            "can_manage": request.user.has_perm("purchasing.manage_campaigns", neighbourhood),
            "household": selectors.household_of(user=request.user, neighbourhood=neighbourhood),
        },
    )


@login_required
def campaign_create(request):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.manage_campaigns", neighbourhood)
    categories = selectors.category_list(neighbourhood=neighbourhood)
    form = CampaignForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.campaign_create(
                actor=request.user, neighbourhood=neighbourhood, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The campaign is open."))
            return redirect("purchasing:campaign_detail", pk=campaign.pk)
    return render(request, "purchasing/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_update(request, pk: int):
    campaign = _campaign(request, pk)
    _require(request, "purchasing.manage_campaigns", campaign)
    categories = selectors.category_list(neighbourhood=campaign.neighbourhood)
    initial = {
        "category": campaign.category_id,
        "title": campaign.title,
        "description": campaign.description,
        "registration_opens_on": campaign.registration_opens_on,
        "registration_closes_on": campaign.registration_closes_on,
        "contracts_start_on": campaign.contracts_start_on,
    }
    form = CampaignForm(request.POST or None, initial=initial, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            actions.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("purchasing:campaign_detail", pk=campaign.pk)
    return render(request, "purchasing/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    _require(request, "purchasing.view_campaigns", campaign)
    user = request.user
    household = selectors.household_of(user=user, neighbourhood=campaign.neighbourhood)
    pledge = selectors.pledge_of(campaign=campaign, household=household)
    run = selectors.current_run(campaign=campaign)
    result = selectors.result_of(run=run, pledge=pledge)
    is_staff = user.has_perm("purchasing.manage_campaigns", campaign)
    context = {
        "campaign": campaign,
        "offers": selectors.offers_for_user(user=user, campaign=campaign),
        "household": household,
        "pledge": pledge,
        "can_pledge": user.has_perm("purchasing.pledge", campaign),
        "registration_open": campaign.registration_is_open(),
        "run": run,
        "result": result,
        "explanation": selectors.explain_result(result) if result else "",
        "totals": selectors.campaign_totals(campaign=campaign),
        "is_staff": is_staff,
        "can_offer": user.has_perm("purchasing.submit_offer", campaign)
        and campaign.status == Campaign.Status.OPEN,
        "outcomes": selectors.outcomes_of(run=run) if (run and is_staff) else [],
        "settlements": selectors.settlements_of(campaign=campaign) if is_staff else [],
        "suppliers": selectors.suppliers_in_campaign(campaign=campaign) if is_staff else [],
        "export_formats": EXPORT_FORMATS,
    }
    return render(request, "purchasing/campaign_detail.html", context)


def _campaign_step(request, pk: int, step, success: str):
    campaign = _campaign(request, pk)
    _require(request, "purchasing.manage_campaigns", campaign)
    try:
        step(actor=request.user, campaign=campaign)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("purchasing:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def allocation_propose(request, pk: int):
    return _campaign_step(
        request,
        pk,
        actions.allocation_propose,
        _("The allocation is ready. Households can now confirm or decline their offer."),
    )


@login_required
@require_POST
def allocation_finalise(request, pk: int):
    return _campaign_step(
        request,
        pk,
        actions.allocation_finalise,
        _("The allocation was re-optimised for the households that confirmed."),
    )


@login_required
@require_POST
def contracts_start(request, pk: int):
    return _campaign_step(
        request,
        pk,
        actions.contracts_start,
        _("Contracts started; kickbacks and fees were posted to the local fund."),
    )


@login_required
@require_POST
def campaign_cancel(request, pk: int):
    return _campaign_step(request, pk, actions.campaign_cancel, _("The campaign was cancelled."))


@login_required
def results(request, pk: int):
    campaign = _campaign(request, pk)
    _require(request, "purchasing.view_results", campaign)
    run = selectors.current_run(campaign=campaign)
    search = request.GET.get("q", "").strip()
    placed = request.GET.get("placed", "")
    page = (
        _page(request, selectors.results_of(run=run, search=search, placed=placed)) if run else None
    )
    context = {
        "campaign": campaign,
        "run": run,
        "page": page,
        "search": search,
        "placed": placed,
        "totals": selectors.campaign_totals(campaign=campaign),
        "outcomes": selectors.outcomes_of(run=run) if run else [],
    }
    template = "purchasing/_results_table.html" if request.htmx else "purchasing/results.html"
    return render(request, template, context)


@login_required
def export(request, pk: int, supplier_id: int, fmt: str):
    campaign = _campaign(request, pk)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    supplier = get_object_or_404(selectors.suppliers_in_campaign(campaign=campaign), pk=supplier_id)
    _require(request, "purchasing.view_supplier_customers", supplier)
    is_staff = request.user.has_perm("purchasing.view_results", campaign)
    rows = selectors.supplier_rows(
        campaign=campaign, supplier=supplier, contracted_only=not is_staff
    )
    content, content_type, filename = export_customers(
        campaign=campaign, supplier=supplier, rows=rows, fmt=fmt
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- pledges ------------------------------------------------------------------------------------


@login_required
def pledge_edit(request, pk: int):
    campaign = _campaign(request, pk)
    _require(request, "purchasing.pledge", campaign)
    household = selectors.household_of(user=request.user, neighbourhood=campaign.neighbourhood)
    pledge = selectors.pledge_of(campaign=campaign, household=household)
    form = pledge_form(PledgeForm, request.POST or None, campaign=campaign, pledge=pledge)
    if request.method == "POST" and form.is_valid():
        try:
            actions.pledge_save(
                actor=request.user, campaign=campaign, household=household, **form.action_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your pledge is saved. It stays conditional until you confirm the "
                    "offer proposed to you."
                ),
            )
            return redirect("purchasing:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "purchasing/pledge_form.html",
        {
            "campaign": campaign,
            "form": form,
            "pledge": pledge,
            "household": household,
            "registration_open": campaign.registration_is_open(),
        },
    )


def _own_pledge(request, pk: int) -> Pledge:
    campaign = _campaign(request, pk)
    household = selectors.household_of(user=request.user, neighbourhood=campaign.neighbourhood)
    pledge = selectors.pledge_of(campaign=campaign, household=household)
    if pledge is None:
        raise Http404
    _require(request, "purchasing.change_pledge", pledge)
    return pledge


def _pledge_step(request, pk: int, step, success: str):
    pledge = _own_pledge(request, pk)
    try:
        step(actor=request.user, pledge=pledge)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("purchasing:campaign_detail", pk=pk)


@login_required
@require_POST
def pledge_withdraw(request, pk: int):
    return _pledge_step(request, pk, actions.pledge_withdraw, _("Your pledge was withdrawn."))


@login_required
@require_POST
def pledge_confirm(request, pk: int):
    return _pledge_step(
        request,
        pk,
        actions.pledge_confirm,
        _("You confirmed the offer. We will let you know when your contract starts."),
    )


@login_required
@require_POST
def pledge_decline(request, pk: int):
    return _pledge_step(
        request, pk, actions.pledge_decline, _("You declined the offer. Nothing changes for you.")
    )


# --- offers -------------------------------------------------------------------------------------


def _offer(request, pk: int) -> Offer:
    try:
        return selectors.offer_detail(neighbourhood=_nbh(request), offer_id=pk)
    except Offer.DoesNotExist:
        raise Http404 from None


def _offer_form(request, *, campaign, offer):
    neighbourhood = campaign.neighbourhood
    agreements = selectors.agreements_for_user(user=request.user, neighbourhood=neighbourhood)
    form = OfferForm(
        request.POST or None,
        initial=OfferForm.initial_for(offer)
        if offer
        else {"tier_basis": "volume", "min_households": 1},
        agreements=agreements,
        areas=neighbourhood.areas.all(),
    )
    formset = TierFormSet(request.POST or None, initial=tier_initial(offer), prefix="tiers")
    tier_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            tiers = tiers_from_formset(formset)
            fields = form.action_fields()
            if offer is None:
                saved = actions.offer_submit(
                    actor=request.user,
                    campaign=campaign,
                    agreement=form.cleaned_data["agreement"],
                    tiers=tiers,
                    areas=list(form.cleaned_data["areas"]),
                    **fields,
                )
            else:
                if form.cleaned_data["agreement"].pk != offer.agreement_id:
                    raise ValidationError(
                        {"agreement": _("The supplier of an offer cannot change.")}
                    )
                saved = actions.offer_update(
                    actor=request.user,
                    offer=offer,
                    tiers=tiers,
                    areas=list(form.cleaned_data["areas"]),
                    **fields,
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                tier_errors = error.message_dict.pop("tiers", [])
                rest = {k: v for k, v in error.message_dict.items() if k != "tiers"}
                if rest:
                    apply_errors(form, ValidationError(rest))
            else:
                apply_errors(form, error)
        else:
            messages.success(request, _("The offer was saved."))
            return None, None, [], saved
    return form, formset, tier_errors, None


@login_required
def offer_create(request, pk: int):
    campaign = _campaign(request, pk)
    _require(request, "purchasing.submit_offer", campaign)
    form, formset, tier_errors, saved = _offer_form(request, campaign=campaign, offer=None)
    if saved is not None:
        return redirect("purchasing:offer_detail", pk=saved.pk)
    return render(
        request,
        "purchasing/offer_form.html",
        {
            "campaign": campaign,
            "form": form,
            "formset": formset,
            "tier_errors": tier_errors,
            "offer": None,
        },
    )


@login_required
def offer_update(request, pk: int):
    offer = _offer(request, pk)
    _require(request, "purchasing.change_offer", offer)
    form, formset, tier_errors, saved = _offer_form(request, campaign=offer.campaign, offer=offer)
    if saved is not None:
        return redirect("purchasing:offer_detail", pk=saved.pk)
    return render(
        request,
        "purchasing/offer_form.html",
        {
            "campaign": offer.campaign,
            "form": form,
            "formset": formset,
            "tier_errors": tier_errors,
            "offer": offer,
        },
    )


@login_required
def offer_detail(request, pk: int):
    offer = _offer(request, pk)
    _require(request, "purchasing.view_offer", offer)
    can_change = request.user.has_perm("purchasing.change_offer", offer)
    return render(
        request,
        "purchasing/offer_detail.html",
        {
            "offer": offer,
            "campaign": offer.campaign,
            "can_change": can_change
            and offer.campaign.status == Campaign.Status.OPEN
            and offer.status == Offer.Status.SUBMITTED,
            "show_kickback": can_change,
        },
    )


@login_required
@require_POST
def offer_withdraw(request, pk: int):
    offer = _offer(request, pk)
    _require(request, "purchasing.change_offer", offer)
    try:
        actions.offer_withdraw(actor=request.user, offer=offer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The offer was withdrawn."))
    return redirect("purchasing:offer_detail", pk=offer.pk)


# --- preferred suppliers and categories -------------------------------------------------------


@login_required
def supplier_list(request):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.view_suppliers", neighbourhood)
    page = _page(request, selectors.agreement_list(neighbourhood=neighbourhood))
    return render(
        request,
        "purchasing/supplier_list.html",
        {
            "page": page,
            "can_manage": request.user.has_perm("purchasing.manage_suppliers", neighbourhood),
        },
    )


def _agreement_form(request, *, agreement):
    neighbourhood = _nbh(request)
    form = AgreementForm(
        request.POST or None,
        initial=AgreementForm.initial_for(agreement) if agreement else {},
        suppliers=selectors.supplier_candidates(neighbourhood=neighbourhood),
        categories=selectors.category_list(neighbourhood=neighbourhood),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if agreement is None:
                agreement = actions.agreement_create(
                    actor=request.user,
                    neighbourhood=neighbourhood,
                    supplier=form.cleaned_data["supplier"],
                    categories=list(form.cleaned_data["categories"]),
                    **form.action_fields(),
                )
            else:
                if form.cleaned_data["supplier"].pk != agreement.supplier_id:
                    raise ValidationError(
                        {"supplier": _("The supplier of an agreement cannot change.")}
                    )
                actions.agreement_update(
                    actor=request.user,
                    agreement=agreement,
                    categories=list(form.cleaned_data["categories"]),
                    **form.action_fields(),
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The preferred supplier was saved."))
            return form, agreement, True
    return form, agreement, False


@login_required
def supplier_create(request):
    _require(request, "purchasing.manage_suppliers", _nbh(request))
    form, agreement, saved = _agreement_form(request, agreement=None)
    if saved:
        return redirect("purchasing:supplier_detail", pk=agreement.pk)
    return render(request, "purchasing/supplier_form.html", {"form": form, "agreement": None})


def _agreement(request, pk: int) -> SupplierAgreement:
    return get_object_or_404(selectors.agreement_list(neighbourhood=_nbh(request)), pk=pk)


@login_required
def supplier_update(request, pk: int):
    agreement = _agreement(request, pk)
    _require(request, "purchasing.manage_suppliers", agreement)
    form, agreement, saved = _agreement_form(request, agreement=agreement)
    if saved:
        return redirect("purchasing:supplier_detail", pk=agreement.pk)
    return render(request, "purchasing/supplier_form.html", {"form": form, "agreement": agreement})


@login_required
def supplier_detail(request, pk: int):
    agreement = _agreement(request, pk)
    _require(request, "purchasing.view_agreement", agreement)
    return render(
        request,
        "purchasing/supplier_detail.html",
        {
            "agreement": agreement,
            "can_manage": request.user.has_perm("purchasing.manage_suppliers", agreement),
            "offers": agreement.offers.select_related("campaign").order_by("-created_at"),
        },
    )


@login_required
def category_list(request):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.manage_categories", neighbourhood)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.category_create(
                actor=request.user, neighbourhood=neighbourhood, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The category was added."))
            return redirect("purchasing:category_list")
    return render(
        request,
        "purchasing/category_list.html",
        {"categories": selectors.category_list(neighbourhood=neighbourhood), "form": form},
    )


@login_required
def supplier_portal(request):
    neighbourhood = _nbh(request)
    _require(request, "purchasing.use_supplier_portal", neighbourhood)
    return render(
        request,
        "purchasing/supplier_portal.html",
        {
            "suppliers": selectors.supplier_portal(user=request.user, neighbourhood=neighbourhood),
            "export_formats": EXPORT_FORMATS,
        },
    )
