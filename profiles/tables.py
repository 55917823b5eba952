"""List pages of end users."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from profiles.identities import IdentityKind
from profiles.models import EndUser
from profiles.selectors import contact_counts, primary_contact_point


class SelectRowColumn(tables.CheckBoxColumn):
    """A row checkbox named after its profile for screen readers, rendered in one step (it is on every row)."""

    def render(self, value, bound_column, record):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" aria-label="{}">',
            bound_column.name,
            value,
            gettext("Select %(name)s") % {"name": record.name},
        )


class EndUserTable(tables.Table):
    """The directory: one row per profile; per-page extras come from selectors.with_directory_columns."""

    selected = SelectRowColumn(
        accessor="pk", attrs={"th__input": {"aria-label": _("Select all on this page"), "data-select-all": ""}}
    )
    name = tables.Column(
        _("Name"), linkify=lambda record: reverse("profiles:detail", args=[record.pk]), order_by=("name", "id")
    )
    primary_email = tables.Column(_("Primary email"), orderable=False, empty_values=())
    primary_phone = tables.Column(_("Primary phone"), orderable=False, empty_values=())
    default_organization = tables.Column(_("Organization"), orderable=False, empty_values=())
    contacts = tables.Column(
        _("Contacts"), orderable=False, empty_values=(), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    created_at = tables.DateTimeColumn(verbose_name=_("Created"), format="Y-m-d", order_by=("created_at", "id"))

    class Meta:
        model = EndUser
        fields = [
            "selected",
            "name",
            "primary_email",
            "primary_phone",
            "default_organization",
            "contacts",
            "created_at",
        ]
        attrs = {"class": "table"}
        empty_text = _("No customers match. Try an email, a phone number in any format, @handle, or part of a name.")

    def before_render(self, request) -> None:
        # One grouped query for the contact counts of the rows on this page only.
        if self.page is None:
            return
        records = [row.record for row in self.page.object_list]
        counts = contact_counts([record.pk for record in records])
        for record in records:
            record.contact_count = counts.get(record.pk, 0)

    def render_primary_email(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.EMAIL) or "—"

    def render_primary_phone(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.PHONE) or "—"

    def render_default_organization(self, record: EndUser) -> str:
        return record.default_memberships[0].organization.name if record.default_memberships else "—"

    def render_contacts(self, record: EndUser) -> int:
        return getattr(record, "contact_count", 0)
