"""Adding and removing an organization's domains and turning auto-assignment on or off (admins)."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from organizations.errors import OrganizationError
from organizations.forms import AutoAssignForm, DomainForm, show_service_error
from organizations.models import OrganizationDomain
from organizations.selectors import auto_assign_preview
from organizations.services.domains import add_domain, remove_domain, set_auto_assign
from organizations.views.base import ManageOrganizations, OrganizationMixin, OrganizationPageMixin
from organizations.views.tabs import DomainsView
from profiles.freemail import shared_mail_kind


class AddDomainView(ManageOrganizations, DomainsView):
    """POST only: add a domain; a refusal re-shows the Domains tab with the message next to what was typed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = DomainForm(request.POST)
        if form.is_valid():
            try:
                domain = add_domain(organization=self.organization, domain=form.cleaned_data["domain"])
            except OrganizationError as error:
                show_service_error(form, error)
            else:
                messages.success(
                    request,
                    f"Added {domain.domain} to {self.organization.name}. "
                    "Turn on auto-assign to add the people who use it.",
                )
                return redirect("organizations:domains", pk=self.organization.pk)
        if "domain" not in form.errors and form.errors.get("__all__"):
            form.add_error("domain", form.errors.pop("__all__"))
        messages.error(request, "The domain was not added; see the reason below.")
        return self.render_to_response(self.get_context_data(domain_form=form), status=400)


class DomainMixin(OrganizationMixin):
    @cached_property
    def domain(self) -> OrganizationDomain:
        return get_object_or_404(OrganizationDomain, pk=self.kwargs["domain_pk"], organization=self.organization)


class RemoveDomainView(ManageOrganizations, DomainMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        domain = self.domain
        remove_domain(domain=domain)
        messages.success(request, f"Removed {domain.domain} from {self.organization.name}. Its members stay members.")
        return redirect("organizations:domains", pk=self.organization.pk)


class AutoAssignView(ManageOrganizations, DomainMixin, OrganizationPageMixin, TemplateView):
    """GET: turning on shows how many existing end users would join; turning off says nobody leaves. POST: do it."""

    tab = "domains"
    template_name = "organizations/auto_assign.html"

    def get_context_data(self, **kwargs):
        domain = self.domain
        kind = shared_mail_kind(domain.domain)
        preview = None if domain.auto_assign or kind else auto_assign_preview(domain)
        return super().get_context_data(
            domain=domain, shared_kind=kind, preview=preview, form=kwargs.pop("form", AutoAssignForm()), **kwargs
        )

    def post(self, request, *args, **kwargs):
        domain = self.domain
        form = AutoAssignForm(request.POST)
        form.is_valid()  # a checkbox: always valid
        enable = request.POST.get("enable") == "1"
        try:
            added = set_auto_assign(
                domain=domain, enabled=enable, add_existing=enable and form.cleaned_data["add_existing"]
            )
        except OrganizationError as error:
            messages.error(request, error.message)
            return redirect("organizations:domains", pk=self.organization.pk)
        if enable:
            text = (
                f"Auto-assign is on for {domain.domain}: new profiles with that domain join {self.organization.name}."
            )
            if form.cleaned_data["add_existing"]:
                text += f" {added:,} existing end user(s) were added."
        else:
            text = f"Auto-assign is off for {domain.domain}. Nobody was removed."
        messages.success(request, text)
        return redirect("organizations:domains", pk=self.organization.pk)
