"""Django admin for organizations, their domains and memberships.

An organization can have tens of thousands of members, so its change page shows
them read-only and only the first MEMBERSHIP_INLINE_LIMIT, with a link to the
membership list filtered to it (where they are searched, added with
autocomplete and removed through the services). Deleting goes through
services.organizations.delete_organization, whose confirmation lists counts
instead of every related row.
"""

from __future__ import annotations

from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from organizations.forms import BaseMembershipFormSet, MembershipForm, OrganizationAdminForm, OrganizationDomainForm
from organizations.models import Membership, Organization, OrganizationDomain
from organizations.routing import rules as routing_rules
from organizations.selectors import deletion_preview
from organizations.services.memberships import remove_membership, save_membership
from organizations.services.organizations import delete_organization
from profiles.admin import EndUserAdmin
from profiles.models import EndUser
from zdusers.admin_support import InputFilter, ServiceWrittenAdmin, ServiceWrittenRows
from zdusers.pagination import EstimatedCountPaginator

MEMBERSHIP_INLINE_LIMIT = 20


class OrganizationDomainInline(admin.TabularInline):
    model = OrganizationDomain
    form = OrganizationDomainForm
    fields = ["domain", "auto_assign"]
    extra = 0


class FirstMembershipsFormSet(BaseInlineFormSet):
    """Only the first MEMBERSHIP_INLINE_LIMIT memberships (defaults first): a page, not 50,000 rows."""

    def get_queryset(self):
        if not hasattr(self, "_first_rows"):
            self._first_rows = super().get_queryset().select_related("user", "organization")[:MEMBERSHIP_INLINE_LIMIT]
        return self._first_rows


class MembershipPreviewInline(admin.TabularInline):
    model = Membership
    formset = FirstMembershipsFormSet
    fields = ["user", "is_default", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = f"memberships (the first {MEMBERSHIP_INLINE_LIMIT}; see “Members” above for all)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "external_id", "created_at"]
    search_fields = ["name", "domains__domain", "=external_id"]
    search_help_text = "Name, domain or exact external id."
    show_full_result_count = False
    inlines = [OrganizationDomainInline, MembershipPreviewInline]
    fields = ["name", "external_id", "tags", "details", "notes", "members", "created_at", "updated_at"]
    readonly_fields = ["members", "created_at", "updated_at"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else [OrganizationDomainInline]  # no members before it exists

    @admin.display(description="Members")
    def members(self, obj: Organization) -> str:
        if obj.pk is None:
            return "Save the organization first, then add members."
        count = Membership.objects.filter(organization=obj).count()
        listing = reverse("admin:organizations_membership_changelist") + f"?organization={obj.pk}"
        adding = reverse("admin:organizations_membership_add") + f"?organization={obj.pk}"
        return format_html(
            '{} — <a href="{}">see and search all of them</a> · <a href="{}">add a membership</a> · '
            '<a href="{}">organization page</a>',
            f"{count:,} membership{'s' if count != 1 else ''}",
            listing,
            adding,
            obj.get_absolute_url(),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        routing_rules.changed()  # its tags and domains may be what a routing rule matches

    def delete_model(self, request, obj):
        delete_organization(organization=obj)

    def delete_queryset(self, request, queryset):
        for organization in queryset.order_by("pk"):
            delete_organization(organization=organization)

    def get_deleted_objects(self, objs, request):
        """Counts, not one line per membership: the stock page would list every related row."""
        lines, counts = [], {"memberships": 0, "domains": 0}
        for organization in objs:
            preview = deletion_preview(organization)
            counts["memberships"] += preview.memberships
            counts["domains"] += len(preview.domains)
            lines.append(
                f"{organization.name}: {preview.memberships:,} membership(s) removed (no end user is deleted), "
                f"{preview.defaults_moving:,} member(s) get their next organization as default, "
                f"{preview.contacts_filed:,} contact(s) keep their history without an organization"
            )
        model_count = {"organizations": len(lines), **{k: v for k, v in counts.items() if v}}
        return lines, model_count, set(), []


@admin.register(OrganizationDomain)
class OrganizationDomainAdmin(admin.ModelAdmin):
    form = OrganizationDomainForm
    list_display = ["domain", "organization", "auto_assign"]
    list_filter = ["auto_assign"]
    search_fields = ["domain", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        routing_rules.changed()  # a routing rule may match this domain

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        routing_rules.changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        routing_rules.changed()


class MembershipOrganizationFilter(InputFilter):
    title = "organization"
    parameter_name = "organization"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(organization_id=int(value))
        return queryset.filter(organization__name__iexact=value)


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
    list_filter = [MembershipOrganizationFilter, "is_default"]
    search_fields = ["=user__id", "organization__name"]
    list_select_related = ["user", "organization"]
    form = MembershipForm
    fields = ["user", "organization", "default"]
    autocomplete_fields = ["user", "organization"]
    show_full_result_count = False


class EndUserMembershipInline(MembershipRows, admin.TabularInline):
    """An end user's organizations on the end-user admin page, saved through the membership services."""

    model = Membership
    form = MembershipForm
    formset = BaseMembershipFormSet
    fields = ["organization", "default"]
    autocomplete_fields = ["organization"]
    extra = 0


# The end-user admin belongs to profiles, which must not import organizations; this app adds its
# memberships inline to it instead (profiles' admin is registered first: it comes first in INSTALLED_APPS).
admin.site.unregister(EndUser)


@admin.register(EndUser)
class EndUserWithMembershipsAdmin(EndUserAdmin):
    inlines = [*EndUserAdmin.inlines, EndUserMembershipInline]


from organizations.routing import admin as routing_admin  # noqa: E402, F401  (registers teams and rules)
