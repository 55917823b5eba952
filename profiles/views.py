"""End-user pages."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django_tables2 import LazyPaginator, SingleTableView

from profiles.models import EndUser
from profiles.selectors import enduser_search_q, with_primary_contact_points
from profiles.tables import EndUserTable


@method_decorator(permission_required("profiles.view_enduser", raise_exception=True), name="dispatch")
class DirectoryView(SingleTableView):
    """Live profiles, searchable by name or by any contact point, paginated without COUNT(*)."""

    table_class = EndUserTable
    template_name = "profiles/directory.html"
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        queryset = EndUser.objects.filter(merged_into__isnull=True)
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(enduser_search_q(query))
        return with_primary_contact_points(queryset).order_by("name", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.request.GET.get("q", ""), **kwargs)


@permission_required("profiles.view_enduser", raise_exception=True)
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/duplicates.html")
