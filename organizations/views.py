"""Organization pages."""

from __future__ import annotations

from organizations.models import Organization
from organizations.tables import OrganizationTable
from zdusers.listing import SearchableTableView


class OrganizationListView(SearchableTableView):
    permission_required = "organizations.view_organization"
    table_class = OrganizationTable
    template_name = "organizations/list.html"

    def get_queryset(self):
        queryset = Organization.objects.prefetch_related("domains")
        if self.search_text:
            queryset = queryset.filter(name__icontains=self.search_text)
        return queryset.order_by("name", "id")
