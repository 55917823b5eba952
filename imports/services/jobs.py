"""Import jobs: upload → preview (background) → apply (background), with progress and problems written as they go.

The web pages and the `import_users` command share these functions. A job's
preview and apply run on the task queue (imports.tasks); each chunk's rows,
problems and progress commit together, so the job always says how far it got.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import BinaryIO

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from imports.errors import FileProblem, JobStateError
from imports.models import ImportIssue, ImportJob, ImportKind, ImportStatus, IssueKind
from imports.services.organizations import import_organizations, open_organization_file
from imports.services.users import Outcome, import_users, open_user_file
from profiles.duplicates.tasks import find_duplicates_since

logger = logging.getLogger(__name__)

# A job that wrote no progress for this long while "running" is shown as stalled (its worker probably died).
STALLED_AFTER = timedelta(minutes=10)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_COUNTERS = ("rows_read", "created", "updated", "unchanged", "conflicts", "invalid", "organizations_created", "warned")


@transaction.atomic
def create_job(
    *, upload: UploadedFile, kind: str = ImportKind.USERS, create_organizations: bool = True, actor: User | None
) -> ImportJob:
    """Store the uploaded file and queue its preview (a dry run: nothing is written but the job's report)."""
    if kind not in ImportKind.values:
        raise JobStateError(f"Unknown kind of import {kind!r}: choose users or organizations.")
    if upload.size > MAX_UPLOAD_BYTES:
        raise JobStateError(
            f"The file is {upload.size / 1e6:.0f} MB; at most {MAX_UPLOAD_BYTES // 1_000_000} MB can be uploaded. "
            "Split it, or import it with `python manage.py import_users`."
        )
    job = ImportJob(
        kind=kind,
        file_name=(upload.name or "upload.csv")[:255],
        file_size=upload.size or 0,
        create_organizations=create_organizations,
        created_by=actor,
    )
    job.file.save(upload.name or "upload.csv", upload, save=False)
    job.save()
    transaction.on_commit(partial(_enqueue, job.pk, False))
    return job


@transaction.atomic
def request_apply(*, job: ImportJob) -> ImportJob:
    """Queue the apply of a previewed job, or the rest of one whose apply stopped (it resumes after the last
    committed line). Refused while it runs and once it is applied."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ImportStatus.APPLIED:
        raise JobStateError("This import was applied already. Upload the file again to import it again.")
    if job.is_running and not is_stalled(job):
        raise JobStateError("This import is running; wait for it to finish.")
    if job.status == ImportStatus.FAILED and not job.preview_counts:
        # The preview itself failed: the file cannot be read to the end, applying would stop at the same place.
        raise JobStateError(f"This file cannot be imported as it is: {job.error} Fix it and upload it again.")
    if job.status in (ImportStatus.QUEUED, ImportStatus.PREVIEWING):
        raise JobStateError("The preview is not ready yet; apply the import once you have seen it.")
    if not job.file:
        raise JobStateError("This import came from the command line; run the command again to apply it.")
    job.status = ImportStatus.APPLY_QUEUED
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "heartbeat_at"])
    transaction.on_commit(partial(_enqueue, job.pk, True))
    return job


def create_command_job(*, file_name: str, file_size: int, kind: str, create_organizations: bool, actor) -> ImportJob:
    """A job for a file imported with `manage.py import_users`: listed in the history like an upload, not stored."""
    return ImportJob.objects.create(
        kind=kind,
        file_name=file_name[:255] or "import.csv",
        file_size=file_size,
        create_organizations=create_organizations,
        created_by=actor,
    )


def finish_dry_run(job: ImportJob) -> ImportJob:
    """A command-line preview is a finished dry run: the history lists it so, not as a preview awaiting an apply
    (it has no stored file to apply)."""
    if job.status == ImportStatus.PREVIEWED:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DRY_RUN)
        job.status = ImportStatus.DRY_RUN
    return job


def is_stalled(job: ImportJob) -> bool:
    """A running job whose worker has written nothing for a while (killed, or no worker is running)."""
    last = job.heartbeat_at or job.created_at
    return job.is_running and last is not None and timezone.now() - last > STALLED_AFTER


def run_job(*, job_id: int, apply: bool, progress: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Run the preview or the apply of job `job_id` from its stored file (what the task worker calls)."""
    job = ImportJob.objects.get(pk=job_id)
    with job.file.open("rb") as stream:
        return run_stream(job=job, stream=stream, apply=apply, progress=progress)


def run_stream(
    *, job: ImportJob, stream: BinaryIO, apply: bool, progress: Callable[[ImportJob], None] | None = None
) -> ImportJob:
    """Preview or apply `stream` for `job`, writing progress per chunk. A file that cannot be read marks the job
    failed with the reason (rows committed before it stay, and `last_line_committed` says up to where)."""
    resume_after = _start(job, apply)
    try:
        source = open_user_file(stream) if job.kind == ImportKind.USERS else open_organization_file(stream)
        ImportJob.objects.filter(pk=job.pk).update(warnings=source.warnings)
        job.warnings = source.warnings
        record = partial(_record_chunk, job, apply, progress)
        if job.kind == ImportKind.USERS:
            import_users(
                source=source,
                apply=apply,
                create_organizations=job.create_organizations,
                start_after_line=resume_after,
                on_chunk=record,
            )
        else:
            import_organizations(source=source, apply=apply, start_after_line=resume_after, on_chunk=record)
    except FileProblem as problem:
        return _finish(job, ImportStatus.FAILED, error=problem.message)
    except Exception:
        logger.exception("Import #%s stopped", job.pk)
        _finish(job, ImportStatus.FAILED, error="The import stopped on an unexpected error; see the server log.")
        raise
    if apply and job.kind == ImportKind.USERS and job.created + job.updated:
        _check_for_duplicates(job)
    return _finish(job, ImportStatus.APPLIED if apply else ImportStatus.PREVIEWED)


def _start(job: ImportJob, apply: bool) -> int:
    """Reset what a new pass recomputes; returns the line after which an apply resumes (0: from the start)."""
    job.refresh_from_db()
    resume_after = job.last_line_committed if apply else 0
    job.status = ImportStatus.APPLYING if apply else ImportStatus.PREVIEWING
    job.started_at = job.started_at or timezone.now()
    job.heartbeat_at = timezone.now()
    job.error = ""
    job.finished_at = None
    if apply and not resume_after and job.rows_read and not job.preview_counts:
        job.preview_counts = {name: getattr(job, name) for name in _COUNTERS}
    if not resume_after:
        for name in _COUNTERS:
            setattr(job, name, 0)
        job.bytes_read = 0
        ImportIssue.objects.filter(job=job).delete()
    else:
        ImportIssue.objects.filter(job=job, line__gt=resume_after).delete()
    job.save()
    return resume_after


def _record_chunk(job: ImportJob, apply: bool, progress, outcome: Outcome) -> None:
    ImportIssue.objects.bulk_create(
        [
            ImportIssue(
                job=job,
                line=line,
                column=problem.column,
                kind=IssueKind.CONFLICT if problem.conflict else IssueKind.INVALID,
                message=problem.message,
                profile_ids=list(problem.profile_ids),
            )
            for line, problem in outcome.problems
        ]
        + [
            ImportIssue(job=job, line=line, column=warning.column, kind=IssueKind.WARNING, message=warning.message)
            for line, warning in outcome.warnings
        ],
        batch_size=500,
    )
    for name in _COUNTERS:
        setattr(job, name, getattr(job, name) + getattr(outcome, "rows" if name == "rows_read" else name))
    job.bytes_read = min(outcome.bytes_read, job.file_size) if job.file_size else 0
    if apply:
        job.last_line_committed = outcome.last_line
    job.heartbeat_at = timezone.now()
    job.save(update_fields=[*_COUNTERS, "bytes_read", "last_line_committed", "heartbeat_at"])
    if progress is not None:
        progress(job)


def _finish(job: ImportJob, status: str, *, error: str = "") -> ImportJob:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.heartbeat_at = job.finished_at
    if status in (ImportStatus.PREVIEWED, ImportStatus.APPLIED):
        job.bytes_read = job.file_size
    job.save(update_fields=["status", "error", "finished_at", "heartbeat_at", "bytes_read"])
    return job


CLOCK_MARGIN = timedelta(minutes=5)


def _check_for_duplicates(job: ImportJob) -> None:
    """The profiles an import created or changed get the duplicate check: a scan limited to what changed
    since the import started, queued for the task worker (a million rows are not checked one by one)."""
    # A margin: rows may carry the database's clock (or its transaction start), not this server's;
    # checking a few more profiles than needed costs little.
    find_duplicates_since.enqueue(since=(job.started_at - CLOCK_MARGIN).isoformat())


def _enqueue(job_id: int, apply: bool) -> None:
    run_import_job.enqueue(job_id=job_id, apply=apply)


@task()
def run_import_job(job_id: int, apply: bool) -> None:
    """The task the worker (`db_worker`) runs: preview (`apply` false) or apply the import `job_id`; progress and
    outcome are written on the job."""
    run_job(job_id=job_id, apply=apply)
