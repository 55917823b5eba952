"""The organization list: search by name, domain or tag; counts computed for the page's rows only."""

from __future__ import annotations

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from organizations.filters import OrganizationFilter
from organizations.selectors import RECENT_CONTACT_DAYS, attach_row_counts, organization_list
from organizations.tables import OrganizationTable
from organizations.views.base import MANAGE, ReadOrganizations
from zdusers.pagination import BoundedLazyPaginator


class OrganizationListView(ReadOrganizations, SingleTableMixin, FilterView):
    table_class = OrganizationTable
    filterset_class = OrganizationFilter
    paginator_class = BoundedLazyPaginator
    table_pagination = {"per_page": 25}
    template_name = "organizations/list.html"

    def get_queryset(self):
        return organization_list()

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        # After pagination: two grouped queries for these 25 rows, not an aggregate over every organization.
        attach_row_counts([row.record for row in table.page.object_list] if table.page else [])
        return table

    def get_context_data(self, **kwargs):
        filterset = kwargs.get("filter")
        valid = filterset is not None and filterset.is_bound and filterset.is_valid()
        data = filterset.form.cleaned_data if valid else {}
        return super().get_context_data(
            query=data.get("q", ""),
            tag=data.get("tag", ""),
            can_manage=self.request.user.has_perm(MANAGE),
            recent_days=RECENT_CONTACT_DAYS,
            **kwargs,
        )
