"""Django admin for end users, identities and contacts: built for a million-row table.

Search understands contact points (an email, a phone in any format, an @handle)
by their normalized key; no page counts the whole table; identity writes go
through the identity services so the primary-per-kind rule always holds.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect

from profiles.forms import BaseIdentityFormSet, EndUserAdminForm, IdentityForm
from profiles.identities import IdentityKind
from profiles.merges.forms import merge_url
from profiles.merges.services import MAX_PROFILES
from profiles.models import Contact, EndUser, Identity, MatchingModel, MergeRecord
from profiles.search import SearchSyntaxError
from profiles.selectors import (
    enduser_search_q,
    identity_keys_matching,
    member_of_q,
    primary_contact_point,
    resolve_organization_ids,
    with_primary_contact_points,
)
from profiles.services.identities import remove_identity, save_identity
from profiles.services.profiles import EDITABLE_FIELDS, update_profile
from zdusers.admin_support import (
    InputFilter,
    ReadOnlyAdmin,
    ServiceWrittenAdmin,
    ServiceWrittenRows,
    save_rows_through_services,
)
from zdusers.pagination import EstimatedCountPaginator


class IdentityKindFilter(admin.SimpleListFilter):
    title = "identity kind"
    parameter_name = "has_identity"

    def lookups(self, request, model_admin):
        return IdentityKind.choices

    def queryset(self, request, queryset):
        if self.value() in IdentityKind.values:
            return queryset.filter(Exists(Identity.objects.filter(user=OuterRef("pk"), kind=self.value())))
        return queryset


class OrganizationFilter(InputFilter):
    title = "organization"
    parameter_name = "organization"

    def queryset(self, request, queryset):
        # The directory's "org" filter: the same name lookup (served by the name index) and member condition.
        value = (self.value() or "").strip()
        if not value:
            return queryset
        try:
            organization_ids = resolve_organization_ids(value)
        except SearchSyntaxError as error:
            messages.warning(request, error.message)
            return queryset.none()
        return queryset.filter(member_of_q(organization_ids))


class LiveFilter(admin.SimpleListFilter):
    title = "merged away"
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return (("no", "Live profiles"), ("yes", "Merged away (tombstones)"))

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


class IdentityRows(ServiceWrittenRows):
    flag_field = "primary"

    @staticmethod
    def save_row(row: Identity, flag: bool) -> None:
        save_identity(identity=row, make_primary=flag)

    @staticmethod
    def remove_row(row: Identity) -> None:
        remove_identity(identity=row)


class IdentityInline(IdentityRows, admin.TabularInline):
    model = Identity
    form = IdentityForm
    formset = BaseIdentityFormSet
    fields = ["kind", "value", "primary", "verified", "normalized"]
    readonly_fields = ["normalized"]
    # No blank row rendered on every change page ("Add another identity" adds one): a row of widgets is about a
    # sixth of the page's rendering time.
    extra = 0


@admin.register(EndUser)
class EndUserAdmin(admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    form = EndUserAdminForm
    list_display = ["name", "primary_email", "primary_phone", "source", "suspended", "created_at", "merged_into"]
    list_filter = ["source", "suspended", IdentityKindFilter, OrganizationFilter, LiveFilter]
    search_fields = ["name"]  # the real search is get_search_results: names, external ids and contact points
    search_help_text = "Name, external id, or any email, phone number (any format) or @handle."
    list_select_related = ["merged_into"]
    show_full_result_count = False
    readonly_fields = ["merged_into", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "external_id", "source", "suspended", "tags"]}),
        ("Details", {"fields": ["locale", "time_zone", "details", "notes"]}),
        ("History", {"fields": ["merged_into", "created_at", "updated_at"]}),
    ]
    inlines = [IdentityInline]  # organizations.admin adds the memberships (organizations sits above profiles)
    actions = ["merge_selected"]
    list_per_page = 50
    ordering = ["-id"]

    def get_queryset(self, request):
        return with_primary_contact_points(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # Where a profile came from is set once, when it is created.
        return [*self.readonly_fields, "source"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        # A merged-away profile is read-only: the merge history (and its undo) needs it exactly as it was.
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_tombstone)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_tombstone)

    def save_model(self, request, obj, form, change):
        """A change goes through profiles.services.profiles.update_profile, with the same rules as the pages."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = {field: form.cleaned_data[field] for field in form.changed_data if field in EDITABLE_FIELDS}
        if changed:
            update_profile(user=obj, **changed)

    @admin.action(description="Merge selected end users…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Open the merge confirmation (the same page as from the directory) for the selected rows."""
        return redirect(merge_url(sorted(queryset.values_list("pk", flat=True)[: MAX_PROFILES + 1])))

    def has_merge_permission(self, request) -> bool:
        return request.user.has_perm("profiles.merge_enduser")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(enduser_search_q(search_term)), False

    @admin.display(description="Primary email")
    def primary_email(self, obj: EndUser) -> str:
        return primary_contact_point(obj, IdentityKind.EMAIL) or "—"

    @admin.display(description="Primary phone")
    def primary_phone(self, obj: EndUser) -> str:
        return primary_contact_point(obj, IdentityKind.PHONE) or "—"

    def save_formset(self, request, form, formset, change):
        rows = next((inline for inline in self.inlines if inline.model is formset.model), None)
        if rows is not None and issubclass(rows, ServiceWrittenRows):
            save_rows_through_services(formset, rows)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Identity)
