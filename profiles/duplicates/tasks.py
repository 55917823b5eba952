"""Background tasks of duplicate detection, run by the task queue's worker (`db_worker`)."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from profiles.duplicates import pending
from profiles.duplicates.scan import scan


@task()
def find_duplicates_since(since: str) -> None:
    """Scan the profiles created or changed since `since` (ISO date-time) for duplicates (after an import, say)."""
    scan(since=parse_datetime(since))


@task()
def check_pending_profiles() -> int:
    """Run the duplicate checks intake queued (`pending`); returns how many ran."""
    return pending.run_pending_checks()


def wake_pending_checks() -> None:
    """See that a `check_pending_profiles` task waits for the worker: one is enough for any number of checks.

    With the database backend, a task still waiting (READY) will read every row queued before it starts, so
    none is added; one already running may have read the rows before this one, so then a new one is queued.
    """
    if isinstance(check_pending_profiles.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=check_pending_profiles.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return
    check_pending_profiles.enqueue()
