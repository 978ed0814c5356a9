"""Reads of the neighbourhood app that pages, API and CLI share. Always scoped by neighbourhood."""

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from .access import access_for
from .models import Area, Household, Neighbourhood, Organisation, Person, Role


def neighbourhoods_for_user(user) -> QuerySet[Neighbourhood]:
    access = access_for(user)
    if access.is_superuser:
        return Neighbourhood.objects.all()
    return Neighbourhood.objects.filter(pk__in=access.neighbourhood_ids)


def current_neighbourhood(user, chosen_id: int | None = None) -> Neighbourhood | None:
    """The neighbourhood a user works in: the one chosen this session if allowed, else the first."""
    if not getattr(user, "is_authenticated", False):
        return None
    allowed = neighbourhoods_for_user(user).order_by("pk")
    if chosen_id:
        chosen = allowed.filter(pk=chosen_id).first()
        if chosen:
            return chosen
    access = access_for(user)
    if access.person:
        return allowed.filter(pk=access.person.neighbourhood_id).first() or allowed.first()
    return allowed.first()


def area_list(*, neighbourhood: Neighbourhood) -> QuerySet[Area]:
    return Area.objects.filter(neighbourhood=neighbourhood).annotate(
        household_count=Count("households")
    )


def household_list(
    *,
    neighbourhood: Neighbourhood,
    search: str = "",
    area_id: int | None = None,
    composition: str = "",
) -> QuerySet[Household]:
    """Households with their area and member count, filtered; a constant number of queries."""
    qs = (
        Household.objects.filter(neighbourhood=neighbourhood)
        .select_related("area")
        .annotate(member_count=Count("members"))
    )
    if area_id:
        qs = qs.filter(area_id=area_id)
    if composition:
        qs = qs.filter(composition=composition)
    for term in search.split():
        compact = term.replace(" ", "").upper()
        qs = qs.filter(
            Q(street__icontains=term)
            | Q(postcode__icontains=compact)
            | Q(postcode__icontains=_spaced_postcode(compact))
            | Q(city__icontains=term)
            | Q(members__last_name__icontains=term)
            | Q(members__first_name__icontains=term)
            | Q(house_number=int(term) if term.isdigit() and len(term) < 7 else -1)
        ).distinct()
    return qs.order_by("street", "house_number", "house_number_suffix", "pk")


def _spaced_postcode(compact: str) -> str:
    if len(compact) == 6 and compact[:4].isdigit():
        return f"{compact[:4]} {compact[4:]}"
    return compact


def household_detail(*, neighbourhood: Neighbourhood, household_id: int) -> Household:
    return (
        Household.objects.select_related("area", "neighbourhood")
        .prefetch_related(
            Prefetch("members", queryset=Person.objects.order_by("date_of_birth", "first_name"))
        )
        .get(neighbourhood=neighbourhood, pk=household_id)
    )


def person_list(
    *, neighbourhood: Neighbourhood, search: str = "", members_only: bool = False
) -> QuerySet[Person]:
    qs = Person.objects.filter(neighbourhood=neighbourhood).select_related(
        "household", "household__area"
    )
    if members_only:
        qs = qs.filter(member_since__isnull=False)
    for term in search.split():
        qs = qs.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(household__street__icontains=term)
        )
    return qs.order_by("last_name", "first_name", "pk")


def organisation_list(
    *, neighbourhood: Neighbourhood, search: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(neighbourhood=neighbourhood)
    if kind:
        qs = qs.filter(kind=kind)
    for term in search.split():
        qs = qs.filter(Q(name__icontains=term) | Q(description__icontains=term))
    return qs.order_by("name", "pk")


def representatives_of(*, organisation: Organisation) -> QuerySet[Role]:
    return Role.objects.filter(organisation=organisation).select_related("user")


def neighbourhood_summary(*, neighbourhood: Neighbourhood) -> dict[str, int]:
    """The neighbourhood at a glance: counts residents and staff may both see."""
    totals = Household.objects.filter(neighbourhood=neighbourhood).aggregate(
        households=Count("pk"), residents=Sum("size")
    )
    return {
        "areas": Area.objects.filter(neighbourhood=neighbourhood).count(),
        "households": totals["households"],
        "residents": totals["residents"] or 0,
        "members": Person.objects.filter(
            neighbourhood=neighbourhood, member_since__isnull=False
        ).count(),
        "organisations": Organisation.objects.filter(neighbourhood=neighbourhood).count(),
    }


def wijkbedrijf_of(*, neighbourhood: Neighbourhood) -> Organisation | None:
    return Organisation.objects.filter(
        neighbourhood=neighbourhood, kind=Organisation.Kind.WIJKBEDRIJF
    ).first()
