"""The merge history's filters: who merged, a profile kept or merged away, undone or in effect."""

from __future__ import annotations

import django_filters
from django import forms

from profiles.merges.selectors import involving_profile_q
from profiles.models import MergeRecord

UNDONE_CHOICES = [("no", "In effect"), ("yes", "Undone")]


class MergeFilterForm(forms.Form):
    def clean_profile(self) -> int | None:
        # Ids are shown as "#12" everywhere, so "#12" is accepted as well as "12".
        value = (self.cleaned_data.get("profile") or "").strip().lstrip("#").strip()
        if not value:
            return None
        if not value.isdigit() or int(value) < 1:
            raise forms.ValidationError("Enter a profile id, such as 12 or #12.")
        return int(value)


class MergeFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        label="Merged by", field_name="actor__username", lookup_expr="iexact", help_text="A username."
    )
    profile = django_filters.CharFilter(label="Profile id", method="filter_profile", help_text="Kept or merged away.")
    undone = django_filters.ChoiceFilter(
        label="Status", choices=UNDONE_CHOICES, method="filter_undone", empty_label="Any"
    )

    class Meta:
        model = MergeRecord
        fields: list[str] = []
        form = MergeFilterForm

    def filter_profile(self, queryset, name, profile_id):
        return queryset.filter(involving_profile_q(profile_id)) if profile_id else queryset

    def filter_undone(self, queryset, name, value):
        return queryset.filter(undone_at__isnull=value != "yes")
