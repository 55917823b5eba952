"""The organization page's tabs: members, contacts, report (with its CSV) and domains. Agents and admins."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, RequestConfig, SingleTableMixin

from organizations.charts import STATUS_COLORS, responsive_stacked_bar_chart
from organizations.filters import ContactFilter, MemberFilter
from organizations.forms import DomainForm
from organizations.reports import monthly_report, write_report_csv
from organizations.selectors import ContactScope, members_of
from organizations.tables import ContactTable, DomainTable, MemberTable
from organizations.views.base import MANAGE, OrganizationMixin, OrganizationPageMixin, ReadOrganizations

PER_PAGE = {"per_page": 25}


class MembersView(ReadOrganizations, OrganizationPageMixin, SingleTableMixin, FilterView):
    """/organizations/<id>/: the members, searchable, with remove / make default for admins."""

    tab = "members"
    table_class = MemberTable
    filterset_class = MemberFilter
    paginator_class = LazyPaginator
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


class ContactsView(ReadOrganizations, OrganizationPageMixin, SingleTableMixin, FilterView):
    """The organization's contacts (filed under it, or from its current members), by channel and status."""

    permission_required = ("organizations.view_organization", "profiles.view_contact")
    tab = "contacts"
    table_class = ContactTable
    filterset_class = ContactFilter
    paginator_class = LazyPaginator
    table_pagination = PER_PAGE
    template_name = "organizations/contacts.html"

    def get_filterset_kwargs(self, filterset_class):
        return {"data": self.request.GET or None, "request": self.request, "organization": self.organization}

    def get_table_kwargs(self):
        # Filed under this organization: the "Filed under" column would repeat its name on every row.
        return {"exclude": ["organization"]} if self.filterset.chosen_scope == ContactScope.FILED else {}

    def get_context_data(self, **kwargs):
        filterset = kwargs["filter"]
        filtered = filterset.is_bound and any(filterset.form.data.get(name) for name in ("channel", "status"))
        return super().get_context_data(scope=filterset.chosen_scope, filtered=filtered, **kwargs)


class ReportScopeForm(forms.Form):
    scope = forms.ChoiceField(label="Contacts", choices=ContactScope.choices, required=False)

    def chosen(self) -> str:
        return (self.is_valid() and self.cleaned_data["scope"]) or ContactScope.FILED


class ReportView(ReadOrganizations, OrganizationPageMixin, TemplateView):
    """Contacts per month for 12 months by channel and by status: SVG charts, the numbers, a CSV link."""

    permission_required = ("organizations.view_organization", "profiles.view_contact")
    tab = "report"
    template_name = "organizations/report.html"

    def get_context_data(self, **kwargs):
        form = ReportScopeForm(self.request.GET or None)
        report = monthly_report(self.organization, scope=form.chosen())
        return super().get_context_data(
            scope_form=form,
            report=report,
            channel_chart=responsive_stacked_bar_chart("By channel", report.months, report.by_channel),
            status_chart=responsive_stacked_bar_chart(
                "By status", report.months, [s for s in report.by_status if s.total], STATUS_COLORS
            ),
            **kwargs,
        )


class ReportCsvView(ReadOrganizations, OrganizationMixin, TemplateView):
    permission_required = ("organizations.view_organization", "profiles.view_contact")

    def get(self, request, *args, **kwargs):
        scope = ReportScopeForm(request.GET or None).chosen()
        report = monthly_report(self.organization, scope=scope)
        name = slugify(self.organization.name) or "organization"
        filename = f"{name}-contacts-{scope}-{timezone.localdate():%Y-%m}.csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        write_report_csv(report, response)
        return response


class DomainsView(ReadOrganizations, OrganizationPageMixin, TemplateView):
    """The organization's email domains, with auto-assign on/off and add/remove for admins."""

    tab = "domains"
    template_name = "organizations/domains.html"

    def get_context_data(self, **kwargs):
        can_manage = self.request.user.has_perm(MANAGE)
        table = DomainTable(self.organization.domains.order_by("domain"), exclude=[] if can_manage else ["actions"])
        RequestConfig(self.request, paginate={"paginator_class": LazyPaginator, **PER_PAGE}).configure(table)
        return super().get_context_data(table=table, domain_form=kwargs.pop("domain_form", DomainForm()), **kwargs)
