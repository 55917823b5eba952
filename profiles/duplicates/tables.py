"""The duplicates queue table: one row per candidate pair, in queue order."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from profiles.duplicates.selectors import organization_names, shown_reasons
from profiles.models import DuplicateCandidate

TOP_REASONS = 2


def score_level(score: int) -> str:
    """A word for the score's strength, used as a CSS modifier (high ≥ 85, medium ≥ 70)."""
    return "high" if score >= 85 else "medium" if score >= 70 else "low"


class DuplicateCandidateTable(tables.Table):
    score = tables.Column(_("Score"), attrs={"td": {"class": "dup-score-cell"}})
    profiles = tables.Column(_("Profiles"), accessor="pk", empty_values=())
    reasons = tables.Column(_("Why"), empty_values=())
    organizations = tables.Column(_("Organizations"), accessor="pk", empty_values=())
    created_at = tables.DateTimeColumn(verbose_name=_("Found"), format="Y-m-d")
    review = tables.Column("", accessor="pk", empty_values=(), attrs={"td": {"class": "dup-review-cell"}})

    class Meta:
        model = DuplicateCandidate
        fields = ["score", "profiles", "reasons", "organizations", "created_at", "review"]
        orderable = False  # a work queue: always strongest first, the order j/k follow on the compare page
        attrs = {"class": "table dup-table"}
        empty_text = _("No candidates match these filters.")

    def before_render(self, request) -> None:
        # One query for the organizations of every profile on this page.
        if self.page is None:
            return
        records = [row.record for row in self.page.object_list]
        self._organizations = organization_names([i for r in records for i in (r.low_id, r.high_id)])

    def render_score(self, record: DuplicateCandidate) -> str:
        return format_html(
            '<span class="dup-score dup-score--{level}" title="{title}">'
            '<span class="dup-score__bar" aria-hidden="true"><span style="width: {score}%"></span></span>'
            '<span class="dup-score__value">{score}</span></span>',
            level=score_level(record.score),
            title=gettext("Score %(score)s of 100") % {"score": record.score},
            score=record.score,
        )

    def render_profiles(self, record: DuplicateCandidate) -> str:
        return format_html_join(
            "",
            '<a class="dup-profile" href="{}">{}</a> <span class="muted">#{}</span>{}<br>',
            (
                (
                    reverse("profiles:detail", args=[user.pk]),
                    user.name,
                    user.pk,
                    format_html(' <span class="badge">{}</span>', gettext("merged away"))
                    if user.merged_into_id
                    else "",
                )
                for user in (record.low, record.high)
            ),
        )

    def render_reasons(self, record: DuplicateCandidate) -> str:
        reasons = shown_reasons(record.reasons, positive_only=True, limit=TOP_REASONS)
        if not reasons:
            return "—"
        return format_html_join("", '<span class="dup-reason">{}</span>', ((reason.text,) for reason in reasons))

    def render_organizations(self, record: DuplicateCandidate) -> str:
        organizations = getattr(self, "_organizations", {})
        names = sorted({*organizations.get(record.low_id, []), *organizations.get(record.high_id, [])})
        return ", ".join(names) or "—"

    def render_review(self, record: DuplicateCandidate) -> str:
        return format_html(
            '<a class="button button--small" href="{}">{}</a>',
            reverse("profiles:duplicate", args=[record.pk]),
            gettext("Compare"),
        )
