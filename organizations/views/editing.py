"""Create, edit and delete organizations (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from organizations.errors import OrganizationError
from organizations.forms import OrganizationForm, show_service_error
from organizations.models import Organization
from organizations.selectors import deletion_preview
from organizations.services.organizations import create_organization, delete_organization, update_organization
from organizations.views.base import MANAGE, get_organization


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            organization = create_organization(**form.cleaned_data)
        except OrganizationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"Created {organization.name}. Add its members here.")
            return redirect(organization)
    return render(request, "organizations/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization(pk)
    if request.method == "POST":
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                organization = update_organization(organization=organization, **form.cleaned_data)
            except OrganizationError as error:
                show_service_error(form, error)
            else:
                messages.success(request, f"Saved {organization.name}.")
                return redirect(organization)
    else:
        form = OrganizationForm(initial=_current_values(organization))
    return render(request, "organizations/form.html", {"form": form, "organization": organization})


def _current_values(organization: Organization) -> dict:
    return {
        "name": organization.name,
        "domains": "\n".join(organization.domains.order_by("domain").values_list("domain", flat=True)),
        "tags": " ".join(organization.tags or []),
        "external_id": organization.external_id or "",
        "details": organization.details,
        "notes": organization.notes,
    }


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting would change, and a button. POST: delete."""
    organization = get_organization(pk)
    if request.method == "GET":
        context = {"organization": organization, "preview": deletion_preview(organization)}
        return render(request, "organizations/delete.html", context)
    try:
        result = delete_organization(organization=organization)
    except OrganizationError as error:
        messages.error(request, error.message)
        return redirect("organizations:delete", pk=organization.pk)
    parts = [f"Deleted {result.name} and its {result.memberships_removed:,} membership(s); no end user was deleted."]
    if result.defaults_moved:
        parts.append(f"{result.defaults_moved:,} member(s) now have their next organization as default.")
    if result.left_without_organization:
        parts.append(f"{result.left_without_organization:,} member(s) now belong to no organization.")
    if result.contacts_unfiled:
        parts.append(f"{result.contacts_unfiled:,} contact(s) keep their history, filed under no organization.")
    messages.success(request, " ".join(parts))
    return redirect("organizations:list")
