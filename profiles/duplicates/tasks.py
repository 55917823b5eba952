"""Background tasks of duplicate detection, run by the task queue's worker (`db_worker`)."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django_tasks import task

from profiles.duplicates import services as duplicates
from profiles.duplicates.scan import scan


@task()
def find_duplicates_since(since: str) -> None:
    """Scan the profiles created or changed since `since` (ISO date-time) for duplicates (after an import, say)."""
    scan(since=parse_datetime(since))


@task()
def check_profile_after_intake(user_id: int, conflicting_ids: list[int]) -> None:
    """The incremental duplicate check of a profile intake created or changed (`hooks`), in the worker.

    `conflicting_ids` are profiles owning a contact point given in one of its conversations: compared whatever
    the keys say, with that strong reason added.
    """
    duplicates.check_profile_after_intake(user_id=user_id, conflicting_ids=conflicting_ids)
