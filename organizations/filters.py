"""Filters of the organization pages: the list, an organization's members and its contacts."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from organizations.models import Organization, Team
from organizations.selectors import ContactScope, organization_contacts, organization_search_q, tag_q
from profiles.models import Contact, ContactChannel, ContactStatus, EndUser
from profiles.selectors import enduser_search_q
from zdusers.tags import normalize_tags


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search organizations",
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, domain or tag"}),
    )
    tag = django_filters.CharFilter(label="Tag", method="filter_tag", widget=forms.HiddenInput)

    class Meta:
        model = Organization
        fields = ["q", "tag"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(organization_search_q(value)) if value.strip() else queryset

    def filter_tag(self, queryset, name, value):
        tags = normalize_tags(value)
        return queryset.filter(tag_q(tags[0])) if tags else queryset


class MemberFilter(django_filters.FilterSet):
    """Within one organization's members (the view passes `members_of(organization)` as the queryset)."""

    q = django_filters.CharFilter(
        label="Search members",
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, email, phone or @handle"}),
    )
    default = django_filters.BooleanFilter(
        label="Only members whose default organization this is",
        method="filter_default",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = EndUser
        fields = ["q", "default"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(enduser_search_q(value)) if value.strip() else queryset

    def filter_default(self, queryset, name, value):
        return queryset.filter(is_default_here=True) if value else queryset


class ContactFilter(django_filters.FilterSet):
    """An organization's contacts: `scope` picks which contacts are the organization's (see ContactScope)."""

    scope = django_filters.ChoiceFilter(
        label="Contacts", choices=ContactScope.choices, empty_label=None, method="filter_scope"
    )
    channel = django_filters.ChoiceFilter(choices=ContactChannel.choices, empty_label="Any channel")
    status = django_filters.ChoiceFilter(choices=ContactStatus.choices, empty_label="Any status")
    # The team each contact is routed to now (organizations.routing); "none": routed to no team, or never.
    team = django_filters.ChoiceFilter(empty_label="Any team", method="filter_team")

    class Meta:
        model = Contact
        fields = ["scope", "channel", "status", "team"]

    def __init__(self, data=None, *args, organization: Organization, **kwargs):
        self.organization = organization
        kwargs["queryset"] = Contact.objects.none()  # the scoped rows replace it in filter_queryset
        super().__init__(data, *args, **kwargs)
        self.filters["team"].extra["choices"] = [
            *((str(pk), name) for pk, name in Team.objects.order_by("name").values_list("pk", "name")),
            ("none", "No team"),
        ]

    def filter_team(self, queryset, name, value):
        if value == "none":
            return queryset.filter(Q(route__isnull=True) | Q(route__team__isnull=True))
        return queryset.filter(route__team_id=int(value))

    @property
    def chosen_scope(self) -> str:
        """The scope asked for, or the default (filed) when none or an unknown one was given."""
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("scope") or ContactScope.FILED
        return ContactScope.FILED

    def filter_queryset(self, queryset):
        # The scope decides the base rows, so it applies even when nothing else is filtered.
        scoped = organization_contacts(self.organization, scope=self.chosen_scope)
        return super().filter_queryset(scoped) if self.is_bound else scoped

    def filter_scope(self, queryset, name, value):
        return queryset  # already applied by filter_queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            if self.is_bound:
                self.errors  # noqa: B018 - validates the form before filtering, as django-filter does
            self._qs = self.filter_queryset(self.queryset)
        return self._qs
