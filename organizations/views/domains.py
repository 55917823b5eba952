"""Adding and removing an organization's domains and turning auto-assignment on or off (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from organizations.errors import OrganizationError
from organizations.forms import AutoAssignForm, DomainForm, show_service_error
from organizations.models import OrganizationDomain
from organizations.selectors import auto_assign_preview
from organizations.services import domains as services
from organizations.views.base import MANAGE, get_organization, page_context
from organizations.views.tabs import DomainsView
from profiles.freemail import shared_mail_kind


@require_POST
@permission_required(MANAGE, raise_exception=True)
def add_domain(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a domain; a refusal re-shows the Domains tab with the message next to what was typed."""
    organization = get_organization(pk)
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            domain = services.add_domain(organization=organization, domain=form.cleaned_data["domain"])
        except OrganizationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                f"Added {domain.domain} to {organization.name}. Turn on auto-assign to add the people who use it.",
            )
            return redirect("organizations:domains", pk=organization.pk)
    if "domain" not in form.errors and form.errors.get("__all__"):
        form.add_error("domain", form.errors.pop("__all__"))
    messages.error(request, "The domain was not added; see the reason below.")
    return DomainsView.refused(request, organization, domain_form=form)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def remove_domain(request: HttpRequest, pk: int, domain_pk: int) -> HttpResponse:
    organization = get_organization(pk)
    domain = get_object_or_404(OrganizationDomain, pk=domain_pk, organization=organization)
    services.remove_domain(domain=domain)
    messages.success(request, f"Removed {domain.domain} from {organization.name}. Its members stay members.")
    return redirect("organizations:domains", pk=organization.pk)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def auto_assign(request: HttpRequest, pk: int, domain_pk: int) -> HttpResponse:
    """GET: turning on shows how many existing end users would join; turning off says nobody leaves. POST: do it."""
    organization = get_organization(pk)
    domain = get_object_or_404(OrganizationDomain, pk=domain_pk, organization=organization)
    if request.method == "GET":
        kind = shared_mail_kind(domain.domain)
        context = {
            **page_context(request, organization, tab="domains"),
            "domain": domain,
            "shared_kind": kind,
            "preview": None if domain.auto_assign or kind else auto_assign_preview(domain),
            "form": AutoAssignForm(),
        }
        return render(request, "organizations/auto_assign.html", context)
    form = AutoAssignForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    enable = request.POST.get("enable") == "1"
    try:
        added = services.set_auto_assign(
            domain=domain, enabled=enable, add_existing=enable and form.cleaned_data["add_existing"]
        )
    except OrganizationError as error:
        messages.error(request, error.message)
        return redirect("organizations:domains", pk=organization.pk)
    if enable:
        text = f"Auto-assign is on for {domain.domain}: new profiles with that domain join {organization.name}."
        if form.cleaned_data["add_existing"]:
            text += f" {added:,} existing end user(s) were added."
    else:
        text = f"Auto-assign is off for {domain.domain}. Nobody was removed."
    messages.success(request, text)
    return redirect("organizations:domains", pk=organization.pk)
