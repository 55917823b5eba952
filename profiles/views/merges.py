"""The merge history `/merges/` and one merge's record page, from which an admin undoes it.

Undoing itself is `profiles.views.merge.undo` (POST); the record page only asks
for confirmation first and hands it the way back here.
"""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin

from profiles.filters_merges import MergeFilter
from profiles.selectors_merges import can_see_merges, merge_history, merge_record, merge_record_page
from profiles.tables_merges import MergeRecordTable

FILTER_PARAMS = ("actor", "profile", "undone")


class HistoryView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """Every merge, newest first, filtered by who merged, a profile involved and whether it was undone."""

    raise_exception = True
    table_class = MergeRecordTable
    filterset_class = MergeFilter
    template_name = "profiles/merges.html"
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    def has_permission(self) -> bool:
        return can_see_merges(self.request.user)

    def get_queryset(self):
        return merge_history()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters_active"] = any(self.request.GET.get(param) for param in FILTER_PARAMS)
        return context


def record(request: HttpRequest, pk: int) -> HttpResponse:
    """What one merge moved and overwrote; `?undo` asks an admin to confirm undoing it."""
    if not can_see_merges(request.user):
        raise PermissionDenied
    found = merge_record(pk)
    if found is None:
        raise Http404("No such merge.")
    can_undo = request.user.has_perm("profiles.unmerge_enduser")
    context = {
        "page": merge_record_page(found),
        "record": found,
        "can_undo": can_undo and not found.is_undone,
        "confirming_undo": can_undo and not found.is_undone and "undo" in request.GET,
    }
    return render(request, "profiles/merge_record.html", context)
