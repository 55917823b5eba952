"""The duplicates queue's filters: status (open unless asked), tier (likely unless asked), organization,
reason type, score range."""

from __future__ import annotations

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from profiles.duplicates.matching import REASON_KINDS
from profiles.duplicates.selectors import LIKELY, TIERS, candidate_member_q, reason_kind_q, tier_q
from profiles.filters import DirectoryFilterForm
from profiles.models import CandidateStatus, DuplicateCandidate
from zdusers.choice_labels import translated_choices

ANY_STATUS = "any"
STATUS_CHOICES = [*translated_choices(CandidateStatus), (ANY_STATUS, _("Any status"))]
SCORE_INPUT = forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"})


def requested_status(data) -> str | None:
    """The status a queue URL asks for: open unless it names another one; None for any status."""
    value = data.get("status")
    if value == ANY_STATUS:
        return None
    return value if value in CandidateStatus.values else CandidateStatus.OPEN


class DuplicateFilterForm(DirectoryFilterForm):
    """The directory's organization field (an id or a name), plus a score range that must be in order."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("score_min"), cleaned.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", _("The highest score must not be below the lowest."))
        return cleaned


class DuplicateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    tier = django_filters.ChoiceFilter(
        label=_("Likelihood"), choices=translated_choices(TIERS), method="filter_tier", empty_label=_("Both")
    )
    org = django_filters.CharFilter(label=_("Organization"), method="filter_org", help_text=_("An id or a name."))
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=translated_choices(REASON_KINDS), method="filter_reason", empty_label=_("Any")
    )
    score_min = django_filters.NumberFilter(
        label=_("Score from"), field_name="score", lookup_expr="gte", min_value=0, max_value=100, widget=SCORE_INPUT
    )
    score_max = django_filters.NumberFilter(
        label=_("Score up to"), field_name="score", lookup_expr="lte", min_value=0, max_value=100, widget=SCORE_INPUT
    )

    class Meta:
        model = DuplicateCandidate
        fields: list[str] = []
        form = DuplicateFilterForm

    def __init__(self, data=None, *args, **kwargs):
        # The queue is a to-do list: without a status in the URL it shows the open candidates, and of
        # those the likely ones (the possible ones are a filter away; a reviewed list shows every tier).
        data = QueryDict(mutable=True) if data is None else data.copy()
        data["status"] = data.get("status") or CandidateStatus.OPEN
        if "tier" not in data and data["status"] == CandidateStatus.OPEN:
            data["tier"] = LIKELY
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset  # applied by the selector (requested_status): open candidates also need live profiles

    def filter_tier(self, queryset, name, tier):
        return queryset.filter(tier_q(tier))

    def filter_org(self, queryset, name, organization_ids):
        return queryset.filter(candidate_member_q(organization_ids)) if organization_ids else queryset

    def filter_reason(self, queryset, name, kind):
        return queryset.filter(reason_kind_q(kind))
