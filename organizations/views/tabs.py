"""The organization page's tabs: members, contacts, report (with its CSV) and domains. Agents and admins."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from organizations.charts import STATUS_COLORS, responsive_stacked_bar_chart
from organizations.filters import ContactFilter, MemberFilter
from organizations.forms import DomainForm
from organizations.models import Organization
from organizations.reports import monthly_report, write_report_csv
from organizations.selectors import ContactScope, members_of
from organizations.tables import ContactTable, DomainTable, MemberTable
from organizations.views.base import (
    MANAGE,
    READ_CONTACTS,
    OrganizationTabMixin,
    ReadOrganizations,
    get_organization,
    page_context,
)
from zdusers.pagination import BoundedLazyPaginator

PER_PAGE = {"per_page": 25}


class MembersView(ReadOrganizations, OrganizationTabMixin, SingleTableMixin, FilterView):
    """/organizations/<id>/: the members, searchable, with remove / make default for admins."""

    tab = "members"
    table_class = MemberTable
    filterset_class = MemberFilter
    paginator_class = BoundedLazyPaginator
    table_pagination = PER_PAGE
    template_name = "organizations/members.html"

    def get_queryset(self):
        return members_of(self.organization)

    def get_table_kwargs(self):
        return {} if self.request.user.has_perm(MANAGE) else {"exclude": ["actions"]}

    def get_context_data(self, **kwargs):
        filterset = kwargs["filter"]
        searching = filterset.is_bound and any(filterset.form.data.get(name) for name in ("q", "default"))
        return super().get_context_data(searching=searching, **kwargs)


class ContactsView(ReadOrganizations, OrganizationTabMixin, SingleTableMixin, FilterView):
    """The organization's contacts (filed under it, or from its current members), by channel and status."""

    permission_required = READ_CONTACTS
    tab = "contacts"
    table_class = ContactTable
    filterset_class = ContactFilter
    paginator_class = BoundedLazyPaginator
    table_pagination = PER_PAGE
    template_name = "organizations/contacts.html"

    def get_filterset_kwargs(self, filterset_class):
        return {"data": self.request.GET or None, "request": self.request, "organization": self.organization}

    def get_table_kwargs(self):
        # Filed under this organization: the "Filed under" column would repeat its name on every row.
        return {"exclude": ["organization"]} if self.filterset.chosen_scope == ContactScope.FILED else {}

    def get_context_data(self, **kwargs):
        filterset = kwargs["filter"]
        filtered = filterset.is_bound and any(filterset.form.data.get(name) for name in ("channel", "status", "team"))
        return super().get_context_data(scope=filterset.chosen_scope, filtered=filtered, **kwargs)


class DomainsView(ReadOrganizations, OrganizationTabMixin, SingleTableMixin, TemplateView):
    """The organization's email domains, with auto-assign on/off and add/remove for admins."""

    tab = "domains"
    table_class = DomainTable
    paginator_class = BoundedLazyPaginator
    table_pagination = PER_PAGE
    template_name = "organizations/domains.html"

    def get_queryset(self):
        return self.organization.domains.order_by("domain")

    def get_table_kwargs(self):
        return {} if self.request.user.has_perm(MANAGE) else {"exclude": ["actions"]}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("domain_form", DomainForm())
        return super().get_context_data(**kwargs)

    @classmethod
    def refused(cls, request: HttpRequest, organization: Organization, domain_form: DomainForm) -> HttpResponse:
        """The tab again after `domains.add_domain` refused what was typed: the form with its errors, status 400."""
        view = cls()
        view.setup(request, pk=organization.pk)
        view.organization = organization
        return view.render_to_response(view.get_context_data(domain_form=domain_form), status=400)


class ReportScopeForm(forms.Form):
    scope = forms.ChoiceField(label="Contacts", choices=ContactScope.choices, required=False)

    def chosen(self) -> str:
        return (self.is_valid() and self.cleaned_data["scope"]) or ContactScope.FILED


@require_safe
@permission_required(READ_CONTACTS, raise_exception=True)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Contacts per month for 12 months by channel and by status: SVG charts, the numbers, a CSV link."""
    organization = get_organization(pk)
    form = ReportScopeForm(request.GET or None)
    data = monthly_report(organization, scope=form.chosen())
    context = {
        **page_context(request, organization, tab="report"),
        "scope_form": form,
        "report": data,
        "channel_chart": responsive_stacked_bar_chart("By channel", data.months, data.by_channel),
        "status_chart": responsive_stacked_bar_chart(
            "By status", data.months, [s for s in data.by_status if s.total], STATUS_COLORS
        ),
        "team_chart": responsive_stacked_bar_chart(_("By team"), data.months, data.by_team),
    }
    return render(request, "organizations/report.html", context)


@require_safe
@permission_required(READ_CONTACTS, raise_exception=True)
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization(pk)
    scope = ReportScopeForm(request.GET or None).chosen()
    data = monthly_report(organization, scope=scope)
    name = slugify(organization.name) or "organization"
    filename = f"{name}-contacts-{scope}-{timezone.localdate():%Y-%m}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_report_csv(data, response)
    return response
