"""JSON API for neighbourhoods, areas, households, people and organisations.

Every operation works inside the caller's neighbourhood (`request.neighbourhood`: the token's,
or the one chosen in the session): an id from another neighbourhood answers 404, a permission
the caller lacks answers 403. Writes go through `actions`, which validate and audit.
"""

from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from . import actions, privacy_requests, selectors
from .access import access_for
from .schemas import (
    AreaIn,
    AreaOut,
    AreaPage,
    AreaPatch,
    ErrorOut,
    HouseholdDetailOut,
    HouseholdFilters,
    HouseholdIn,
    HouseholdPage,
    HouseholdPatch,
    MeOut,
    NeighbourhoodIn,
    NeighbourhoodOut,
    NeighbourhoodPage,
    NeighbourhoodPatch,
    ObjectId,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    PageParams,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
)

router = Router(tags=["neighbourhood"])

# Every answer an operation can give besides success, so clients (and schemathesis) know them.
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
LIST_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **READ_ERRORS}

# Model field names as the API calls them, for error messages from actions.
API_FIELD_NAMES = {"area": "area_id", "household": "household_id"}


# --- helpers --------------------------------------------------------------------------------------


def _neighbourhood(request):
    neighbourhood = getattr(request, "neighbourhood", None)
    if neighbourhood is None:
        raise PermissionDenied(_("Your account is not linked to a neighbourhood."))
    return neighbourhood


def _require(request, permission: str, obj) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def _page(queryset, params: PageParams) -> dict:
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": list(queryset[params.offset : params.offset + params.limit]),
    }


