"""Admin plumbing shared by the apps: filters for big tables, inline rows saved by services."""

from __future__ import annotations

from django.contrib import admin
from django.forms import BaseInlineFormSet


class InputFilter(admin.SimpleListFilter):
    """A list filter with a text box instead of a list of every possible value."""

    template = "admin/input_filter.html"

    def lookups(self, request, model_admin):
        # A non-empty lookups() is what makes Django render the filter at all.
        return ((None, None),)

    def choices(self, changelist):
        all_choice = next(super().choices(changelist))
        all_choice["query_parts"] = (
            (key, value) for key, value in changelist.get_filters_params().items() if key != self.parameter_name
        )
        yield all_choice


class ReadOnlyAdmin(admin.ModelAdmin):
    """A history its services write (merge records, trained models, contact routes): shown, never edited."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceWrittenRows:
    """Admin pieces for rows with a one-per-owner flag (primary identity, default membership).

    Such rows are written only through their services, which move the flag
    without ever holding it on two rows. Subclasses name the form field that asks
    for the flag and the two services.
    """

    flag_field: str

    @staticmethod
    def save_row(row, flag: bool) -> None:
        raise NotImplementedError

    @staticmethod
    def remove_row(row) -> None:
        raise NotImplementedError


class ServiceWrittenAdmin(ServiceWrittenRows, admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes go through the row's services."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would skip the services
        return actions

    def save_model(self, request, obj, form, change):
        self.save_row(obj, form.cleaned_data[self.flag_field])

    def delete_model(self, request, obj):
        self.remove_row(obj)


def save_rows_through_services(formset: BaseInlineFormSet, rows: type[ServiceWrittenRows]) -> None:
    """Save an inline formset's rows with the services of `rows` instead of `formset.save()`."""
    formset.save(commit=False)  # sets formset.deleted_objects and each form's instance
    for row in formset.deleted_objects:
        rows.remove_row(row)
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not form.has_changed():
            continue
        setattr(form.instance, formset.fk.name, formset.instance)
        rows.save_row(form.instance, data[rows.flag_field])
