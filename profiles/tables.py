"""List pages of end users."""

from __future__ import annotations

import django_tables2 as tables

from profiles.identities import IdentityKind
from profiles.models import EndUser
from profiles.selectors import primary_contact_point


class EndUserTable(tables.Table):
    name = tables.Column(linkify=lambda record: f"/admin/profiles/enduser/{record.pk}/change/")
    primary_email = tables.Column("Primary email", orderable=False, empty_values=())
    primary_phone = tables.Column("Primary phone", orderable=False, empty_values=())
    source = tables.Column()
    created_at = tables.DateTimeColumn(verbose_name="Created", format="Y-m-d")

    class Meta:
        model = EndUser
        fields = ["name", "primary_email", "primary_phone", "source", "created_at"]
        attrs = {"class": "table"}
        empty_text = "No customers match. Try an email, a phone number in any format, or part of a name."

    def render_primary_email(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.EMAIL) or "—"

    def render_primary_phone(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.PHONE) or "—"
