"""Read-only admin for the ledger: every write goes through ``heelwijk.ledger.actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Account, LedgerHead, Posting, Transaction, Unit


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "symbol", "decimals", "kind", "neighbourhood"]
    list_filter = ["neighbourhood", "kind"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "unit", "type", "owner_kind", "balance", "is_open"]
    list_filter = ["neighbourhood", "unit__code", "type", "owner_kind", "is_open"]
    search_fields = ["code", "name"]
    list_select_related = ["unit"]


class PostingInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Posting
    fields = ("account", "side", "amount", "unit")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["seq", "effective_date", "kind", "memo", "neighbourhood", "created_at"]
    list_filter = ["neighbourhood", "kind"]
    search_fields = ["memo", "kind"]
    inlines = [PostingInline]


@admin.register(LedgerHead)
class LedgerHeadAdmin(ReadOnlyAdmin):
    list_display = ["neighbourhood", "seq", "hash"]
