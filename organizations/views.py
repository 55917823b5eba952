"""Organization pages."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.utils.decorators import method_decorator
from django_tables2 import LazyPaginator, SingleTableView

from organizations.models import Organization
from organizations.tables import OrganizationTable


@method_decorator(permission_required("organizations.view_organization", raise_exception=True), name="dispatch")
class OrganizationListView(SingleTableView):
    table_class = OrganizationTable
    template_name = "organizations/list.html"
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        queryset = Organization.objects.prefetch_related("domains")
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(name__icontains=query)
        return queryset.order_by("name", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.request.GET.get("q", ""), **kwargs)
