"""The directory `/users/`: search, filters, bulk actions and CSV export of the selection."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from profiles.filters import DirectoryFilter
from profiles.forms import selected_profile_ids
from profiles.merges.forms import merge_url
from profiles.search import ParsedQuery, SearchSyntaxError, parse_query
from profiles.selectors import (
    DirectHit,
    direct_hit,
    directory_queryset,
    with_directory_columns,
)
from profiles.services import bulk
from profiles.tables import EndUserTable
from zdusers.errors import DomainError
from zdusers.pagination import BoundedLazyPaginator
from zdusers.redirects import safe_next

FILTER_PARAMS = (
    "org",
    "kind",
    "has_email",
    "source",
    "tag",
    "created_after",
    "created_before",
    "suspended",
    "duplicates",
)


class DirectoryView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """Live profiles by query and filters, sorted by name or creation, paginated without COUNT(*)."""

    permission_required = "profiles.view_enduser"
    raise_exception = True
    table_class = EndUserTable
    filterset_class = DirectoryFilter
    template_name = "profiles/directory.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = {"per_page": 25}

    def get(self, request, *args, **kwargs):
        self.search_text = request.GET.get("q", "").strip()
        self.search_error = None
        try:
            self.parsed = parse_query(self.search_text)
        except SearchSyntaxError as error:
            self.search_error, self.parsed = error.message, ParsedQuery()
        if self.search_error is None and not any(request.GET.get(p) for p in (*FILTER_PARAMS, "page", "sort")):
            hit = direct_hit(self.parsed)
            if hit is not None:
                return self._jump_to(hit)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.search_error:
            return directory_queryset(ParsedQuery()).none()
        try:
            queryset = directory_queryset(self.parsed, include_merged=self.request.GET.get("merged") == "include")
        except SearchSyntaxError as error:
            self.search_error = error.message
            return directory_queryset(ParsedQuery()).none()
        return with_directory_columns(queryset).order_by("name", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query_string = self.request.GET.copy()
        query_string.pop("page", None)
        context.update(
            query=self.search_text,
            search_error=self.search_error,
            export_query=query_string.urlencode(),
            filters_active=any(self.request.GET.get(p) for p in FILTER_PARAMS),
            can_manage_organizations=self.request.user.has_perm("organizations.manage_organizations"),
        )
        return context

    def _jump_to(self, hit: DirectHit):
        if hit.merged_away is not None:
            said = {
                "query": self.search_text,
                "old": hit.merged_away.name,
                "old_id": hit.merged_away.pk,
                "name": hit.profile.name,
            }
            if hit.merged_at:
                said["date"] = f"{timezone.localtime(hit.merged_at):%Y-%m-%d}"
                text = _("%(query)s belonged to %(old)s (#%(old_id)s), which was merged into %(name)s on %(date)s.")
            else:
                text = _("%(query)s belonged to %(old)s (#%(old_id)s), which was merged into %(name)s.")
            messages.info(self.request, text % said)
        return redirect("profiles:detail", pk=hit.profile.pk)


@require_POST
@permission_required("profiles.change_enduser", raise_exception=True)
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Apply one action to the rows selected on a directory page, then go back to that page."""
    action = request.POST.get("action")
    if action == "add_to_organization":
        # Memberships are the organizations app's to write (it sits above profiles): its view takes
        # the same POST, which a 307 redirect hands on unchanged, selection and CSRF token included.
        return HttpResponseRedirect(reverse("organizations:add_selection"), status=307)
    back = safe_next(request, reverse("profiles:directory"))
    try:
        user_ids = selected_profile_ids(request.POST)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    if action == "merge":
        if not request.user.has_perm("profiles.merge_enduser"):
            raise PermissionDenied("Merging profiles needs the permission to merge end users.")
        return redirect(merge_url(user_ids))
    try:
        if action == "add_tag":
            changed = bulk.add_tag(user_ids=user_ids, tag=request.POST.get("tag", ""))
            messages.success(
                request,
                ngettext("Tag added to %(count)d profile(s).", "Tag added to %(count)d profile(s).", changed)
                % {"count": changed},
            )
        elif action == "remove_tag":
            changed = bulk.remove_tag(user_ids=user_ids, tag=request.POST.get("tag", ""))
            messages.success(
                request,
                ngettext("Tag removed from %(count)d profile(s).", "Tag removed from %(count)d profile(s).", changed)
                % {"count": changed},
            )
        else:
            messages.error(request, _("Choose an action."))
    except (DomainError, SearchSyntaxError) as error:
        messages.error(request, error.message)
    return redirect(back)
