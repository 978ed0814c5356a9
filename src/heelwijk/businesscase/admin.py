"""Admin views of the business case app: read-only, because every write goes through actions
(audited and validated) and reference values are never changed in place."""

from django.contrib import admin

from .models import (
    BusinessCase,
    CaseActor,
    CaseOutcome,
    CostLine,
    Opgave,
    ReferenceSet,
    ReferenceValue,
    SocialGoal,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GoalInline(ReadOnlyMixin, admin.TabularInline):
    model = SocialGoal
    extra = 0


@admin.register(Opgave)
class OpgaveAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "neighbourhood", "commissioner", "status", "start_date", "end_date")
    list_filter = ("status", "neighbourhood")
    search_fields = ("title",)
    inlines = [GoalInline]


class ActorInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseActor
    extra = 0


class CostInline(ReadOnlyMixin, admin.TabularInline):
    model = CostLine
    extra = 0


class OutcomeInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseOutcome
    extra = 0


@admin.register(BusinessCase)
class BusinessCaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "opgave", "neighbourhood", "status", "reference_set", "updated_at")
    list_filter = ("status", "neighbourhood")
    search_fields = ("title",)
    inlines = [ActorInline, CostInline, OutcomeInline]


class ValueInline(ReadOnlyMixin, admin.TabularInline):
    model = ReferenceValue
    extra = 0
    fields = ("key", "name", "category", "value_minor", "unit", "per", "year", "source")


@admin.register(ReferenceSet)
class ReferenceSetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "note", "created_at", "created_by")
    list_filter = ("neighbourhood",)
    inlines = [ValueInline]
