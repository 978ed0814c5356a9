"""Reads of the neighbourhood app that pages, API and CLI share. Always scoped by neighbourhood."""

import re

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

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
    """Households with their area and member count, filtered; a constant number of queries.

    The search understands a postcode with or without its space ("1234AB", "1234 ab"), a house
    number with or without its addition ("12", "12a"), and words from the street, the town or a
    resident's name. Every word must match; member names are searched with EXISTS so that the
    member count stays right and no DISTINCT is needed.
    """
    qs = (
        Household.objects.filter(neighbourhood=neighbourhood)
        .select_related("area")
        .annotate(member_count=Count("members"))
    )
    if area_id:
        qs = qs.filter(area_id=area_id)
    if composition:
        qs = qs.filter(composition=composition)
    return qs.filter(household_search_filter(search)).order_by(
        "street", "house_number", "house_number_suffix", "pk"
    )


_POSTCODE_RE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})\b")
_HOUSE_NUMBER_RE = re.compile(r"^([0-9]{1,6})-?([A-Za-z]{0,4})$")


def household_search_filter(search: str) -> Q:
    """The condition a household must meet to match a free-text search (empty: everything)."""
    condition = Q()
    search = search.strip()[:200]
    for digits, letters in _POSTCODE_RE.findall(search):
        code = f"{digits} {letters.upper()}"
        condition &= Q(postcode__iexact=code) | Q(postcode__iexact=code.replace(" ", ""))
    for term in _POSTCODE_RE.sub(" ", search).split():
        condition &= _household_term(term)
    return condition


def _household_term(term: str) -> Q:
    match = Q(street__icontains=term) | Q(city__icontains=term) | _member_name_matches(term)
    number = _HOUSE_NUMBER_RE.match(term)
    if number:
        digits, suffix = number.groups()
        by_number = Q(house_number=int(digits))
        if suffix:
            by_number &= Q(house_number_suffix__iexact=suffix)
        match |= by_number
        if len(digits) == 4 and not suffix:
            # The first half of a postcode, as typed before the letters.
            match |= Q(postcode__startswith=digits)
    return match


def _member_name_matches(term: str) -> Exists:
    return Exists(
        Person.objects.filter(household=OuterRef("pk")).filter(
            Q(first_name__icontains=term)
            | Q(name_prefix__icontains=term)
            | Q(last_name__icontains=term)
        )
    )


def household_detail(*, neighbourhood: Neighbourhood, household_id: int) -> Household:
    return (
        Household.objects.select_related("area", "neighbourhood")
        .prefetch_related(
            Prefetch(
                "members",
                # Oldest first; people without a date of birth last on every database.
                queryset=Person.objects.order_by(
                    F("date_of_birth").asc(nulls_last=True), "first_name", "pk"
                ),
            )
        )
        .get(neighbourhood=neighbourhood, pk=household_id)
    )


def household_choices(*, neighbourhood: Neighbourhood) -> QuerySet[Household]:
    """Households to pick from in a form, in address order, without extra columns."""
    return Household.objects.filter(neighbourhood=neighbourhood).order_by(
        "street", "house_number", "house_number_suffix", "pk"
    )


def households_at(*, neighbourhood: Neighbourhood, postcode: str, house_number: int) -> list:
    """The households at one postcode and house number (any addition), in address order."""
    return list(
        Household.objects.filter(
            neighbourhood=neighbourhood, postcode=postcode, house_number=house_number
        ).order_by("house_number_suffix", "pk")
    )


def households_by_composition(*, neighbourhood: Neighbourhood) -> list[dict]:
    """How many households of each composition, in the order of the choices."""
    counts = dict(
        Household.objects.filter(neighbourhood=neighbourhood)
        .order_by()
        .values_list("composition")
        .annotate(n=Count("pk"))
        .values_list("composition", "n")
    )
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Household.Composition.choices
    ]


