"""Django admin for organizations, their domains and memberships."""

from __future__ import annotations

from django.contrib import admin

from organizations.forms import MembershipForm, OrganizationAdminForm, OrganizationDomainForm
from organizations.models import Membership, Organization, OrganizationDomain
from organizations.services.memberships import remove_membership, save_membership
from zdusers.admin_support import ServiceWrittenAdmin, ServiceWrittenRows
from zdusers.pagination import EstimatedCountPaginator


class OrganizationDomainInline(admin.TabularInline):
    model = OrganizationDomain
    form = OrganizationDomainForm
    fields = ["domain", "auto_assign"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "external_id", "created_at"]
    search_fields = ["name", "domains__domain", "=external_id"]
    search_help_text = "Name, domain or exact external id."
    show_full_result_count = False
    inlines = [OrganizationDomainInline]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(OrganizationDomain)
class OrganizationDomainAdmin(admin.ModelAdmin):
    form = OrganizationDomainForm
    list_display = ["domain", "organization", "auto_assign"]
    list_filter = ["auto_assign"]
    search_fields = ["domain", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]


class MembershipRows(ServiceWrittenRows):
    flag_field = "default"

    @staticmethod
    def save_row(row: Membership, flag: bool) -> None:
        save_membership(membership=row, make_default=flag)

    @staticmethod
    def remove_row(row: Membership) -> None:
        remove_membership(membership=row)


@admin.register(Membership)
class MembershipAdmin(MembershipRows, ServiceWrittenAdmin):
    paginator = EstimatedCountPaginator
    list_display = ["user", "organization", "is_default", "created_at"]
    list_filter = ["is_default"]
    search_fields = ["=user__id", "organization__name"]
    list_select_related = ["user", "organization"]
    form = MembershipForm
    fields = ["user", "organization", "default"]
    autocomplete_fields = ["user", "organization"]
    show_full_result_count = False
