"""The inbound log table: one row per delivered item or refused request, newest first."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from intake.models import DeliveryOutcome, InboundDelivery

OUTCOME_BADGES = {
    DeliveryOutcome.RECORDED: "badge badge--accent",
    DeliveryOutcome.REPLAYED: "badge",
    DeliveryOutcome.IGNORED: "badge",
    DeliveryOutcome.SKIPPED: "badge badge--warning",
    DeliveryOutcome.REFUSED: "badge badge--danger",
}


class InboundLogTable(tables.Table):
    received_at = tables.DateTimeColumn(verbose_name=_("When"), format="m-d H:i:s", attrs={"td": {"class": "nowrap"}})
    channel = tables.Column(_("Channel"), accessor="channel__name")
    outcome = tables.Column(_("Outcome"))
    sender = tables.Column(_("From"), attrs={"td": {"class": "nowrap"}})
    detail = tables.Column(_("What or why"), empty_values=(), attrs={"td": {"class": "log-detail"}})
    source_ref = tables.Column(_("Message id"), attrs={"td": {"class": "log-ref"}})

    class Meta:
        model = InboundDelivery
        # Outcome and reason first: what a narrow screen shows before it scrolls sideways.
        fields = ["received_at", "outcome", "detail", "sender", "source_ref", "channel"]
        orderable = False  # a log: always newest first
        attrs = {"class": "table"}
        empty_text = _("No deliveries match these filters.")

    def render_outcome(self, record: InboundDelivery) -> str:
        return format_html(
            '<span class="{}">{}</span>',
            OUTCOME_BADGES.get(record.outcome, "badge"),
            gettext(record.get_outcome_display()),
        )

    def render_detail(self, record: InboundDelivery) -> str:
        if record.requester_id is None:
            return record.detail or "—"
        return format_html(
            '{} <a class="nowrap" href="{}">{} #{}</a>',
            record.detail,
            reverse("profiles:detail", args=[record.requester_id]),
            gettext("profile"),
            record.requester_id,
        )
