"""List pages of organizations."""

from __future__ import annotations

import django_tables2 as tables

from organizations.models import Organization


class OrganizationTable(tables.Table):
    name = tables.Column(linkify=lambda record: f"/admin/organizations/organization/{record.pk}/change/")
    domain_list = tables.Column("Domains", orderable=False, empty_values=())
    created_at = tables.DateTimeColumn(verbose_name="Created", format="Y-m-d")

    class Meta:
        model = Organization
        fields = ["name", "domain_list", "created_at"]
        attrs = {"class": "table"}
        empty_text = "No organizations yet. Admins create them in the admin under Organizations."

    def render_domain_list(self, record: Organization) -> str:
        return ", ".join(domain.domain for domain in record.domains.all()) or "—"
