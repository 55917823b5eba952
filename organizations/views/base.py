"""What every organization page shares, whichever its style: the permissions, the organization, its header."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from organizations.models import Organization
from organizations.selectors import organization_summary

READ = "organizations.view_organization"
MANAGE = "organizations.manage_organizations"
READ_CONTACTS = (READ, "profiles.view_contact")


def get_organization(pk: int) -> Organization:
    """The organization in the URL, or 404."""
    return get_object_or_404(Organization, pk=pk)


def page_context(request: HttpRequest, organization: Organization, *, tab: str) -> dict:
    """The organization page's header and tabs: its numbers and domains, the open tab, the admins' buttons."""
    return {
        "organization": organization,
        "summary": organization_summary(organization),
        "tab": tab,
        "can_manage": request.user.has_perm(MANAGE),
    }


class ReadOrganizations(PermissionRequiredMixin):
    """Agents and admins. Signed-in staff without the permission get a 403, not a login loop."""

    permission_required = READ
    raise_exception = True


class OrganizationTabMixin:
    """A list tab of the organization page (404 when there is no such organization), under its header."""

    tab = ""

    @cached_property
    def organization(self) -> Organization:
        return get_organization(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**page_context(self.request, self.organization, tab=self.tab), **kwargs)
