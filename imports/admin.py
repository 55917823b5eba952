"""Imports in the Django admin: read-only history (imports are made on /imports/ or with import_users)."""

from __future__ import annotations

from django.contrib import admin

from imports.models import ImportIssue, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "file_name",
        "kind",
        "status",
        "created_by",
        "created_at",
        "created",
        "updated",
        "unchanged",
        "conflicts",
        "invalid",
        "last_line_committed",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "created_by__username"]
    list_select_related = ["created_by"]
    readonly_fields = [field.name for field in ImportJob._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportIssue)
class ImportIssueAdmin(admin.ModelAdmin):
    list_display = ["job", "line", "column", "kind", "message"]
    list_filter = ["kind"]
    raw_id_fields = ["job"]
    search_fields = ["message"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
