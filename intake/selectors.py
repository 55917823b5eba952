"""What the channels page reads: each webhook channel's recent traffic, and the inbound log to filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, QuerySet
from django.utils import timezone

from intake.models import DeliveryOutcome, InboundDelivery, WebhookChannel

RECENT = timedelta(hours=24)


@dataclass
class ChannelSummary:
    """A channel, when it last received anything, and its log lines of the last 24 hours by outcome."""

    channel: WebhookChannel
    last_received_at: datetime | None = None
    recent: dict[str, int] = field(default_factory=dict)
    callback_url: str = ""  # the absolute URL to paste into the provider's console; the view knows the host

    @property
    def recent_problems(self) -> int:
        return self.recent.get(DeliveryOutcome.SKIPPED, 0) + self.recent.get(DeliveryOutcome.REFUSED, 0)

    def recent_counts(self) -> list[tuple[str, str, int]]:
        """(outcome, label, count) for each outcome seen in the last 24 hours, in the outcomes' order."""
        return [(value, label, self.recent[value]) for value, label in DeliveryOutcome.choices if value in self.recent]


def channel_summaries(now: datetime | None = None) -> list[ChannelSummary]:
    """Every webhook channel with its last delivery and last 24 hours' outcomes: three queries, whatever the log."""
    since = (now or timezone.now()) - RECENT
    summaries = {channel.pk: ChannelSummary(channel) for channel in WebhookChannel.objects.order_by("name", "id")}
    if not summaries:
        return []
    for row in InboundDelivery.objects.values("channel_id").annotate(last=Max("received_at")).order_by():
        summaries[row["channel_id"]].last_received_at = row["last"]
    recent = InboundDelivery.objects.filter(received_at__gte=since).values("channel_id", "outcome")
    for row in recent.annotate(lines=Count("id")).order_by():
        summaries[row["channel_id"]].recent[row["outcome"]] = row["lines"]
    return list(summaries.values())


def inbound_log() -> QuerySet[InboundDelivery]:
    """The inbound log, newest first, with each line's channel and the profile its contact landed on."""
    return (
        InboundDelivery.objects.select_related("channel")
        .annotate(requester_id=F("contact__requester_id"))
        .order_by("-id")
    )