class IdentityAdmin(IdentityRows, ServiceWrittenAdmin):
    paginator = EstimatedCountPaginator
    form = IdentityForm
    list_display = ["value", "kind", "normalized", "user", "is_primary", "verified", "created_at"]
    list_filter = ["kind", "is_primary", "verified"]
    search_fields = ["normalized"]
    search_help_text = "An email, a phone number in any format or a handle."
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    fields = ["user", "kind", "value", "primary", "verified", "normalized", "created_at"]
    readonly_fields = ["normalized", "created_at"]
    show_full_result_count = False
    ordering = ["-id"]

    def get_search_results(self, request, queryset, search_term):
        keys = identity_keys_matching(search_term)
        if keys is None:
            return queryset, False
        return queryset.filter(keys), False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        messages.info(request, "Contacts that came through it stay on the profile.")


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    list_display = ["__str__", "requester", "channel", "status", "organization", "created_at"]
    list_filter = ["channel", "status"]
    # Exact matches only: a substring search over millions of subjects would scan them all.
    search_fields = ["=source_ref", "=requester__id"]
    search_help_text = "Exact source reference, or the requester's id."
    list_select_related = ["requester", "organization"]
    raw_id_fields = ["requester", "via_identity", "organization"]
    show_full_result_count = False
    ordering = ["-created_at", "-id"]


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyAdmin):
    """Read-only: merges are written by profiles.merges.services and undone through unmerge() only."""

    list_display = ["__str__", "survivor", "merged_profiles", "actor", "created_at", "undone_at", "undone_by"]
    list_filter = [("undone_at", admin.EmptyFieldListFilter)]
    search_fields = ["=survivor__id"]
    search_help_text = "The survivor's id."
    list_select_related = ["survivor", "actor", "undone_by"]
    raw_id_fields = ["survivor"]
    show_full_result_count = False
    ordering = ["-created_at", "-id"]

    @admin.display(description="Merged away")
    def merged_profiles(self, obj: MergeRecord) -> str:
        return ", ".join(f"#{pk}" for pk in obj.merged_ids)


@admin.register(MatchingModel)
class MatchingModelAdmin(ReadOnlyAdmin):
    """Read-only history of the duplicate rules' trained weights: written by profiles.duplicates.training
    (`train_matching`, or the How page), the latest row in force."""

    list_display = ["__str__", "trained_by", "merged_pairs", "dismissed_pairs", "learned"]
    list_select_related = ["trained_by"]
    ordering = ["-id"]

    @admin.display(description="Weights", boolean=True)
    def learned(self, obj: MatchingModel) -> bool:
        return bool(obj.multipliers)
