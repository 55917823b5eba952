"""Background tasks of duplicate detection, run by the task queue's worker (`db_worker`)."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django_tasks import task

from profiles.duplicates.scan import scan


@task()
def find_duplicates_since(since: str) -> None:
    """Scan the profiles created or changed since `since` (ISO date-time) for duplicates (after an import, say)."""
    scan(since=parse_datetime(since))
