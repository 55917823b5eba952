"""The duplicates review queue `/duplicates/`, the compare page of one candidate, and "not a duplicate"."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from profiles.duplicates import services as duplicates
from profiles.duplicates import training
from profiles.duplicates.calibration import MIN_VERDICTS
from profiles.duplicates.filters import DuplicateFilter, requested_status
from profiles.duplicates.overview import MIN_REVIEWED_FOR_THRESHOLD, overview
from profiles.duplicates.pending import pending_checks
from profiles.duplicates.selectors import (
    LIKELY,
    POSSIBLE,
    candidate_group,
    comparison,
    next_candidate,
    open_candidate_count,
    queue_queryset,
    shown_reasons,
)
from profiles.duplicates.tables import DuplicateCandidateTable
from profiles.merges.forms import merge_url
from profiles.models import CandidateStatus, DuplicateCandidate
from zdusers.pagination import BoundedLazyPaginator

FILTER_PARAMS = ("org", "reason", "score_min", "score_max")
# Checks waiting longer than this mean the task worker is down or far behind: the queue says so.
WORKER_LAG = timedelta(minutes=5)


class QueueView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """Candidates strongest first, filtered by status (open by default), organization, reason and score."""

    permission_required = "profiles.view_enduser"
    raise_exception = True
    table_class = DuplicateCandidateTable
    filterset_class = DuplicateFilter
    template_name = "duplicates/queue.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return queue_queryset(status=requested_status(self.request.GET))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        showing_open = requested_status(self.request.GET) == CandidateStatus.OPEN
        likely_only = showing_open and self.request.GET.get("tier", LIKELY) == LIKELY
        context.update(
            filters_active=any(self.request.GET.get(p) for p in FILTER_PARAMS)
            or status not in ("", "open")
            or not likely_only,
            showing_open=showing_open,
            likely_only=likely_only,
        )
        if likely_only and not context["table"].page.object_list:
            context["possible_waiting"] = open_candidate_count(POSSIBLE)
        if showing_open:
            waiting = pending_checks()
            context["pending_checks"] = waiting
            context["worker_lagging"] = waiting.oldest is not None and timezone.now() - waiting.oldest > WORKER_LAG
        return context


@permission_required("profiles.view_namefrequency", raise_exception=True)
def how(request: HttpRequest) -> HttpResponse:
    """For admins: the rules in force, the desk's names, and the reviewers' verdicts so far."""
    return render(
        request,
        "duplicates/how.html",
        {"view": overview(), "min_reviewed": MIN_REVIEWED_FOR_THRESHOLD, "min_verdicts": MIN_VERDICTS},
    )


@require_POST
@permission_required("profiles.add_matchingmodel", raise_exception=True)
def train_weights(request: HttpRequest) -> HttpResponse:
    """Learn the rules' weights from the reviewers' verdicts and put them in force (admins)."""
    try:
        result = training.train(actor=request.user)
    except training.TrainingRefused as error:
        messages.error(request, str(error))
    else:
        learned = result.learned
        messages.success(
            request,
            f"Weights learned from {result.merged:,} merged and {result.dismissed:,} dismissed pairs are in force. "
            f"On verdicts held out of training the likely tier would show {learned.shown:,} pairs, "
            f"{learned.right:,} of them merged. Open pairs take the new weights at the next full scan.",
        )
    return redirect("profiles:duplicates_how")


@require_POST
@permission_required("profiles.add_matchingmodel", raise_exception=True)
def default_weights(request: HttpRequest) -> HttpResponse:
    """Put the default weights back in force (admins); trained models stay as history."""
    training.use_default_weights(actor=request.user)
    messages.success(request, "The default weights are in force again. Open pairs take them at the next full scan.")
    return redirect("profiles:duplicates_how")


@permission_required("profiles.view_enduser", raise_exception=True)
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate's group side by side, or why it can no longer be reviewed."""
    candidate = DuplicateCandidate.objects.select_related("low", "high", "reviewed_by").filter(pk=pk).first()
    if candidate is None:
        return _closed(request, None, status=404)
    if candidate.status != CandidateStatus.OPEN or candidate.low.is_tombstone or candidate.high.is_tombstone:
        return _closed(request, candidate)
    group_ids, links = candidate_group(candidate)
    table = comparison(group_ids)
    context = {
        "candidate": candidate,
        "comparison": table,
        "pair_ids": {candidate.low_id, candidate.high_id},
        "links": links,
        "reasons": shown_reasons(candidate.reasons),
        "merge_url": merge_url(table.ids),
        "previous": next_candidate(candidate, backwards=True),
        "next": next_candidate(candidate),
    }
    return render(request, "duplicates/compare.html", context)


def _closed(request: HttpRequest, candidate: DuplicateCandidate | None, *, status: int = 200) -> HttpResponse:
    following = (
        next_candidate(candidate) if candidate is not None else queue_queryset().select_related(None).only("pk").first()
    )
    context = {"candidate": candidate, "next": following}
    return render(request, "duplicates/closed.html", context, status=status)


@require_POST
@permission_required("profiles.change_enduser", raise_exception=True)
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark this pair "not a duplicate" (who and when are recorded), then go on to the next open candidate."""
    candidate = DuplicateCandidate.objects.select_related("low", "high").filter(pk=pk).first()
    if candidate is None:
        messages.error(request, _("This pair is no longer in the queue: nothing was changed."))
        return redirect("profiles:duplicates")
    try:
        duplicates.dismiss(candidate=candidate, actor=request.user)
    except duplicates.CandidateClosed as error:
        messages.error(request, f"{error.message} {_('Nothing was changed.')}")
        return redirect("profiles:duplicate", pk=candidate.pk)
    messages.success(
        request,
        _(
            "%(low)s (#%(low_id)s) and %(high)s (#%(high_id)s) are marked as not duplicates; "
            "no scan will propose them again."
        )
        % {
            "low": candidate.low.name,
            "low_id": candidate.low_id,
            "high": candidate.high.name,
            "high_id": candidate.high_id,
        },
    )
    following = next_candidate(candidate)
    if following is None:
        return redirect(reverse("profiles:duplicates"))
    return redirect("profiles:duplicate", pk=following.pk)
