"""Pages for opgaven, the social return calculator, reference values and the list of reports.

Views parse input, check a permission, call an action or selector and render; the business case
editor and report live in case_views.py.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .actions import opgave_create, opgave_update, reference_value_save
from .engine.money import from_cents
from .forms import GoalFormSet, OpgaveForm, ReferenceValueForm, SocialReturnForm, goal_drafts
from .models import Opgave, ReferenceSet, ReferenceValue
from .selectors import (
    business_case_list,
    current_reference_set,
    opgave_detail,
    opgave_list,
    opgave_social_return,
    placement_types,
    reference_changes,
    reference_lookup,
    reference_set_for,
    reference_set_history,
    reference_values,
    social_return_for,
)


def neighbourhood_of(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise Http404
    return neighbourhood


def require(request, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def apply_errors(form, exc: ValidationError, field_map=None) -> None:
    """Put an action's errors on the form's fields; the rest become form-wide errors."""
    field_map = field_map or {}
    for key, errors in exc.message_dict.items():
        name = field_map.get(key, key)
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def paginate(request, queryset):
    return Paginator(queryset, settings.HEELWIJK_PAGE_SIZE).get_page(request.GET.get("page"))


# --- opgaven ------------------------------------------------------------------------------------


@login_required
def opgave_list_view(request):
    neighbourhood = neighbourhood_of(request)
    require(request, "businesscase.list_opgaven", neighbourhood)
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    status = request.GET.get("status", "")
    if status not in Opgave.Status.values:
        status = ""
    page = paginate(request, opgave_list(neighbourhood=neighbourhood, search=search, status=status))
    return render(
        request,
        "businesscase/opgave_list.html",
        {
            "page": page,
            "search": search,
            "status": status,
            "statuses": Opgave.Status.choices,
            "query": urlencode({k: v for k, v in (("q", search), ("status", status)) if v}),
            "can_add": request.user.has_perm("businesscase.add_opgave", neighbourhood),
        },
    )


def _goal_initial(opgave: Opgave) -> list[dict]:
    return [
        {"kind": g.kind, "indicator": g.indicator, "target": g.target, "unit": g.unit}
        for g in opgave.goals.all()
    ]


GOAL_FIELD_MAP = {"budget_cents": "budget", "contract_value_cents": "contract_value"}


def _opgave_form_page(request, *, neighbourhood, opgave=None):
    if request.method == "POST":
        form = OpgaveForm(request.POST, neighbourhood=neighbourhood)
        goals = GoalFormSet(request.POST, prefix="goals")
        if form.is_valid() and goals.is_valid():
            try:
                if opgave is None:
                    opgave = opgave_create(
                        actor=request.user,
                        neighbourhood=neighbourhood,
                        fields=form.action_fields(),
                        area_ids=form.area_ids(),
                        goals=goal_drafts(goals),
                    )
                    messages.success(request, _("The opgave was added."))
                else:
                    opgave = opgave_update(
                        actor=request.user,
                        opgave=opgave,
                        fields=form.action_fields(),
                        area_ids=form.area_ids(),
                        goals=goal_drafts(goals),
                    )
                    messages.success(request, _("The opgave was saved."))
                return redirect("businesscase:opgave_detail", pk=opgave.pk)
            except ValidationError as exc:
                apply_errors(form, exc, GOAL_FIELD_MAP)
    else:
        initial = OpgaveForm.initial_for(opgave) if opgave else {}
        form = OpgaveForm(initial=initial, neighbourhood=neighbourhood)
        goals = GoalFormSet(prefix="goals", initial=_goal_initial(opgave) if opgave else None)
    return render(
        request,
        "businesscase/opgave_form.html",
        {"form": form, "goals": goals, "opgave": opgave},
    )


@login_required
@require_http_methods(["GET", "POST"])
def opgave_create_view(request):
    neighbourhood = neighbourhood_of(request)
    require(request, "businesscase.add_opgave", neighbourhood)
    return _opgave_form_page(request, neighbourhood=neighbourhood)


@login_required
@require_http_methods(["GET", "POST"])
def opgave_update_view(request, pk: int):
    neighbourhood = neighbourhood_of(request)
    opgave = _opgave_or_404(neighbourhood, pk)
    require(request, "businesscase.change_opgave", opgave)
    return _opgave_form_page(request, neighbourhood=neighbourhood, opgave=opgave)


def _opgave_or_404(neighbourhood, pk):
    try:
        return opgave_detail(neighbourhood=neighbourhood, pk=pk)
    except Opgave.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def opgave_detail_view(request, pk: int):
    neighbourhood = neighbourhood_of(request)
    opgave = _opgave_or_404(neighbourhood, pk)
    require(request, "businesscase.view_opgave", opgave)
    reference_set = current_reference_set(neighbourhood=neighbourhood)
    return render(
        request,
        "businesscase/opgave_detail.html",
        {
            "opgave": opgave,
            "budget": from_cents(opgave.budget_cents),
            "contract_value": from_cents(opgave.contract_value_cents),
            "social_return": opgave_social_return(opgave, reference_set),
            "can_change": request.user.has_perm("businesscase.change_opgave", opgave),
            "can_add_case": request.user.has_perm("businesscase.add_businesscase", neighbourhood),
        },
    )


# --- social return calculator -------------------------------------------------------------------


@login_required
def social_return_view(request, pk: int | None = None):
    neighbourhood = neighbourhood_of(request)
    opgave = _opgave_or_404(neighbourhood, pk) if pk else None
    require(request, "businesscase.use_social_return_calculator", opgave or neighbourhood)
    reference_set = current_reference_set(neighbourhood=neighbourhood)
    if reference_set is None:
        raise Http404
    types = placement_types(reference_set)
    data = request.GET if "contract_value" in request.GET else None
    initial = {}
    if opgave is not None:
        initial = {
            "contract_value": from_cents(opgave.contract_value_cents),
            "labour_share": opgave.labour_share,
            "duration_months": opgave.duration_months,
        }
    form = SocialReturnForm(data, initial=initial, placement_types=types)
    result = None
    if data is None and opgave is not None:
        result = opgave_social_return(opgave, reference_set)
    elif form.is_bound and form.is_valid():
        result = social_return_for(
            reference_set=reference_set,
            contract_value=form.cleaned_data["contract_value"],
            labour_share=form.cleaned_data["labour_share"],
            duration_months=form.cleaned_data["duration_months"],
            planned=form.planned(),
        )
    lookup = reference_lookup(reference_set)
    context = {
        "form": form,
        "opgave": opgave,
        "result": result,
        "reference_set": reference_set,
        "rule_values": [
            lookup[k]
            for k in (
                "social_return_percent",
                "social_return_low_labour_percent",
                "social_return_labour_threshold",
                "social_return_min_contract_value",
                "social_return_min_duration",
            )
            if k in lookup
        ],
        "placement_values": [lookup[t.key] for t in types],
    }
    if request.htmx:
        return render(request, "businesscase/_social_return_result.html", context)
    return render(request, "businesscase/social_return.html", context)


# --- reports ------------------------------------------------------------------------------------


@login_required
def report_list_view(request):
    neighbourhood = neighbourhood_of(request)
    require(request, "businesscase.list_reports", neighbourhood)
    # Residents see published reports only; partners also see drafts.
    partner = request.user.has_perm("businesscase.list_opgaven", neighbourhood)
    page = paginate(
        request, business_case_list(neighbourhood=neighbourhood, published_only=not partner)
    )
    return render(request, "businesscase/report_list.html", {"page": page, "show_status": partner})


# --- reference values ---------------------------------------------------------------------------


@login_required
def reference_list_view(request):
    neighbourhood = neighbourhood_of(request)
    require(request, "businesscase.view_reference_values", neighbourhood)
    current = current_reference_set(neighbourhood=neighbourhood)
    return render(
        request,
        "businesscase/reference_list.html",
        {
            "reference_set": current,
            "values": reference_values(reference_set=current) if current else [],
            "history": reference_set_history(neighbourhood=neighbourhood),
            "can_change": request.user.has_perm(
                "businesscase.change_reference_values", neighbourhood
            ),
            "is_current": True,
        },
    )


@login_required
def reference_set_view(request, pk: int):
    neighbourhood = neighbourhood_of(request)
    require(request, "businesscase.view_reference_values", neighbourhood)
    try:
        reference_set = reference_set_for(neighbourhood=neighbourhood, pk=pk)
    except ReferenceSet.DoesNotExist as exc:
        raise Http404 from exc
    current = current_reference_set(neighbourhood=neighbourhood)
    return render(
        request,
        "businesscase/reference_list.html",
        {
            "reference_set": reference_set,
            "values": reference_values(reference_set=reference_set),
            "changes": reference_changes(reference_set=reference_set),
            "history": reference_set_history(neighbourhood=neighbourhood),
            "can_change": False,
            "is_current": current is not None and current.pk == reference_set.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reference_edit_view(request, key: str | None = None):
    neighbourhood = neighbourhood_of(request)
    require(request, "businesscase.change_reference_values", neighbourhood)
    current = current_reference_set(neighbourhood=neighbourhood)
    existing: ReferenceValue | None = None
    if key is not None:
        existing = reference_lookup(current).get(key) if current else None
        if existing is None:
            raise Http404
    if request.method == "POST":
        form = ReferenceValueForm(
            request.POST,
            initial={"key": existing.key} if existing else None,
            fixed_key=existing is not None,
        )
        if form.is_valid():
            draft = form.draft()
            if existing is None and current and draft.key in reference_lookup(current):
                form.add_error("key", _("This code is already used; change that value instead."))
            else:
                try:
                    new_set = reference_value_save(
                        actor=request.user,
                        neighbourhood=neighbourhood,
                        draft=draft,
                        note=form.cleaned_data.get("change_note", ""),
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    if current is not None and new_set.pk == current.pk:
                        messages.info(request, _("Nothing changed."))
                    else:
                        messages.success(
                            request,
                            _(
                                "Saved as a new version: %(set)s. Business cases made earlier keep "
                                "the values they used."
                            )
                            % {"set": new_set},
                        )
                    return redirect("businesscase:reference_list")
    else:
        initial = ReferenceValueForm.initial_for(existing) if existing else {}
        form = ReferenceValueForm(initial=initial, fixed_key=existing is not None)
    return render(
        request,
        "businesscase/reference_form.html",
        {"form": form, "existing": existing, "reference_set": current},
    )
