"""What happens after intake created or changed a profile, or saw a duplicate signal: the hook points, not signals.

`record_contact()` (intake.services.contacts) registers these functions with
`transaction.on_commit`, so they run once, after the contact is committed, and
never for a delivery that was rolled back or was a replay. They are plain
functions called by name so a reader can follow the flow.

Each runs the incremental duplicate check (profiles.duplicates.services) for the
profile; a contact point given with a contact that already belongs to another
profile (say the email a WhatsApp caller typed) is strong evidence, added to that
pair's score. They receive ids, not model instances, so they could be handed to
a background task as they are, and never raise: the contact is already committed.
"""

from __future__ import annotations

from collections.abc import Sequence

from profiles.duplicates import services as duplicates
from profiles.duplicates.matching import WEIGHTS, Reason


def after_profile_created(*, user_id: int) -> None:
    """Intake created the live profile `user_id` (source `channel`) for a contact point nobody owned."""
    duplicates.check_profile_quietly(user_id=user_id)


def after_profile_changed(*, user_id: int) -> None:
    """Intake gave the existing profile `user_id` a contact point it did not have."""
    duplicates.check_profile_quietly(user_id=user_id)


def after_identity_conflicts(*, user_id: int, owner_ids: Sequence[int]) -> None:
    """Contact points given with a contact of `user_id` belong to the other live profiles `owner_ids`."""
    reason = Reason(
        "conflict", "a contact point given in a conversation of one belongs to the other", WEIGHTS["conflict"]
    )
    duplicates.check_profile_quietly(user_id=user_id, with_ids=tuple(owner_ids), extra_reasons=(reason,))
