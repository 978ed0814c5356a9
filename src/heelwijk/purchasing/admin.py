"""Read-mostly admin for purchasing: writes belong in actions, so results are not editable."""

from django.contrib import admin

from .models import (
    AllocationRun,
    Campaign,
    Category,
    Contract,
    Offer,
    OfferTier,
    Pledge,
    SupplierAgreement,
    SupplierSettlement,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "usage_unit", "neighbourhood"]
    list_filter = ["usage_unit"]


@admin.register(SupplierAgreement)
class SupplierAgreementAdmin(ReadOnlyAdmin):
    list_display = [
        "supplier",
        "neighbourhood",
        "starts_on",
        "ends_on",
        "kickback_per_contract_cents",
    ]
    list_select_related = ["supplier", "neighbourhood"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "neighbourhood", "category", "status", "registration_closes_on"]
    list_filter = ["status"]
    list_select_related = ["neighbourhood", "category"]


class OfferTierInline(admin.TabularInline):
    model = OfferTier
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["name", "supplier", "campaign", "status", "min_households", "capacity"]
    list_select_related = ["supplier", "campaign"]
    inlines = [OfferTierInline]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["household", "campaign", "usage", "current_yearly_cost_cents", "status"]
    list_filter = ["status"]
    list_select_related = ["household", "campaign"]


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = [
        "campaign",
        "kind",
        "is_current",
        "solver_status",
        "households_placed",
        "total_saving_cents",
        "greedy_saving_cents",
        "created_at",
    ]
    list_select_related = ["campaign"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = [
        "household",
        "supplier",
        "offer",
        "yearly_cost_cents",
        "saving_cents",
        "starts_on",
    ]
    list_select_related = ["household", "supplier", "offer"]


@admin.register(SupplierSettlement)
class SupplierSettlementAdmin(ReadOnlyAdmin):
    list_display = [
        "campaign",
        "supplier",
        "contracts",
        "kickback_cents",
        "participation_fee_cents",
        "posted_at",
    ]
    list_select_related = ["campaign", "supplier"]
