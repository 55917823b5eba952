"""The merge history table: one row per MergeRecord, newest first."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from profiles.merges.selectors import membership_count, profile_names
from profiles.models import MergeRecord


def _profile_link(pk: int, name: str) -> str:
    return format_html(
        '<a href="{}">{}</a> <span class="muted nowrap">#{}</span>', reverse("profiles:detail", args=[pk]), name, pk
    )


class MergeRecordTable(tables.Table):
    merge = tables.Column(
        "Merge",
        accessor="pk",
        linkify=lambda record: reverse("profiles:merge_record", args=[record.pk]),
        attrs={"td": {"class": "nowrap"}},
    )
    created_at = tables.DateTimeColumn(verbose_name="When", format="Y-m-d H:i", attrs={"td": {"class": "nowrap"}})
    actor = tables.Column("By", empty_values=())
    survivor = tables.Column("Kept profile", empty_values=())
    merged = tables.Column("Merged away", accessor="pk", empty_values=())
    moved = tables.Column("Moved", accessor="pk", empty_values=())
    status = tables.Column("Status", accessor="pk", empty_values=())

    class Meta:
        model = MergeRecord
        fields = [
            "merge",
            "created_at",
            "actor",
            "survivor",
            "merged",
            "moved",
            "status",
        ]
        orderable = False  # a history: always newest first
        attrs = {"class": "table"}
        empty_text = "No merges match these filters."

    def before_render(self, request) -> None:
        # One query for the names of every merged-away profile on this page (tombstones keep their rows).
        if self.page is None:
            return
        ids = {int(pk) for row in self.page.object_list for pk in row.record.merged_ids}
        self._names = profile_names(list(ids))

    def render_merge(self, value: int) -> str:
        return f"#{value}"

    def render_actor(self, record: MergeRecord) -> str:
        return record.actor.username if record.actor else "—"

    def render_survivor(self, record: MergeRecord) -> str:
        return _profile_link(record.survivor_id, record.survivor.name)

    def render_merged(self, record: MergeRecord) -> str:
        names = getattr(self, "_names", {})
        return format_html_join(
            mark_safe("<br>"),
            "{}",
            ((_profile_link(int(pk), names.get(int(pk), f"Profile #{pk}")),) for pk in record.merged_ids),
        )

    def render_moved(self, record: MergeRecord) -> str:
        counts = (
            (len(record.identities), "contact point", "contact points"),
            (record.contact_count, "contact", "contacts"),
            (membership_count(record), "membership", "memberships"),
        )
        return format_html_join(
            mark_safe("<br>"),
            '<span class="nowrap">{} {}</span>',
            ((f"{count:,}", singular if count == 1 else plural) for count, singular, plural in counts),
        )

    def render_status(self, record: MergeRecord) -> str:
        if record.undone_at is None:
            return mark_safe('<span class="badge badge--accent">in effect</span>')
        return format_html(
            '<span class="badge">undone</span><br><span class="muted nowrap">{}</span>{}',
            date_format(localtime(record.undone_at), "Y-m-d H:i"),
            format_html('<br><span class="muted">by {}</span>', record.undone_by.username) if record.undone_by else "",
        )
