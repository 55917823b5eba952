"""Django admin for organizations, their domains and memberships."""

from __future__ import annotations

from django.contrib import admin

from organizations.forms import MembershipForm, OrganizationAdminForm, OrganizationDomainForm
from organizations.models import Membership, Organization, OrganizationDomain
from organizations.services.memberships import remove_membership, save_membership
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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    list_display = ["user", "organization", "is_default", "created_at"]
    list_filter = ["is_default"]
    search_fields = ["=user__id", "organization__name"]
    list_select_related = ["user", "organization"]
    form = MembershipForm
    fields = ["user", "organization", "default"]
    autocomplete_fields = ["user", "organization"]
    show_full_result_count = False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # removal goes through remove_membership, which moves the default
        return actions

    def save_model(self, request, obj, form, change):
        save_membership(membership=obj, make_default=form.cleaned_data["default"])

    def delete_model(self, request, obj):
        remove_membership(membership=obj)
