"""Duplicate checks intake asks for, queued for the task worker: one per profile, never lost.

A channel that creates a profile, or gives one a new contact point, asks for that profile's incremental check
(`hooks`). Doing it in the provider's request made intake wait for it; queuing one task per contact made the
task table grow by a row per contact and checked a busy profile once per message. Instead intake writes a
`PendingDuplicateCheck` row (one per profile: a second request for the same profile adds nothing), and one
task (`tasks.check_pending_profiles`) works through the rows. Each check is committed together with the
removal of its row, so a worker killed mid-batch leaves the rest for the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from profiles.duplicates import services as duplicates
from profiles.models import PendingDuplicateCheck

logger = logging.getLogger(__name__)

# Profiles read per round: small enough that a round's list is cheap, large enough to use few rounds.
BATCH = 200


def queue_check(*, user_id: int, conflicting_ids: Sequence[int] = ()) -> bool:
    """Ask for the duplicate check of `user_id`; `conflicting_ids` own contact points given in its conversations.

    Returns whether the profile was not waiting yet (then the worker must be woken; otherwise it was woken
    when the profile first queued). The common case, nothing but the profile, is one INSERT that does nothing
    when the profile already waits; conflicting profiles are added to those already waiting with it.
    """
    if not conflicting_ids:
        table = PendingDuplicateCheck._meta.db_table
        with connection.cursor() as cursor:  # one statement: bulk_create would add a BEGIN and a COMMIT
            cursor.execute(
                f"INSERT INTO {table} (user_id, conflicting_ids, queued_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (user_id) DO NOTHING",
                [user_id, "[]", timezone.now()],
            )
            return cursor.rowcount == 1
    with transaction.atomic():
        row, created = PendingDuplicateCheck.objects.select_for_update().get_or_create(
            user_id=user_id, defaults={"conflicting_ids": sorted(set(conflicting_ids))}
        )
        merged = sorted({*row.conflicting_ids, *conflicting_ids})
        if not created and merged != row.conflicting_ids:
            row.conflicting_ids = merged
            row.save(update_fields=["conflicting_ids"])
    return created


def run_pending_checks(*, batch: int = BATCH) -> int:
    """Run every waiting check, oldest first, each committed with the removal of its row; returns how many ran.

    A check that fails is logged and its row kept for the next run; the others go on. Rows another worker is
    checking at the same moment are skipped (PostgreSQL's SKIP LOCKED), not checked twice.
    """
    ran, failed = 0, set()
    while True:
        waiting = PendingDuplicateCheck.objects.exclude(user_id__in=failed).order_by("queued_at", "user_id")
        user_ids = list(waiting.values_list("user_id", flat=True)[:batch])
        if not user_ids:
            return ran
        for user_id in user_ids:
            try:
                ran += _check_one(user_id)
            except Exception:  # the profile's data is in the way; the row stays for the next run
                logger.exception("duplicate check failed for profile %s; it stays queued", user_id)
                failed.add(user_id)


def _check_one(user_id: int) -> int:
    with transaction.atomic():
        row = PendingDuplicateCheck.objects.select_for_update(skip_locked=True).filter(user_id=user_id).first()
        if row is None:  # checked meanwhile by another worker
            return 0
        duplicates.check_profile_after_intake(user_id=user_id, conflicting_ids=row.conflicting_ids, quietly=False)
        row.delete()
    return 1


@dataclass(frozen=True)
class PendingChecks:
    """How many profiles wait for their duplicate check, and since when the oldest does."""

    count: int
    oldest: datetime | None


def pending_checks() -> PendingChecks:
    """The waiting checks, for the duplicates queue's note (one small aggregate)."""
    summary = PendingDuplicateCheck.objects.aggregate(count=Count("pk"), oldest=Min("queued_at"))
    return PendingChecks(count=summary["count"], oldest=summary["oldest"])
