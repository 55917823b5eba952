"""The merge feature's pages: the merge page, undo, the merge history `/merges/` and one merge's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from profiles.merges.filters import MergeFilter
from profiles.merges.forms import MergeForm
from profiles.merges.selectors import can_see_merges, merge_history, merge_record, merge_record_page
from profiles.merges.services import merge, unmerge
from profiles.merges.tables import MergeRecordTable
from profiles.models import MergeRecord
from zdusers.errors import DomainError
from zdusers.pagination import BoundedLazyPaginator


@permission_required("profiles.merge_enduser", raise_exception=True)
def confirm(request: HttpRequest) -> HttpResponse:
    """GET: the profiles side by side with choices; POST: merge them as chosen."""
    posted = request.method == "POST"
    form = MergeForm(request.POST if posted else request.GET)
    if form.preview is None:  # the selection itself is wrong or stale: select again
        _show_refusals(request, form)
        return redirect("profiles:directory")
    if posted and form.is_valid():
        try:
            record = merge(
                survivor=form.preview.survivor,
                others=form.preview.others,
                field_choices=form.cleaned_data["field_choices"],
                confirm_suspended=form.cleaned_data["confirm_suspended"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Merged {len(record.merged_ids)} profile(s) into {record.survivor.name}. "
                "An admin can undo it from this page's merge history.",
            )
            return redirect("profiles:detail", pk=record.survivor_id)
    elif posted:
        _show_refusals(request, form)
    return render(request, "merges/merge.html", {"form": form, "preview": form.preview})


def _show_refusals(request: HttpRequest, form: MergeForm) -> None:
    for message in form.refusals:
        messages.error(request, message)


@require_POST
@permission_required("profiles.unmerge_enduser", raise_exception=True)
def undo(request: HttpRequest, record_pk: int) -> HttpResponse:
    record = get_object_or_404(MergeRecord, pk=record_pk)
    try:
        unmerge(merge_record=record, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Merge #{record.pk} undone: {len(record.merged_ids)} profile(s) restored.")
    if request.POST.get("next") == "record":  # undone from the merge's record page: back there
        return redirect("profiles:merge_record", pk=record.pk)
    return redirect("profiles:detail", pk=record.survivor_id)


FILTER_PARAMS = ("actor", "profile", "undone")


class HistoryView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """Every merge, newest first, filtered by who merged, a profile involved and whether it was undone."""

    raise_exception = True
    table_class = MergeRecordTable
    filterset_class = MergeFilter
    template_name = "merges/history.html"
    paginator_class = BoundedLazyPaginator
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
    return render(request, "merges/record.html", context)