def person_list(
    *, neighbourhood: Neighbourhood, search: str = "", members_only: bool = False
) -> QuerySet[Person]:
    qs = Person.objects.filter(neighbourhood=neighbourhood).select_related(
        "household", "household__area"
    )
    if members_only:
        qs = qs.filter(member_since__isnull=False)
    for term in search.strip()[:200].split():
        qs = qs.filter(
            Q(first_name__icontains=term)
            | Q(name_prefix__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
            | Q(household__street__icontains=term)
        )
    return qs.order_by("last_name", "first_name", "pk")


def person_detail(*, neighbourhood: Neighbourhood, person_id: int) -> Person:
    return Person.objects.select_related("household", "household__area", "user").get(
        neighbourhood=neighbourhood, pk=person_id
    )


def organisation_list(
    *, neighbourhood: Neighbourhood, search: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(neighbourhood=neighbourhood)
    if kind:
        qs = qs.filter(kind=kind)
    for term in search.strip()[:200].split():
        qs = qs.filter(
            Q(name__icontains=term) | Q(description__icontains=term) | Q(address__icontains=term)
        )
    return qs.order_by("name", "pk")


def organisation_detail(*, neighbourhood: Neighbourhood, organisation_id: int) -> Organisation:
    return Organisation.objects.get(neighbourhood=neighbourhood, pk=organisation_id)


def organisations_by_kind(*, neighbourhood: Neighbourhood) -> list[dict]:
    """How many organisations of each kind, in the order of the choices."""
    counts = dict(
        Organisation.objects.filter(neighbourhood=neighbourhood)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Organisation.Kind.choices
    ]


def representatives_of(*, organisation: Organisation) -> QuerySet[Role]:
    return (
        Role.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("scale", "user__full_name", "pk")
    )


def representative_roles(*, user, neighbourhood: Neighbourhood) -> QuerySet[Role]:
    """The organisations a user represents in a neighbourhood, with the scale they act at."""
    if not getattr(user, "is_authenticated", False):
        return Role.objects.none()
    return (
        Role.objects.filter(
            user_id=user.pk, neighbourhood=neighbourhood, kind=Role.Kind.REPRESENTATIVE
        )
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def users_within_neighbourhoods(users: QuerySet, neighbourhood_ids) -> QuerySet:
    """Users whose every link (person, role) lies within the given neighbourhoods.

    Users linked to nowhere are included (a new account), superusers never: staff of one
    neighbourhood must not be able to change an account that reaches into another.
    """
    ids = list(neighbourhood_ids)
    person_elsewhere = Person.objects.filter(user=OuterRef("pk")).exclude(neighbourhood_id__in=ids)
    role_elsewhere = Role.objects.filter(user=OuterRef("pk")).exclude(neighbourhood_id__in=ids)
    return users.filter(is_superuser=False).exclude(
        Exists(person_elsewhere) | Exists(role_elsewhere)
    )


def _per_neighbourhood(queryset: QuerySet, total) -> Coalesce:
    """A scalar subquery: ``total`` over the rows of ``queryset`` in the outer neighbourhood."""
    grouped = (
        queryset.filter(neighbourhood=OuterRef("pk"))
        .order_by()
        .values("neighbourhood")
        .annotate(total=total)
        .values("total")
    )
    return Coalesce(Subquery(grouped), 0)


def neighbourhood_summary(*, neighbourhood: Neighbourhood) -> dict[str, int]:
    """The neighbourhood at a glance: counts residents and staff may both see (one query)."""
    names = ("areas", "households", "residents", "members", "organisations")
    row = (
        Neighbourhood.objects.filter(pk=neighbourhood.pk)
        .annotate(  # "n_" prefixes: the model has related names like "areas"
            n_areas=_per_neighbourhood(Area.objects.all(), Count("pk")),
            n_households=_per_neighbourhood(Household.objects.all(), Count("pk")),
            n_residents=_per_neighbourhood(Household.objects.all(), Sum("size")),
            n_members=_per_neighbourhood(
                Person.objects.filter(member_since__isnull=False), Count("pk")
            ),
            n_organisations=_per_neighbourhood(Organisation.objects.all(), Count("pk")),
        )
        .values(*[f"n_{name}" for name in names])
        .get()
    )
    return {name: row[f"n_{name}"] for name in names}


def wijkbedrijf_of(*, neighbourhood: Neighbourhood) -> Organisation | None:
    return Organisation.objects.filter(
        neighbourhood=neighbourhood, kind=Organisation.Kind.WIJKBEDRIJF
    ).first()


def api_neighbourhoods(*, user, current: Neighbourhood | None) -> QuerySet[Neighbourhood]:
    """Neighbourhoods an API caller works with: every one for a superuser, else the current one."""
    if access_for(user).is_superuser:
        return Neighbourhood.objects.order_by("name", "pk")
    if current is None:
        return Neighbourhood.objects.none()
    return Neighbourhood.objects.filter(pk=current.pk)