def _found(read, **kwargs):
    """Run a detail selector; a row outside the neighbourhood does not exist for the caller."""
    try:
        return read(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def _one(queryset):
    obj = queryset.first()
    if obj is None:
        raise Http404
    return obj


def _write(status: int, action, **kwargs):
    """Call an action; answer its validation errors with API field names, a lost race with 409."""
    try:
        return Status(status, action(**kwargs))
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        errors: dict[str, list] = {}
        for field, problems in exc.error_dict.items():
            for problem in problems:
                field, problem = _readable(field, problem)
                errors.setdefault(API_FIELD_NAMES.get(field, field), []).append(problem)
        raise ValidationError(errors) from None
    except IntegrityError:
        # Validation passed, so another request saved the same thing at the same moment.
        message = _("This conflicts with data that was saved at the same moment. Nothing changed.")
        return JsonResponse({"detail": message}, status=409)


def _readable(field: str, problem: ValidationError) -> tuple[str, ValidationError]:
    """Django names every field of a broken unique constraint, the neighbourhood included; say
    which value is taken instead, on the field the caller should change."""
    if field != NON_FIELD_ERRORS or problem.code != "unique_together":
        return field, problem
    model = problem.params["model_class"]
    named = [f for f in problem.params["unique_check"] if f != "neighbourhood"]
    if not named:
        return field, problem
    message = _("%(thing)s with this %(field)s already exists in this neighbourhood.") % {
        "thing": capfirst(model._meta.verbose_name),
        "field": model._meta.get_field(named[0]).verbose_name,
    }
    return named[0], ValidationError(message, code="unique")


def _in_neighbourhood(queryset, pk: int | None, field: str, message: str):
    """Resolve an id sent in a body to a row of the caller's neighbourhood, or refuse with 400."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: [message]})
    return obj


def _area_for(neighbourhood, area_id: int | None):
    return _in_neighbourhood(
        selectors.area_list(neighbourhood=neighbourhood),
        area_id,
        "area_id",
        _("There is no area with this id in this neighbourhood."),
    )


def _household_for(neighbourhood, household_id: int | None):
    return _in_neighbourhood(
        selectors.household_choices(neighbourhood=neighbourhood),
        household_id,
        "household_id",
        _("There is no household with this id in this neighbourhood."),
    )


# --- the caller -----------------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Who am I")
def me(request):
    """The caller, the neighbourhood they work in and their place in it."""
    neighbourhood = getattr(request, "neighbourhood", None)
    access = access_for(request.user)
    person = access.person
    in_this = bool(person and neighbourhood and person.neighbourhood_id == neighbourhood.pk)
    nid = neighbourhood.pk if neighbourhood else None
    return {
        "user_id": request.user.pk,
        "email": request.user.email,
        "full_name": request.user.full_name,
        "neighbourhood": neighbourhood,
        "person_id": person.pk if in_this else None,
        "household_id": person.household_id if in_this else None,
        "is_staff": bool(nid and (access.is_superuser or access.is_staff(nid))),
        "organisation_ids": sorted(access.organisation_ids(nid)) if nid else [],
    }


# --- neighbourhoods -------------------------------------------------------------------------------


@router.get("/neighbourhoods", response={200: NeighbourhoodPage, **LIST_ERRORS})
def neighbourhood_list(request, params: Query[PageParams]):
    """The caller's neighbourhood (a superuser sees all)."""
    queryset = selectors.api_neighbourhoods(
        user=request.user, current=getattr(request, "neighbourhood", None)
    )
    return _page(queryset, params)


@router.get("/neighbourhoods/{neighbourhood_id}", response={200: NeighbourhoodOut, **READ_ERRORS})
def neighbourhood_read(request, neighbourhood_id: Path[ObjectId]):
    queryset = selectors.api_neighbourhoods(
        user=request.user, current=getattr(request, "neighbourhood", None)
    )
    neighbourhood = _one(queryset.filter(pk=neighbourhood_id))
    _require(request, "neighbourhood.view_neighbourhood", neighbourhood)
    return neighbourhood


@router.post("/neighbourhoods", response={201: NeighbourhoodOut, **WRITE_ERRORS})
def neighbourhood_create(request, payload: NeighbourhoodIn):
    """Start a new neighbourhood. Only a superuser may."""
    _require(request, "neighbourhood.add_neighbourhood", None)
    return _write(201, actions.neighbourhood_create, actor=request.user, **payload.dict())


@router.patch(
    "/neighbourhoods/{neighbourhood_id}", response={200: NeighbourhoodOut, **WRITE_ERRORS}
)
def neighbourhood_update(request, neighbourhood_id: Path[ObjectId], payload: NeighbourhoodPatch):
    queryset = selectors.api_neighbourhoods(
        user=request.user, current=getattr(request, "neighbourhood", None)
    )
    neighbourhood = _one(queryset.filter(pk=neighbourhood_id))
    _require(request, "neighbourhood.change_neighbourhood", neighbourhood)
    return _write(
        200,
        actions.neighbourhood_update,
        actor=request.user,
        neighbourhood=neighbourhood,
        **payload.dict(exclude_unset=True),
    )


# --- areas ----------------------------------------------------------------------------------------


@router.get("/areas", response={200: AreaPage, **LIST_ERRORS})
def area_list(request, params: Query[PageParams]):
    """The areas (buurten) of the neighbourhood with their number of households."""
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.view_area", neighbourhood)
    return _page(selectors.area_list(neighbourhood=neighbourhood).order_by("name", "pk"), params)


@router.get("/areas/{area_id}", response={200: AreaOut, **READ_ERRORS})
def area_read(request, area_id: Path[ObjectId]):
    neighbourhood = _neighbourhood(request)
    area = _one(selectors.area_list(neighbourhood=neighbourhood).filter(pk=area_id))
    _require(request, "neighbourhood.view_area", area)
    return area


@router.post("/areas", response={201: AreaOut, **WRITE_ERRORS})
def area_create(request, payload: AreaIn):
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.add_area", neighbourhood)
    return _write(
        201,
        actions.area_create,
        actor=request.user,
        neighbourhood=neighbourhood,
        **payload.dict(),
    )


@router.patch("/areas/{area_id}", response={200: AreaOut, **WRITE_ERRORS})
def area_update(request, area_id: Path[ObjectId], payload: AreaPatch):
    neighbourhood = _neighbourhood(request)
    area = _one(selectors.area_list(neighbourhood=neighbourhood).filter(pk=area_id))
    _require(request, "neighbourhood.change_area", area)
    return _write(
        200, actions.area_update, actor=request.user, area=area, **payload.dict(exclude_unset=True)
    )


# --- households -----------------------------------------------------------------------------------


@router.get("/households", response={200: HouseholdPage, **LIST_ERRORS})
def household_list(request, filters: Query[HouseholdFilters]):
    """Households of the neighbourhood, searchable by address, postcode or a resident's name."""
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.list_households", neighbourhood)
    queryset = selectors.household_list(
        neighbourhood=neighbourhood,
        search=filters.search,
        area_id=filters.area,
        composition=filters.composition or "",
    )
    return _page(queryset, filters)


@router.get("/households/{household_id}", response={200: HouseholdDetailOut, **READ_ERRORS})
def household_read(request, household_id: Path[ObjectId]):
    """One household with its members. Residents may read their own."""
    neighbourhood = _neighbourhood(request)
    household = _found(
        selectors.household_detail, neighbourhood=neighbourhood, household_id=household_id
    )
    _require(request, "neighbourhood.view_household", household)
    return household


@router.post("/households", response={201: HouseholdDetailOut, **WRITE_ERRORS})
def household_create(request, payload: HouseholdIn):
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.add_household", neighbourhood)
    fields = payload.dict()
    fields["area"] = _area_for(neighbourhood, fields.pop("area_id"))
    result = _write(
        201, actions.household_create, actor=request.user, neighbourhood=neighbourhood, **fields
    )
    if not isinstance(result, Status):
        return result
    household_id = result.value.pk
    return Status(
        201, selectors.household_detail(neighbourhood=neighbourhood, household_id=household_id)
    )


@router.patch("/households/{household_id}", response={200: HouseholdDetailOut, **WRITE_ERRORS})
def household_update(request, household_id: Path[ObjectId], payload: HouseholdPatch):
    neighbourhood = _neighbourhood(request)
    household = _found(
        selectors.household_detail, neighbourhood=neighbourhood, household_id=household_id
    )
    _require(request, "neighbourhood.change_household", household)
    fields = payload.dict(exclude_unset=True)
    if "area_id" in fields:
        fields["area"] = _area_for(neighbourhood, fields.pop("area_id"))
    result = _write(
        200, actions.household_update, actor=request.user, household=household, **fields
    )
    if not isinstance(result, Status):
        return result
    return selectors.household_detail(neighbourhood=neighbourhood, household_id=household.pk)


# --- people ---------------------------------------------------------------------------------------


@router.get("/people", response={200: PersonPage, **LIST_ERRORS})
def person_list(request, filters: Query[PersonFilters]):
    """People of the neighbourhood, searchable by name, e-mail, phone or street."""
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.list_people", neighbourhood)
    queryset = selectors.person_list(
        neighbourhood=neighbourhood, search=filters.search, members_only=filters.members_only
    )
    return _page(queryset, filters)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS})
