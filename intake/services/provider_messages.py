"""One message a provider delivered, recorded through `record_contact()`, and what became of it as a log line.

Every webhook reads its payload its own way into `record_contact()`'s arguments; recording them and turning
the result or the refusal into the inbound log's line is the same for all of them, and lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from intake.models import DeliveryOutcome
from intake.services.contacts import record_contact
from intake.services.inbound_log import LogLine
from profiles.errors import InvalidContact
from zdusers.errors import DomainError


def record_message(read_arguments: Callable[[], dict[str, Any]], *, source_ref: str, sender: str) -> LogLine:
    """Record the message whose `record_contact()` arguments `read_arguments()` gives; never raise for its content.

    Recorded or replayed (the provider delivered it again), the line links the contact and says what the message
    said (its subject and summary); refused — by `read_arguments` itself or by `record_contact` (InvalidContact,
    or a DomainError when the data is in the way, say a loop of merged profiles) — it is SKIPPED with the reason.
    """
    try:
        arguments = read_arguments()
        result = record_contact(**arguments)
    except InvalidContact as invalid:
        reason = "; ".join(f"{name}: {text}" for name, text in invalid.errors)
    except DomainError as refusal:
        reason = refusal.message
    else:
        said = (arguments.get("subject") or "", arguments.get("summary") or "")
        return LogLine(
            DeliveryOutcome.RECORDED if result.created_contact else DeliveryOutcome.REPLAYED,
            source_ref=source_ref,
            sender=sender,
            detail=" — ".join(part for part in said if part),
            contact_id=result.contact_id,
        )
    return LogLine(DeliveryOutcome.SKIPPED, source_ref=source_ref, sender=sender, detail=reason)
