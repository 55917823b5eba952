"""Tables of the organization pages. Every one is paginated (LazyPaginator: no COUNT(*))."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models.functions import Lower
from django_tables2.utils import A

from organizations.models import Organization, OrganizationDomain
from profiles.identities import IdentityKind
from profiles.models import Contact, EndUser
from profiles.selectors import primary_contact_point

NUMBER = {"td": {"class": "org-num"}, "th": {"class": "org-num"}}
NOWRAP = {"td": {"class": "org-nowrap"}}


def _count(value: int) -> str:
    return f"{value:,}"


class OrganizationTable(tables.Table):
    """Sortable by name and creation only: see README, "Organizations", for why not by member count."""

    name = tables.Column(linkify=("organizations:detail", [A("pk")]))
    domain_list = tables.TemplateColumn(
        template_name="organizations/cells/domains.html", verbose_name="Domains", orderable=False, empty_values=()
    )
    tag_list = tables.TemplateColumn(
        template_name="organizations/cells/tags.html", verbose_name="Tags", orderable=False, empty_values=()
    )
    member_count = tables.Column("Members", orderable=False, empty_values=(), attrs=NUMBER)
    recent_contact_count = tables.Column("Contacts, 30 days", orderable=False, empty_values=(), attrs=NUMBER)
    created_at = tables.DateTimeColumn(verbose_name="Created", format="Y-m-d")

    class Meta:
        model = Organization
        # The numbers right after the name: on a phone the table scrolls sideways and they stay in view.
        fields = ["name", "member_count", "recent_contact_count", "domain_list", "tag_list", "created_at"]
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        order_by = "name"
        empty_text = "No organization matches. Search by part of the name, a domain like acme.com, or a tag."

    def order_name(self, queryset, is_descending):
        # The unique index on LOWER(name) serves this order, so deep pages stay cheap.
        return queryset.order_by(Lower("name").desc() if is_descending else Lower("name")), True

    def order_created_at(self, queryset, is_descending):
        return queryset.order_by(*(["-created_at", "-id"] if is_descending else ["created_at", "id"])), True

    def render_member_count(self, value: int) -> str:
        return _count(value)

    def render_recent_contact_count(self, value: int) -> str:
        return _count(value)


class MemberTable(tables.Table):
    """One organization's members (end users annotated by selectors.members_of)."""

    name = tables.Column(linkify=("profiles:detail", [A("pk")]))
    primary_email = tables.Column("Email", orderable=False, empty_values=(), attrs=NOWRAP)
    primary_phone = tables.Column("Phone", orderable=False, empty_values=(), attrs=NOWRAP)
    is_default_here = tables.TemplateColumn(
        template_name="organizations/cells/default.html",
        verbose_name="Default organization",
        order_by=("-is_default_here", "name", "id"),
    )
    member_since = tables.DateTimeColumn(verbose_name="Member since", format="Y-m-d", attrs=NOWRAP)
    actions = tables.TemplateColumn(
        template_name="organizations/cells/member_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = EndUser
        fields = ["name", "primary_email", "primary_phone", "is_default_here", "member_since", "actions"]
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        order_by = "name"
        empty_text = "No member matches. Search by name, email, phone in any format or @handle — or clear the search."

    def order_name(self, queryset, is_descending):
        return queryset.order_by(*(["-name", "-id"] if is_descending else ["name", "id"])), True

    def order_member_since(self, queryset, is_descending):
        return queryset.order_by(*(["-member_since", "-id"] if is_descending else ["member_since", "id"])), True

    def render_primary_email(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.EMAIL) or "—"

    def render_primary_phone(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.PHONE) or "—"


class ProfileSearchTable(tables.Table):
    """Profiles found on the "add members" page, each with an Add button (or a note that they are in)."""

    name = tables.Column(linkify=("profiles:detail", [A("pk")]), orderable=False)
    primary_email = tables.Column("Email", orderable=False, empty_values=())
    primary_phone = tables.Column("Phone", orderable=False, empty_values=())
    add = tables.TemplateColumn(
        template_name="organizations/cells/add_member.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = EndUser
        fields = ["name", "primary_email", "primary_phone", "add"]
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        empty_text = "No profile matches. Try an email, a phone number in any format or part of the name."

    def render_primary_email(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.EMAIL) or "—"

    def render_primary_phone(self, record: EndUser) -> str:
        return primary_contact_point(record, IdentityKind.PHONE) or "—"


class ContactTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="When", format="Y-m-d H:i", attrs=NOWRAP)
    subject = tables.Column(orderable=False, empty_values=())
    requester = tables.Column(linkify=("profiles:detail", [A("requester_id")]), orderable=False)
    channel = tables.Column(orderable=False)
    status = tables.TemplateColumn(template_name="organizations/cells/status.html", orderable=False)
    organization = tables.Column("Filed under", orderable=False, default="No organization")
    team = tables.Column("Team", accessor="route__team__name", orderable=False, default="No team")

    class Meta:
        model = Contact
        fields = ["created_at", "subject", "requester", "channel", "status", "organization", "team"]
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        order_by = "-created_at"
        empty_text = "No contacts match these filters. Choose another channel or status, or clear the filters."

    def order_created_at(self, queryset, is_descending):
        return queryset.order_by(*(["-created_at", "-id"] if is_descending else ["created_at", "id"])), True

    def render_subject(self, record: Contact) -> str:
        return record.subject or f"{record.get_channel_display()} contact #{record.pk}"


class DomainTable(tables.Table):
    domain = tables.Column(attrs={"td": {"class": "org-domain"}})
    auto_assign = tables.TemplateColumn(
        template_name="organizations/cells/auto_assign.html", verbose_name="Auto-assign", attrs=NOWRAP
    )
    created_at = tables.DateTimeColumn(verbose_name="Added", format="Y-m-d", attrs=NOWRAP)
    actions = tables.TemplateColumn(
        template_name="organizations/cells/domain_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = OrganizationDomain
        fields = ["domain", "auto_assign", "created_at", "actions"]
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        orderable = False
