"""Admin plumbing shared by the apps: filters for big tables, inline rows saved by services."""

from __future__ import annotations

from collections.abc import Callable

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


def save_rows_through_services(
    formset: BaseInlineFormSet, *, flag: str, save: Callable[[object, bool], object], remove: Callable[[object], None]
) -> None:
    """Save an inline formset's rows with services instead of `formset.save()`.

    `flag` names the form field (not the model field) that asks for the row to be
    the primary/default one; the service moves that flag safely.
    """
    formset.save(commit=False)  # sets formset.deleted_objects and each form's instance
    for row in formset.deleted_objects:
        remove(row)
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not form.has_changed():
            continue
        setattr(form.instance, formset.fk.name, formset.instance)
        save(form.instance, data[flag])
