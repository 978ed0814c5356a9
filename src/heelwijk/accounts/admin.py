"""Users and API tokens in the Django admin, limited to the neighbourhoods of the staff member."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from heelwijk.neighbourhood.admin import (
    NeighbourhoodScopedAdmin,
    RelatedOnlyFilter,
    staff_neighbourhood_ids,
)
from heelwijk.neighbourhood.selectors import users_within_neighbourhoods

from . import actions
from .models import ApiToken, User


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("A user with this e-mail address already exists."), code="unique"
            )
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("A user with this e-mail address already exists."), code="unique"
            )
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts log in by e-mail. Staff who are not superusers see only accounts of their wijk."""

    form = UserEditForm
    add_form = UserAddForm
    list_display = ("email", "full_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name",)}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    # Staff of a wijk manage its accounts, but never grant themselves more than admin access.
    superuser_only_fields = ("is_superuser", "groups", "user_permissions")

    def _is_scoped_staff(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and bool(staff_neighbourhood_ids(request))

    def _allowed(self, request, obj=None) -> bool:
        if request.user.is_superuser:
            return True
        if not self._is_scoped_staff(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return users_within_neighbourhoods(queryset, staff_neighbourhood_ids(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [*self.superuser_only_fields, "last_login", "date_joined"]
        return readonly


@admin.register(ApiToken)
class ApiTokenAdmin(NeighbourhoodScopedAdmin):
    """Read only; the secret is never stored and its digest is never shown."""

    fields = (
        "name",
        "user",
        "neighbourhood",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields
    list_display = ("name", "prefix", "user", "neighbourhood", "created_at", "revoked_at")
    list_filter = (("neighbourhood", RelatedOnlyFilter),)
    list_select_related = ("user", "neighbourhood")
    search_fields = ("name", "prefix", "user__email")
    actions = ["revoke_tokens"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.is_superuser or self._allowed(request)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_tokens(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("neighbourhood"):
            actions.api_token_revoke(actor=request.user, token=token)
            revoked += 1
        self.message_user(
            request,
            gettext("Tokens revoked: %(count)d.") % {"count": revoked},
            messages.SUCCESS,
        )
