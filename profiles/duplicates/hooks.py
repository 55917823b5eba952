"""What happens after intake created or changed a profile, or saw a duplicate signal: the hook points, not signals.

`record_contact()` (intake.services.contacts) registers these functions with
`transaction.on_commit`, so they run once, after the contact is committed, and
never for a delivery that was rolled back or was a replay. They are plain
functions called by name so a reader can follow the flow.

Each asks for the incremental duplicate check (profiles.duplicates.services) of the
profile; a contact point given with a contact that already belongs to another
profile (say the email a WhatsApp caller typed) is strong evidence, added to that
pair's score. With ZDUSERS_DUPLICATE_CHECK_IN_BACKGROUND (the default) the check is
queued for the worker (`pending`: one row per profile, run by one task), so the
provider's request does not wait for it; otherwise it runs here. They never raise:
the contact is already committed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings

from profiles.duplicates import pending, tasks
from profiles.duplicates import services as duplicates

logger = logging.getLogger(__name__)


def after_profile_created(*, user_id: int) -> None:
    """Intake created the live profile `user_id` (source `channel`) for a contact point nobody owned."""
    _check(user_id, ())


def after_profile_changed(*, user_id: int) -> None:
    """Intake gave the existing profile `user_id` a contact point it did not have."""
    _check(user_id, ())


def after_identity_conflicts(*, user_id: int, owner_ids: Sequence[int]) -> None:
    """Contact points given with a contact of `user_id` belong to the other live profiles `owner_ids`."""
    _check(user_id, owner_ids)


def _check(user_id: int, conflicting_ids: Sequence[int]) -> None:
    if not settings.ZDUSERS_DUPLICATE_CHECK_IN_BACKGROUND:
        duplicates.check_profile_after_intake(user_id=user_id, conflicting_ids=conflicting_ids)
        return
    try:
        if pending.queue_check(user_id=user_id, conflicting_ids=conflicting_ids):
            tasks.wake_pending_checks()
    except Exception:  # the contact is committed; the next scan will find the pair
        logger.exception("could not queue the duplicate check of profile %s", user_id)
