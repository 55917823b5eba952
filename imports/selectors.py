"""Reads of the imports pages: the history, one job's problems, and the JSON its page polls."""

from __future__ import annotations

from django.db.models import QuerySet

from imports.models import ImportIssue, ImportJob, IssueKind
from imports.services.jobs import is_stalled


def job_history() -> QuerySet[ImportJob]:
    """Every import, newest first, with who ran it."""
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")


def job_issues(job: ImportJob) -> QuerySet[ImportIssue]:
    """Every issue of `job`, refusals and warnings, in file order (the (job, line) index): the CSV report."""
    return ImportIssue.objects.filter(job=job).order_by("line", "id")


def job_problems(job: ImportJob) -> QuerySet[ImportIssue]:
    """The rows of `job` refused (invalid or conflicting), in file order."""
    return job_issues(job).exclude(kind=IssueKind.WARNING)


def job_warnings(job: ImportJob) -> QuerySet[ImportIssue]:
    """The warnings of `job`, in file order: rows applied all the same, listed apart so nobody fixes them twice."""
    return job_issues(job).filter(kind=IssueKind.WARNING)


def job_progress(job: ImportJob) -> dict:
    """What the import page shows while the job runs: status, percent and counters."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.is_running,
        "stalled": is_stalled(job),
        "percent": job.percent,
        "rows_read": job.rows_read,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "conflicts": job.conflicts,
        "invalid": job.invalid,
        "organizations_created": job.organizations_created,
        "warned": job.warned,
        "last_line_committed": job.last_line_committed,
        "error": job.error,
    }
