"""Home pages: a welcome for visitors, 'my household' for residents, a start page for others."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from heelwijk.neighbourhood.access import access_for
from heelwijk.neighbourhood.selectors import (
    household_detail,
    neighbourhood_summary,
    neighbourhoods_for_user,
    representative_roles,
    wijkbedrijf_of,
)

from .dashboard import resident_cards


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/welcome.html")
    neighbourhood = request.neighbourhood
    access = access_for(request.user)
    person = access.person
    household = None
    if (
        person
        and person.household_id
        and neighbourhood
        and person.neighbourhood_id == neighbourhood.pk
    ):
        household = household_detail(neighbourhood=neighbourhood, household_id=person.household_id)
    context = {
        "person": person,
        "household": household,
        "summary": neighbourhood_summary(neighbourhood=neighbourhood) if neighbourhood else None,
        "wijkbedrijf": wijkbedrijf_of(neighbourhood=neighbourhood) if neighbourhood else None,
        "is_staff": bool(neighbourhood and access.is_staff(neighbourhood.pk)),
        "representing": (
            list(representative_roles(user=request.user, neighbourhood=neighbourhood))
            if neighbourhood and neighbourhood.pk in access.represents
            else []
        ),
        "neighbourhoods": neighbourhoods_for_user(request.user),
        "cards": (
            resident_cards(user=request.user, neighbourhood=neighbourhood, household=household)
            if person and neighbourhood
            else []
        ),
    }
    return render(request, "web/home.html", context)


@login_required
@require_POST
def switch_neighbourhood(request):
    chosen = request.POST.get("neighbourhood", "")
    if chosen.isdigit() and neighbourhoods_for_user(request.user).filter(pk=int(chosen)).exists():
        request.session["neighbourhood_id"] = int(chosen)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)
