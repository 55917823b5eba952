"""What happens after intake created a profile or saw a duplicate signal: the hook points, not signals.

`record_contact()` (profiles.services.intake) registers these functions with
`transaction.on_commit`, so they run once, after the contact is committed, and
never for a delivery that was rolled back or was a replay. They are plain
functions called by name so a reader can follow the flow; today they do nothing.

The duplicates issue plugs in here:

- `after_profile_created`: run the incremental duplicate check for the new
  profile (budget: 20 ms; hand it to a task queue worker if it grows).
- `after_identity_conflicts`: a contact point given with a contact (say the
  email a WhatsApp caller typed) already belongs to another profile; that pair
  is a strong duplicate candidate.

Both receive ids, not model instances, so they can be handed to a background
task as they are. They must not raise: the contact is already committed.
"""

from __future__ import annotations

from collections.abc import Sequence


def after_profile_created(*, user_id: int) -> None:
    """Intake created the live profile `user_id` (source `channel`) for a contact point nobody owned."""


def after_identity_conflicts(*, user_id: int, owner_ids: Sequence[int]) -> None:
    """Contact points given with a contact of `user_id` belong to the other live profiles `owner_ids`."""
