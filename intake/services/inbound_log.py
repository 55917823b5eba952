"""The inbound log: one line per item a provider delivered, and per request refused, for each webhook channel.

Written by the webhooks in the request that received the delivery (one INSERT for a whole notification), read by
the channels page. Only the latest KEPT_PER_CHANNEL lines of a channel are kept: a busy channel is trimmed now and
then, when the log's ids cross a multiple of TRIM_EVERY, so that no request pays for it more than once in a while.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intake.models import DeliveryOutcome, InboundDelivery, WebhookChannel

KEPT_PER_CHANNEL = 1000
TRIM_EVERY = 100


@dataclass(frozen=True)
class LogLine:
    """What became of one delivered item: its outcome, the provider's id and sender, why, and the contact made."""

    outcome: DeliveryOutcome
    source_ref: str = ""
    sender: str = ""
    detail: str = ""
    contact_id: int | None = None


def log_deliveries(channel: WebhookChannel, lines: Iterable[LogLine]) -> None:
    """Append `lines` to the channel's inbound log (one INSERT), trimming its oldest lines now and then."""
    rows = [
        InboundDelivery(
            channel=channel,
            outcome=line.outcome,
            source_ref=_fit(line.source_ref, "source_ref"),
            sender=_fit(line.sender, "sender"),
            detail=_fit(line.detail, "detail"),
            contact_id=line.contact_id,
        )
        for line in lines
    ]
    if not rows:
        return
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one INSERT; bulk_create would add a BEGIN and a COMMIT round trip
    else:
        InboundDelivery.objects.bulk_create(rows)
    first, last = rows[0].pk, rows[-1].pk
    if first is not None and last is not None and (first - 1) // TRIM_EVERY != last // TRIM_EVERY:
        trim(channel)


def log_refusal(channel: WebhookChannel, reason: str) -> None:
    """Log a request refused before its payload was read (bad signature, too large, not JSON)."""
    log_deliveries(channel, [LogLine(outcome=DeliveryOutcome.REFUSED, detail=reason)])


def trim(channel: WebhookChannel, keep: int | None = None) -> int:
    """Delete the channel's log lines older than its latest `keep` (KEPT_PER_CHANNEL); returns how many went."""
    keep = KEPT_PER_CHANNEL if keep is None else keep
    oldest_kept = (
        InboundDelivery.objects.filter(channel=channel).order_by("-id").values_list("id", flat=True)[keep - 1 : keep]
    )
    cutoff = list(oldest_kept)
    if not cutoff:
        return 0
    deleted, _ = InboundDelivery.objects.filter(channel=channel, id__lt=cutoff[0]).delete()
    return deleted


def _fit(text: str, field: str) -> str:
    """Make a text storable in its column: NUL characters (which PostgreSQL refuses) shown as \\0, and a
    provider's long value shortened; a log line never fails the delivery it describes."""
    text = text.replace("\x00", "\\0")
    limit = InboundDelivery._meta.get_field(field).max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"
