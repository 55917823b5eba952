"""Import pages: history, upload, one import's live progress and preview, apply, the problem report, exports."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig, SingleTableView

from imports.errors import ImportRefused
from imports.export import csv_lines, enduser_rows, organization_rows
from imports.forms import ImportForm
from imports.models import ImportJob, ImportStatus
from imports.selectors import job_history, job_issues, job_problems, job_progress, job_warnings
from imports.services.jobs import create_job, is_stalled, request_apply
from imports.subject_access import subject_access_report
from imports.tables import ImportIssueTable, ImportJobTable
from organizations.models import Organization
from profiles.filters import DirectoryFilter
from profiles.models import EndUser
from profiles.search import SearchSyntaxError, parse_query
from profiles.selectors import directory_queryset
from zdusers.pagination import BoundedLazyPaginator

PERMISSION = "profiles.import_endusers"
export_log = logging.getLogger("zdusers.exports")
ISSUES_PER_PAGE = 50


class ImportListView(PermissionRequiredMixin, SingleTableView):
    permission_required = PERMISSION
    raise_exception = True
    table_class = ImportJobTable
    paginator_class = BoundedLazyPaginator
    table_pagination = {"per_page": 25}
    template_name = "imports/list.html"

    def get_queryset(self):
        return job_history()


@permission_required(PERMISSION, raise_exception=True)
def new_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: store the file, queue its preview, go to its page."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                job = create_job(
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    create_organizations=form.cleaned_data["create_organizations"],
                    actor=request.user,
                )
            except ImportRefused as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    f"{job.file_name} uploaded. The preview runs in the background: nothing is changed until you "
                    "apply it. You can leave this page and come back.",
                )
                return redirect(job)
        messages.error(request, "The file was not uploaded; see the reason below.")
        return render(request, "imports/new.html", {"form": form}, status=400)
    return render(request, "imports/new.html", {"form": form})


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's live progress while it runs; its preview (or outcome) and problems once it is done."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    table = ImportIssueTable(job_problems(job))
    # Warnings have their own list (and pages): those rows are applied, nothing there needs fixing first.
    warnings_table = ImportIssueTable(job_warnings(job), prefix="warnings-", empty_text="No warnings.")
    for each in (table, warnings_table):
        RequestConfig(
            request, paginate={"per_page": ISSUES_PER_PAGE, "paginator_class": BoundedLazyPaginator}
        ).configure(each)
    return render(
        request,
        "imports/detail.html",
        {
            "job": job,
            "table": table,
            "warnings_table": warnings_table,
            "stalled": is_stalled(job),
            "can_apply": _can_apply(job),
            # Counters describe what was done once an apply started; before, what a preview would do.
            "applied_pass": job.status in (ImportStatus.APPLY_QUEUED, ImportStatus.APPLYING, ImportStatus.APPLIED)
            or bool(job.preview_counts),
        },
    )


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The small JSON the import page polls while the job runs."""
    return JsonResponse(job_progress(get_object_or_404(ImportJob, pk=pk)))


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the apply of a previewed import (or the rest of an interrupted one)."""
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        job = request_apply(job=job)
    except ImportRefused as error:
        messages.error(request, error.message)
    else:
        resume = f" It continues after line {job.last_line_committed}." if job.last_line_committed else ""
        messages.success(request, f"Applying {job.file_name} in the background.{resume}")
    return redirect(job)


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every problem of the import as CSV: line, column, problem, reason, profiles."""
    job = get_object_or_404(ImportJob, pk=pk)
    rows = (
        [issue.line, issue.column, issue.kind, issue.message, " ".join(f"#{pk}" for pk in issue.profile_ids)]
        for issue in job_issues(job).iterator(chunk_size=2000)
    )
    header = [["line", "column", "problem", "reason", "profiles"]]
    response = StreamingHttpResponse(csv_lines(_chain(header, rows)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-problems.csv"'
    return response


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def export_endusers(request: HttpRequest) -> StreamingHttpResponse:
    """Every live end user in the import format (the directory's Export CSV streams a filtered selection)."""
    response = StreamingHttpResponse(csv_lines(enduser_rows(EndUser.objects.order_by("id"))), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="end-users.csv"'
    return response


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def export_organizations(request: HttpRequest) -> StreamingHttpResponse:
    """Every organization in the organization import format."""
    rows = organization_rows(Organization.objects.order_by("id"))
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="organizations.csv"'
    return response


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def subject_access(request: HttpRequest, pk: int) -> JsonResponse:
    """Everything held about one person, as a JSON download (admins; logged like every export)."""
    user = get_object_or_404(EndUser, pk=pk)
    report = subject_access_report(user)
    export_log.info("subject-access report of profile #%s by %s", user.pk, request.user.get_username())
    response = JsonResponse(report, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="profile-{user.pk}-subject-access.json"'
    return response


def _can_apply(job: ImportJob) -> bool:
    if not job.file:
        return False
    if job.status == ImportStatus.PREVIEWED:
        return True
    interrupted = job.status == ImportStatus.FAILED or (job.status == ImportStatus.APPLYING and is_stalled(job))
    return interrupted and bool(job.preview_counts)


def _chain(first, rest):
    yield from first
    yield from rest


@permission_required("profiles.view_enduser", raise_exception=True)
def export_selection(request: HttpRequest) -> HttpResponse:
    """Stream the directory's current selection (same query and filters) as CSV, in the import format.

    An agent's selection may hold at most ZDUSERS_AGENT_EXPORT_LIMIT profiles (a whole desk is for admins,
    who import and export); every export is logged with who asked and for what."""
    try:
        parsed = parse_query(request.GET.get("q", ""))
        queryset = directory_queryset(parsed, include_merged=request.GET.get("merged") == "include")
    except SearchSyntaxError as error:
        messages.error(request, f"Nothing exported: {error.message}")
        return redirect(reverse("profiles:directory") + "?" + request.GET.urlencode())
    filterset = DirectoryFilter(request.GET, queryset=queryset)
    if not filterset.is_valid():
        messages.error(request, "Nothing exported: fix the filters first.")
        return redirect(reverse("profiles:directory") + "?" + request.GET.urlencode())
    selection = filterset.qs.order_by("name", "id")
    limit = None if request.user.has_perm(PERMISSION) else settings.ZDUSERS_AGENT_EXPORT_LIMIT
    if limit is not None and selection[limit : limit + 1].exists():
        messages.error(
            request,
            _(
                "Nothing exported: this selection holds more than %(limit)s profiles. Narrow the search, "
                "or ask an admin for a full export."
            )
            % {"limit": f"{limit:,}"},
        )
        return redirect(reverse("profiles:directory") + "?" + request.GET.urlencode())
    export_log.info(
        "directory export by %s (%s): %s",
        request.user.get_username(),
        f"at most {limit:,} rows" if limit is not None else "no limit",
        request.GET.urlencode() or "every profile",
    )
    # Zendesk's import format (imports.export), so the file imports back with `import_users` or /imports/new/.
    rows = enduser_rows(selection)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="end-users.csv"'
    return response
