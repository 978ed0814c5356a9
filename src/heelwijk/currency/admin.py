"""Read-only admin views of the currency: every change goes through the actions (and the
ledger), so the admin shows rows but never adds, changes or deletes them."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    CreditAuthorisation,
    Currency,
    DemurrageRun,
    LimitChange,
    Payment,
    PaymentRequest,
    ReserveMovement,
    TrustRule,
    VolunteerCredit,
    Wallet,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # Staff users see only the rows of neighbourhoods they work for.
        from heelwijk.neighbourhood.access import access_for

        return qs.filter(neighbourhood_id__in=access_for(request.user).staff_of)


@admin.register(Currency)
class CurrencyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "model", "neighbourhood", "is_active")
    list_filter = ("model", "is_active")
    search_fields = ("code", "name")


@admin.register(Wallet)
class WalletAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "currency", "payment_code")
    list_filter = ("kind",)
    search_fields = ("name", "payment_code")
    list_select_related = ("currency",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "payer", "payee", "amount", "category", "currency")
    list_filter = ("category",)
    list_select_related = ("payer", "payee", "currency")
    date_hierarchy = "effective_date"


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "payee", "amount", "status")
    list_filter = ("status",)
    list_select_related = ("payee",)


@admin.register(VolunteerCredit)
class VolunteerCreditAdmin(ReadOnlyAdmin):
    list_display = ("activity_date", "wallet", "hours", "activity", "organisation")
    list_select_related = ("wallet", "organisation")


@admin.register(ReserveMovement)
class ReserveMovementAdmin(ReadOnlyAdmin):
    list_display = ("effective_date", "kind", "wallet", "amount", "fee")
    list_filter = ("kind",)
    list_select_related = ("wallet",)


class CurrencyScopedAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        from heelwijk.neighbourhood.access import access_for

        return qs.filter(currency__neighbourhood_id__in=access_for(request.user).staff_of)


@admin.register(TrustRule)
class TrustRuleAdmin(CurrencyScopedAdmin):
    list_display = ("currency", "wallet_kind", "min_trades", "credit_limit")


@admin.register(CreditAuthorisation)
class CreditAuthorisationAdmin(CurrencyScopedAdmin):
    list_display = ("currency", "organisation", "monthly_hours_cap", "is_active")


@admin.register(DemurrageRun)
class DemurrageRunAdmin(CurrencyScopedAdmin):
    list_display = ("currency", "period_start", "period_end", "wallets_charged", "total")


@admin.register(LimitChange)
class LimitChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "wallet", "old_limit", "new_limit", "source")
    list_filter = ("source",)

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        from heelwijk.neighbourhood.access import access_for

        return qs.filter(wallet__neighbourhood_id__in=access_for(request.user).staff_of)
