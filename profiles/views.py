"""End-user pages."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from profiles.models import EndUser
from profiles.selectors import enduser_search_q, with_primary_contact_points
from profiles.tables import EndUserTable
from zdusers.listing import SearchableTableView


class DirectoryView(SearchableTableView):
    """Live profiles, searchable by name or by any contact point, paginated without COUNT(*)."""

    permission_required = "profiles.view_enduser"
    table_class = EndUserTable
    template_name = "profiles/directory.html"

    def get_queryset(self):
        queryset = EndUser.objects.filter(merged_into__isnull=True)
        if self.search_text:
            queryset = queryset.filter(enduser_search_q(self.search_text))
        return with_primary_contact_points(queryset).order_by("name", "id")


@permission_required("profiles.view_enduser", raise_exception=True)
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/duplicates.html")
