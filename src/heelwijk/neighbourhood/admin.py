"""The Django admin for the staff of a wijkbedrijf, limited to their own neighbourhoods.

A superuser sees everything. Anyone else needs `is_staff` (admin access) and a staff role
(wijkondernemer or staff) in a neighbourhood; they then see, choose from and change only rows of
the neighbourhoods they are staff of. Writes go through the actions, so they are validated the
same way as on the pages and leave an audit entry.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from . import actions
from .access import access_for
from .models import Area, AuditEntry, Household, Neighbourhood, Organisation, Person, Role

admin.site.site_header = _("Heelwijk administration")
admin.site.site_title = _("Heelwijk administration")
admin.site.index_title = _("Manage the neighbourhood")


def staff_neighbourhood_ids(request) -> frozenset[int]:
    return access_for(request.user).staff_of


def neighbourhood_id_of(obj: Model) -> int | None:
    if isinstance(obj, Neighbourhood):
        return obj.pk
    return getattr(obj, "neighbourhood_id", None)


def scope_to_neighbourhoods(queryset: QuerySet, neighbourhood_ids) -> QuerySet:
    """Limit a queryset of any neighbourhood model (or users) to some neighbourhoods."""
    model = queryset.model
    if model is Neighbourhood:
        return queryset.filter(pk__in=neighbourhood_ids)
    if hasattr(model, "neighbourhood_id"):
        return queryset.filter(neighbourhood_id__in=neighbourhood_ids)
    from django.contrib.auth import get_user_model

    if model is get_user_model():
        from .selectors import users_within_neighbourhoods

        return users_within_neighbourhoods(queryset, neighbourhood_ids)
    return queryset.none()


class ValidatedByActionForm(ModelForm):
    """An admin form that checks a row exactly as the actions will (friendly messages)."""

    def _post_clean(self):
        # Instead of ModelForm's model validation (whose messages for broken constraints name
        # the constraint), run the actions' validation, which checks the same and more.
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as exc:
            self._update_errors(exc)
            return
        if self._errors:
            return  # the field errors come first; the row is checked once they are fixed
        try:
            actions.validate_row(self.instance)
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, messages)


class NeighbourhoodScopedAdmin(admin.ModelAdmin):
    """Everything a non-superuser sees, picks or changes lies in a neighbourhood they staff."""

    form = ValidatedByActionForm

    # --- who may do what ---------------------------------------------------------------------

    def _is_scoped_staff(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and bool(staff_neighbourhood_ids(request))

    def _allowed(self, request, obj=None) -> bool:
        if not self._is_scoped_staff(request):
            return False
        return obj is None or self.object_in_scope(request, obj)

    def object_in_scope(self, request, obj) -> bool:
        return neighbourhood_id_of(obj) in staff_neighbourhood_ids(request)

    def has_module_permission(self, request):
        return request.user.is_superuser or self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or self._allowed(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser or self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting bypasses the audit trail; only superusers may (e.g. to remove test data).
        return request.user.is_superuser

    # --- what they see and pick from ---------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return scope_to_neighbourhoods(queryset, staff_neighbourhood_ids(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = scope_to_neighbourhoods(
                field.queryset, staff_neighbourhood_ids(request)
            )
        return field

    # --- writes through the actions ----------------------------------------------------------

    def create_with_action(self, request, fields: dict) -> Model:
        raise NotImplementedError

    def update_with_action(self, request, obj: Model, fields: dict) -> Model:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        names = [name for name in form.cleaned_data if name in _concrete_field_names(obj)]
        if change:
            original = type(obj)._default_manager.get(pk=obj.pk)
            fields = {name: getattr(obj, name) for name in form.changed_data if name in names}
            self.update_with_action(request, original, fields)
        else:
            saved = self.create_with_action(request, {name: getattr(obj, name) for name in names})
            obj.pk = saved.pk
            for attr in ("created_at", "updated_at"):
                if hasattr(saved, attr):
                    setattr(obj, attr, getattr(saved, attr))


def _concrete_field_names(obj: Model) -> set[str]:
    return {f.name for f in obj._meta.concrete_fields if f.editable and not f.primary_key}


class RelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """A filter whose choices come from the (scoped) rows shown, never from other wijken."""


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(NeighbourhoodScopedAdmin):
    list_display = ("name", "kind", "municipality", "cbs_code")
    search_fields = ("name", "municipality", "cbs_code")
    prepopulated_fields = {"slug": ("name",)}

    def has_add_permission(self, request):
        return request.user.is_superuser

    def create_with_action(self, request, fields):
        return actions.neighbourhood_create(actor=request.user, **fields)

    def update_with_action(self, request, obj, fields):
        return actions.neighbourhood_update(actor=request.user, neighbourhood=obj, **fields)


class _InNeighbourhoodAdmin(NeighbourhoodScopedAdmin):
    """Rows that belong to a neighbourhood: the actions take it as `neighbourhood=`."""

    create_action = None  # e.g. staticmethod(actions.household_create)
    update_action = None
    update_keyword = ""  # the keyword the update action takes the row by

    def create_with_action(self, request, fields):
        neighbourhood = fields.pop("neighbourhood")
        return self.create_action(actor=request.user, neighbourhood=neighbourhood, **fields)

    def update_with_action(self, request, obj, fields):
        return self.update_action(actor=request.user, **{self.update_keyword: obj}, **fields)


@admin.register(Household)
class HouseholdAdmin(_InNeighbourhoodAdmin):
    list_display = ("address", "area", "composition", "size")
    list_filter = (("area", RelatedOnlyFilter), "composition")
    list_select_related = ("area",)
    search_fields = ("street", "postcode", "city", "members__last_name")
    ordering = ("street", "house_number", "house_number_suffix")
    create_action = staticmethod(actions.household_create)
    update_action = staticmethod(actions.household_update)
    update_keyword = "household"


@admin.register(Person)
class PersonAdmin(_InNeighbourhoodAdmin):
    list_display = ("full_name", "household", "email", "member_since")
    list_filter = (("neighbourhood", RelatedOnlyFilter), "contact_preference")
    list_select_related = ("household",)
    search_fields = ("first_name", "last_name", "email")
    autocomplete_fields = ("household", "user")
    create_action = staticmethod(actions.person_create)
    update_action = staticmethod(actions.person_update)
    update_keyword = "person"


@admin.register(Organisation)
class OrganisationAdmin(_InNeighbourhoodAdmin):
    list_display = ("name", "kind", "email", "phone")
    list_filter = ("kind", ("neighbourhood", RelatedOnlyFilter))
    search_fields = ("name", "kvk_number")
    create_action = staticmethod(actions.organisation_create)
    update_action = staticmethod(actions.organisation_update)
    update_keyword = "organisation"


@admin.register(Area)
class AreaAdmin(_InNeighbourhoodAdmin):
    list_display = ("name", "neighbourhood", "cbs_code")
    list_filter = (("neighbourhood", RelatedOnlyFilter),)
    search_fields = ("name", "cbs_code")
    create_action = staticmethod(actions.area_create)
    update_action = staticmethod(actions.area_update)
    update_keyword = "area"


@admin.register(Role)
class RoleAdmin(NeighbourhoodScopedAdmin):
    """Roles are granted and revoked, never edited: who had which role stays in the audit."""

    list_display = ("user", "kind", "organisation", "scale", "neighbourhood")
    list_filter = ("kind", "scale", ("neighbourhood", RelatedOnlyFilter))
    list_select_related = ("user", "organisation", "neighbourhood")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Revoking a role is audited (role_revoke), so staff may do it in their wijk.
        return request.user.is_superuser or self._allowed(request, obj)

    def create_with_action(self, request, fields):
        return actions.role_grant(actor=request.user, **fields)

    def delete_model(self, request, obj):
        actions.role_revoke(actor=request.user, role=obj)

    def delete_queryset(self, request, queryset):
        for role in queryset.select_related("user", "neighbourhood"):
            actions.role_revoke(actor=request.user, role=role)


@admin.register(AuditEntry)
class AuditEntryAdmin(NeighbourhoodScopedAdmin):
    """Read only: the audit trail is written by the actions and never edited."""

    list_display = ("at", "action", "object_type", "object_id", "actor", "neighbourhood")
    list_filter = ("action", "object_type", ("neighbourhood", RelatedOnlyFilter))
    list_select_related = ("actor", "neighbourhood")
    search_fields = ("action", "object_type")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
