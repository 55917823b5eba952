"""The house list page: a django-tables2 table with one search box, paginated without COUNT(*)."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django_tables2 import LazyPaginator, SingleTableView


class SearchableTableView(PermissionRequiredMixin, SingleTableView):
    """Subclasses set `permission_required`, `table_class`, `template_name` and filter by `search_text`."""

    raise_exception = True  # signed-in staff without the permission get a 403, not a login loop
    paginator_class = LazyPaginator
    table_pagination = {"per_page": 25}

    @property
    def search_text(self) -> str:
        return self.request.GET.get("q", "").strip()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.search_text, **kwargs)
