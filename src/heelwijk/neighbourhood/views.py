"""Pages of the neighbourhood: the staff overview and households, people and organisations.

Every view parses input, asks a django-rules permission, calls a selector or an action and
renders. Objects are always looked up inside the user's current neighbourhood, so an object of
another neighbourhood is a 404, never a 403 that would confirm it exists.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import actions, selectors
from .forms import (
    HouseholdFilterForm,
    HouseholdForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
    add_action_errors,
)
from .models import Person

# --- helpers ---------------------------------------------------------------------------------


def login_required_page(view):
    """Like login_required, but an htmx request is sent to the login page as a whole page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            path = request.get_full_path()
            if request.htmx:
                login_url = resolve_url(settings.LOGIN_URL)
                return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': path})}")
            return redirect_to_login(path)
        return view(request, *args, **kwargs)

    return wrapper


def _neighbourhood_allowing(request, permission: str):
    """The current neighbourhood if the user has `permission` in it; 403 otherwise."""
    neighbourhood = request.neighbourhood
    if neighbourhood is None or not request.user.has_perm(permission, neighbourhood):
        raise PermissionDenied
    return neighbourhood


def _find(selector, **lookup):
    """An object of the current neighbourhood, or 404."""
    try:
        return selector(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _current_neighbourhood_or_404(request):
    if request.neighbourhood is None:
        raise Http404
    return request.neighbourhood


def _require(request, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _wants_partial(request) -> bool:
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _list_page(request, *, template: str, partial: str, queryset, context: dict):
    """One view, two answers: the whole page, or only the results for an htmx request."""
    page = Paginator(queryset, settings.HEELWIJK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **context,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "htmx_partial": _wants_partial(request),
    }
    response = render(request, partial if context["htmx_partial"] else template, context)
    # The same URL answers differently for htmx: caches must keep both apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _names_of_members():
    return Prefetch(
        "members",
        queryset=Person.objects.only(
            "pk", "household_id", "first_name", "name_prefix", "last_name"
        ).order_by("last_name", "first_name", "pk"),
    )


def _save_with_action(request, form, write, *, success):
    """Run the action for a valid form; on bad data put its messages next to the fields.

    `success(obj)` gives the message shown after the redirect.
    """
    try:
        obj = write(**form.action_fields())
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None
    if form.instance.pk and not form.has_changed():
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, success(obj))
    return obj


# --- overview --------------------------------------------------------------------------------


@login_required_page
def overview(request):
    neighbourhood = _neighbourhood_allowing(request, "neighbourhood.view_staff_pages")
    context = {
        "summary": selectors.neighbourhood_summary(neighbourhood=neighbourhood),
        "areas": selectors.area_list(neighbourhood=neighbourhood).order_by("name"),
        "compositions": selectors.households_by_composition(neighbourhood=neighbourhood),
        "kinds": selectors.organisations_by_kind(neighbourhood=neighbourhood),
        "can_import": request.user.has_perm("neighbourhood.import_data", neighbourhood),
        "can_manage_tokens": request.user.has_perm("accounts.manage_api_tokens", neighbourhood),
    }
    return render(request, "neighbourhood/overview.html", context)


# --- households ------------------------------------------------------------------------------


@login_required_page
def household_list(request):
    neighbourhood = _neighbourhood_allowing(request, "neighbourhood.list_households")
    form = HouseholdFilterForm(request.GET, neighbourhood=neighbourhood)
    form.is_valid()  # invalid filters are shown next to their field and ignored
    area = form.cleaned_data.get("area")
    households = selectors.household_list(
        neighbourhood=neighbourhood,
        search=form.cleaned_data.get("q", ""),
        area_id=area.pk if area else None,
        composition=form.cleaned_data.get("composition", ""),
    ).prefetch_related(_names_of_members())
    return _list_page(
        request,
        template="neighbourhood/household_list.html",
        partial="neighbourhood/_household_results.html",
        queryset=households,
        context={
            "form": form,
            "can_add": request.user.has_perm("neighbourhood.add_household", neighbourhood),
        },
    )


@login_required_page
def household_detail(request, pk: int):
    neighbourhood = _current_neighbourhood_or_404(request)
    household = _find(selectors.household_detail, neighbourhood=neighbourhood, household_id=pk)
    _require(request, "neighbourhood.view_household", household)
    user = request.user
    return render(
        request,
        "neighbourhood/household_detail.html",
        {
            "household": household,
            "members": list(household.members.all()),
            "can_change": user.has_perm("neighbourhood.change_household", household),
            "can_add_person": user.has_perm("neighbourhood.add_person", neighbourhood),
            "is_staff_view": user.has_perm("neighbourhood.list_people", neighbourhood),
        },
    )


@login_required_page
def household_create(request):
    neighbourhood = _neighbourhood_allowing(request, "neighbourhood.add_household")
    form = HouseholdForm(request.POST or None, neighbourhood=neighbourhood)
    if request.method == "POST" and form.is_valid():

        def write(**fields):
            return actions.household_create(
                actor=request.user, neighbourhood=neighbourhood, **fields
            )

        household = _save_with_action(
            request,
            form,
            write,
            success=lambda h: (
                _("The household at %(address)s has been added.") % {"address": h.address}
            ),
        )
        if household:
            return redirect("neighbourhood:household_detail", pk=household.pk)
    return render(
        request,
        "neighbourhood/household_form.html",
        {"form": form, "household": None, "cancel_url": reverse("neighbourhood:household_list")},
    )


@login_required_page
def household_edit(request, pk: int):
    neighbourhood = _current_neighbourhood_or_404(request)
    household = _find(selectors.household_detail, neighbourhood=neighbourhood, household_id=pk)
    _require(request, "neighbourhood.change_household", household)
    form = HouseholdForm(request.POST or None, instance=household, neighbourhood=neighbourhood)
    if request.method == "POST" and form.is_valid():

        def write(**fields):
            return actions.household_update(actor=request.user, household=household, **fields)

        if _save_with_action(
            request,
            form,
            write,
            success=lambda h: (
                _("The changes to %(address)s have been saved.") % {"address": h.address}
            ),
        ):
            return redirect("neighbourhood:household_detail", pk=household.pk)
    return render(
        request,
        "neighbourhood/household_form.html",
        {
            "form": form,
            "household": household,
            "cancel_url": reverse("neighbourhood:household_detail", args=[household.pk]),
        },
    )


# --- people ----------------------------------------------------------------------------------


@login_required_page
def person_list(request):
    neighbourhood = _neighbourhood_allowing(request, "neighbourhood.list_people")
    form = PersonFilterForm(request.GET)
    form.is_valid()
    people = selectors.person_list(
        neighbourhood=neighbourhood,
        search=form.cleaned_data.get("q", ""),
        members_only=bool(form.cleaned_data.get("members")),
    )
    return _list_page(
        request,
        template="neighbourhood/person_list.html",
        partial="neighbourhood/_person_results.html",
        queryset=people,
        context={
            "form": form,
            "can_add": request.user.has_perm("neighbourhood.add_person", neighbourhood),
        },
    )


@login_required_page
def person_detail(request, pk: int):
    neighbourhood = _current_neighbourhood_or_404(request)
    person = _find(selectors.person_detail, neighbourhood=neighbourhood, person_id=pk)
    _require(request, "neighbourhood.view_person", person)
    user = request.user
    return render(
        request,
        "neighbourhood/person_detail.html",
        {
            "person": person,
            "can_change": user.has_perm("neighbourhood.change_person", person),
            "can_view_household": person.household is not None
            and user.has_perm("neighbourhood.view_household", person.household),
            "is_staff_view": user.has_perm("neighbourhood.list_people", neighbourhood),
            "can_export": user.has_perm("neighbourhood.export_person", person),
            "can_erase": person.erased_at is None
            and user.has_perm("neighbourhood.erase_person", person),
        },
    )


@login_required_page
def person_create(request):
    neighbourhood = _neighbourhood_allowing(request, "neighbourhood.add_person")
    initial = {}
    household_id = request.GET.get("household", "")
    if household_id.isdigit():
        initial["household"] = int(household_id)
    form = PersonForm(request.POST or None, initial=initial, neighbourhood=neighbourhood)
    if request.method == "POST" and form.is_valid():

        def write(**fields):
            return actions.person_create(actor=request.user, neighbourhood=neighbourhood, **fields)

        person = _save_with_action(
            request,
            form,
            write,
            success=lambda p: _("%(name)s has been added.") % {"name": p.full_name},
        )
        if person:
            return redirect("neighbourhood:person_detail", pk=person.pk)
    return render(
        request,
        "neighbourhood/person_form.html",
        {"form": form, "person": None, "cancel_url": reverse("neighbourhood:person_list")},
    )


@login_required_page
def person_edit(request, pk: int):
    neighbourhood = _current_neighbourhood_or_404(request)
    person = _find(selectors.person_detail, neighbourhood=neighbourhood, person_id=pk)
    _require(request, "neighbourhood.change_person", person)
    form = PersonForm(request.POST or None, instance=person, neighbourhood=neighbourhood)
    if request.method == "POST" and form.is_valid():

        def write(**fields):
            return actions.person_update(actor=request.user, person=person, **fields)

        if _save_with_action(
            request,
            form,
            write,
            success=lambda p: _("The changes to %(name)s have been saved.") % {"name": p.full_name},
        ):
            return redirect("neighbourhood:person_detail", pk=person.pk)
    return render(
        request,
        "neighbourhood/person_form.html",
        {
            "form": form,
            "person": person,
            "cancel_url": reverse("neighbourhood:person_detail", args=[person.pk]),
        },
    )


# --- organisations ---------------------------------------------------------------------------


@login_required_page
def organisation_list(request):
    neighbourhood = _neighbourhood_allowing(request, "neighbourhood.list_organisations")
    form = OrganisationFilterForm(request.GET)
    form.is_valid()
    organisations = selectors.organisation_list(
        neighbourhood=neighbourhood,
        search=form.cleaned_data.get("q", ""),
        kind=form.cleaned_data.get("kind", ""),
    )
    return _list_page(
        request,
        template="neighbourhood/organisation_list.html",
        partial="neighbourhood/_organisation_results.html",
        queryset=organisations,
        context={
            "form": form,
            "can_add": request.user.has_perm("neighbourhood.add_organisation", neighbourhood),
        },
    )


@login_required_page
def organisation_detail(request, pk: int):
    neighbourhood = _current_neighbourhood_or_404(request)
    organisation = _find(
        selectors.organisation_detail, neighbourhood=neighbourhood, organisation_id=pk
    )
    _require(request, "neighbourhood.view_organisation", organisation)
    user = request.user
    return render(
        request,
        "neighbourhood/organisation_detail.html",
        {
            "organisation": organisation,
            "representatives": selectors.representatives_of(organisation=organisation),
            "can_change": user.has_perm("neighbourhood.change_organisation", organisation),
            "is_staff_view": user.has_perm("neighbourhood.view_staff_pages", neighbourhood),
        },
    )


@login_required_page
def organisation_create(request):
    neighbourhood = _neighbourhood_allowing(request, "neighbourhood.add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def write(**fields):
            return actions.organisation_create(
                actor=request.user, neighbourhood=neighbourhood, **fields
            )

        organisation = _save_with_action(
            request,
            form,
            write,
            success=lambda o: _("%(name)s has been added.") % {"name": o.name},
        )
        if organisation:
            return redirect("neighbourhood:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "neighbourhood/organisation_form.html",
        {
            "form": form,
            "organisation": None,
            "cancel_url": reverse("neighbourhood:organisation_list"),
        },
    )


@login_required_page
def organisation_edit(request, pk: int):
    neighbourhood = _current_neighbourhood_or_404(request)
    organisation = _find(
        selectors.organisation_detail, neighbourhood=neighbourhood, organisation_id=pk
    )
    _require(request, "neighbourhood.change_organisation", organisation)
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        can_change_kind=request.user.has_perm("neighbourhood.add_organisation", neighbourhood),
    )
    if request.method == "POST" and form.is_valid():

        def write(**fields):
            return actions.organisation_update(
                actor=request.user, organisation=organisation, **fields
            )

        if _save_with_action(
            request,
            form,
            write,
            success=lambda o: _("The changes to %(name)s have been saved.") % {"name": o.name},
        ):
            return redirect("neighbourhood:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "neighbourhood/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "cancel_url": reverse("neighbourhood:organisation_detail", args=[organisation.pk]),
        },
    )
