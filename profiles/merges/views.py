"""The merge feature's pages: the merge page, undo, the merge history `/merges/` and one merge's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin

from profiles.errors import ProfileError
from profiles.merges.filters import MergeFilter
from profiles.merges.selectors import can_see_merges, merge_history, merge_record, merge_record_page
from profiles.merges.services import (
    DEFAULT_ORGANIZATION,
    FIELD_LABELS,
    MAX_PROFILES,
    MERGE_FIELDS,
    MIN_PROFILES,
    merge,
    unmerge,
)
from profiles.merges.tables import MergeRecordTable
from profiles.models import EndUser, MergeRecord
from zdusers.errors import DomainError


@permission_required("profiles.merge_enduser", raise_exception=True)
def confirm(request: HttpRequest) -> HttpResponse:
    """GET: the profiles side by side with choices; POST: merge them as chosen."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        ids = _profile_ids(source.get("users", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("profiles:directory")
    profiles = list(
        EndUser.objects.filter(pk__in=ids)
        .annotate(identity_count=Count("identities", distinct=True), contact_count=Count("contacts", distinct=True))
        .prefetch_related("memberships__organization")
        .order_by("pk")
    )
    if len(profiles) != len(ids):
        messages.error(request, "One of these profiles no longer exists; select them again.")
        return redirect("profiles:directory")
    most_contacted = max(profiles, key=lambda p: (p.contact_count, -p.pk)).pk
    # Not given: the most contacted; given but not one of these profiles (a tampered form): none, refused.
    survivor_id = _selected_id(source["survivor"], profiles) if source.get("survivor") else most_contacted
    if request.method == "POST":
        survivor = next((p for p in profiles if p.pk == survivor_id), None)
        # As posted: the service turns them into ids and refuses, with a message, any not among the profiles.
        choices = {field: source[f"choice_{field}"] for field in MERGE_FIELDS if source.get(f"choice_{field}")}
        if source.get(DEFAULT_ORGANIZATION):
            choices[DEFAULT_ORGANIZATION] = source[DEFAULT_ORGANIZATION]
        try:
            if survivor is None:
                raise ProfileError("Choose which of these profiles survives; nothing was merged.")
            record = merge(
                survivor=survivor,
                others=[p for p in profiles if p.pk != survivor.pk],
                field_choices=choices,
                actor=request.user,
                confirm_suspended=bool(source.get("confirm_suspended")),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Merged {len(record.merged_ids)} profile(s) into {record.survivor.name}. "
                "An admin can undo it from this page's merge history.",
            )
            return redirect("profiles:detail", pk=survivor.pk)
    survivor_id = survivor_id or most_contacted
    context = {
        "profiles": profiles,
        "users_param": ",".join(str(p.pk) for p in profiles),
        "survivor_id": survivor_id,
        "fields": _conflicting_fields(profiles, survivor_id),
        "organizations": _organizations(profiles),
        "moves": _what_moves(profiles, survivor_id),
        "any_suspended": any(p.suspended for p in profiles),
    }
    return render(request, "merges/merge.html", context)


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


def _selected_id(raw: str | None, profiles: list[EndUser]) -> int | None:
    """The id of the profile `raw` names among `profiles`; None for nothing, garbage or a profile outside them."""
    ids = {str(p.pk): p.pk for p in profiles}
    return ids.get((raw or "").strip())


def _profile_ids(raw: str) -> list[int]:
    try:
        ids = sorted({int(part) for part in raw.split(",") if part.strip()})
    except ValueError:
        raise ProfileError("The profiles to merge were not understood; select them again.") from None
    if not MIN_PROFILES <= len(ids) <= MAX_PROFILES:
        raise ProfileError(f"Select between {MIN_PROFILES} and {MAX_PROFILES} profiles to merge.")
    return ids


def _conflicting_fields(profiles: list[EndUser], survivor_id: int) -> list[dict]:
    """Fields whose values differ: each option with the profile it comes from; the default is the survivor's
    value, or the most recently created profile's non-empty value when the survivor has none."""
    rows = []
    for field in MERGE_FIELDS:
        values = {p.pk: getattr(p, field) for p in profiles}
        if len({str(v) for v in values.values()}) <= 1:
            continue
        survivor_value = values[survivor_id]
        default = survivor_id
        if survivor_value in ("", None):
            filled = [p for p in profiles if values[p.pk] not in ("", None)]
            default = max(filled, key=lambda p: p.created_at).pk if filled else survivor_id
        options = [{"profile": p, "value": values[p.pk], "checked": p.pk == default} for p in profiles]
        rows.append({"field": field, "label": FIELD_LABELS[field], "options": options})
    return rows


def _organizations(profiles: list[EndUser]) -> list[dict]:
    seen: dict[int, dict] = {}
    for profile in profiles:
        for membership in profile.memberships.all():
            entry = seen.setdefault(
                membership.organization_id, {"organization": membership.organization, "default": False}
            )
            entry["default"] = entry["default"] or membership.is_default
    return list(seen.values())


def _what_moves(profiles: list[EndUser], survivor_id: int) -> dict[str, int]:
    others = [p for p in profiles if p.pk != survivor_id]
    return {
        "profiles": len(others),
        "identities": sum(p.identity_count for p in others),
        "contacts": sum(p.contact_count for p in others),
        "organizations": sum(len(p.memberships.all()) for p in others),
    }


def merge_url(user_ids: list[int]) -> str:
    return reverse("profiles:merge") + "?users=" + ",".join(str(pk) for pk in user_ids)


FILTER_PARAMS = ("actor", "profile", "undone")


class HistoryView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """Every merge, newest first, filtered by who merged, a profile involved and whether it was undone."""

    raise_exception = True
    table_class = MergeRecordTable
    filterset_class = MergeFilter
    template_name = "merges/history.html"
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
    return render(request, "merges/record.html", context)