def person_read(request, person_id: Path[ObjectId]):
    """One person. Residents may read themselves and the people of their household."""
    neighbourhood = _neighbourhood(request)
    person = _found(selectors.person_detail, neighbourhood=neighbourhood, person_id=person_id)
    _require(request, "neighbourhood.view_person", person)
    return person


class EraseIn(Schema):
    reason: str = Field(..., description="why the data are erased (kept in the audit trail)")


class EraseOut(Schema):
    erased: bool
    changed: dict[str, int]


@router.get("/people/{person_id}/export", response={200: dict[str, Any], **READ_ERRORS})
def person_export(request, person_id: Path[ObjectId]):
    """Everything Heelwijk holds about the person (AVG/GDPR): the person or staff."""
    neighbourhood = _neighbourhood(request)
    person = _found(selectors.person_detail, neighbourhood=neighbourhood, person_id=person_id)
    _require(request, "neighbourhood.export_person", person)
    return privacy_requests.person_export(person)


@router.post("/people/{person_id}/erase", response={200: EraseOut, **WRITE_ERRORS})
def person_erase(request, person_id: Path[ObjectId], payload: EraseIn):
    """Pseudonymise the person everywhere (staff; cannot be undone; the books stay)."""
    neighbourhood = _neighbourhood(request)
    person = _found(selectors.person_detail, neighbourhood=neighbourhood, person_id=person_id)
    _require(request, "neighbourhood.erase_person", person)
    changed = privacy_requests.person_erase(
        actor=request.user, person=person, reason=payload.reason
    )
    return {"erased": True, "changed": changed}


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS})
def person_create(request, payload: PersonIn):
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.add_person", neighbourhood)
    fields = payload.dict()
    fields["household"] = _household_for(neighbourhood, fields.pop("household_id"))
    return _write(
        201, actions.person_create, actor=request.user, neighbourhood=neighbourhood, **fields
    )


@router.patch("/people/{person_id}", response={200: PersonOut, **WRITE_ERRORS})
def person_update(request, person_id: Path[ObjectId], payload: PersonPatch):
    neighbourhood = _neighbourhood(request)
    person = _found(selectors.person_detail, neighbourhood=neighbourhood, person_id=person_id)
    _require(request, "neighbourhood.change_person", person)
    fields = payload.dict(exclude_unset=True)
    if "household_id" in fields:
        fields["household"] = _household_for(neighbourhood, fields.pop("household_id"))
    return _write(200, actions.person_update, actor=request.user, person=person, **fields)


# --- organisations --------------------------------------------------------------------------------


@router.get("/organisations", response={200: OrganisationPage, **LIST_ERRORS})
def organisation_list(request, filters: Query[OrganisationFilters]):
    """Organisations active in the neighbourhood, including the wijkbedrijf."""
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.list_organisations", neighbourhood)
    queryset = selectors.organisation_list(
        neighbourhood=neighbourhood, search=filters.search, kind=filters.kind or ""
    )
    return _page(queryset, filters)


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **READ_ERRORS})
def organisation_read(request, organisation_id: Path[ObjectId]):
    neighbourhood = _neighbourhood(request)
    organisation = _found(
        selectors.organisation_detail, neighbourhood=neighbourhood, organisation_id=organisation_id
    )
    _require(request, "neighbourhood.view_organisation", organisation)
    return organisation


@router.post("/organisations", response={201: OrganisationOut, **WRITE_ERRORS})
def organisation_create(request, payload: OrganisationIn):
    neighbourhood = _neighbourhood(request)
    _require(request, "neighbourhood.add_organisation", neighbourhood)
    return _write(
        201,
        actions.organisation_create,
        actor=request.user,
        neighbourhood=neighbourhood,
        **payload.dict(),
    )


@router.patch("/organisations/{organisation_id}", response={200: OrganisationOut, **WRITE_ERRORS})
def organisation_update(request, organisation_id: Path[ObjectId], payload: OrganisationPatch):
    """Staff, and representatives of this organisation, may change it."""
    neighbourhood = _neighbourhood(request)
    organisation = _found(
        selectors.organisation_detail, neighbourhood=neighbourhood, organisation_id=organisation_id
    )
    _require(request, "neighbourhood.change_organisation", organisation)
    return _write(
        200,
        actions.organisation_update,
        actor=request.user,
        organisation=organisation,
        **payload.dict(exclude_unset=True),
    )
