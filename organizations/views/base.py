"""What every organization page shares: the permission checks and the organization's header."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from organizations.models import Organization
from organizations.selectors import organization_summary

READ = "organizations.view_organization"
MANAGE = "organizations.manage_organizations"


class ReadOrganizations(PermissionRequiredMixin):
    """Agents and admins. Signed-in staff without the permission get a 403, not a login loop."""

    permission_required = READ
    raise_exception = True


class ManageOrganizations(PermissionRequiredMixin):
    """Admins only: every write."""

    permission_required = MANAGE
    raise_exception = True


class OrganizationMixin:
    """A page or action about the organization in the URL (404 when there is none)."""

    @cached_property
    def organization(self) -> Organization:
        return get_object_or_404(Organization, pk=self.kwargs["pk"])


class OrganizationPageMixin(OrganizationMixin):
    """A tab of the organization page: the header with its numbers, domains and the tabs."""

    tab = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organization=self.organization,
            summary=organization_summary(self.organization),
            tab=self.tab,
            can_manage=self.request.user.has_perm(MANAGE),
            **kwargs,
        )


def safe_next(request, fallback: str) -> str:
    """The `next` URL the form carried when it points back into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback
