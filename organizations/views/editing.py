"""Create, edit and delete organizations (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from organizations.errors import OrganizationError
from organizations.forms import OrganizationForm, show_service_error
from organizations.selectors import deletion_preview
from organizations.services.organizations import create_organization, delete_organization, update_organization
from organizations.views.base import ManageOrganizations, OrganizationMixin


class OrganizationCreateView(ManageOrganizations, FormView):
    form_class = OrganizationForm
    template_name = "organizations/form.html"

    def form_valid(self, form):
        try:
            organization = create_organization(**form.cleaned_data)
        except OrganizationError as error:
            show_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Created {organization.name}. Add its members here.")
        return redirect(organization)


class OrganizationEditView(ManageOrganizations, OrganizationMixin, FormView):
    form_class = OrganizationForm
    template_name = "organizations/form.html"

    def get_initial(self):
        organization = self.organization
        return {
            "name": organization.name,
            "domains": "\n".join(organization.domains.order_by("domain").values_list("domain", flat=True)),
            "tags": " ".join(organization.tags or []),
            "external_id": organization.external_id or "",
            "details": organization.details,
            "notes": organization.notes,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.organization, **kwargs)

    def form_valid(self, form):
        try:
            organization = update_organization(organization=self.organization, **form.cleaned_data)
        except OrganizationError as error:
            show_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {organization.name}.")
        return redirect(organization)


class OrganizationDeleteView(ManageOrganizations, OrganizationMixin, TemplateView):
    """GET: what deleting would change, and a button. POST: delete."""

    template_name = "organizations/delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organization=self.organization, preview=deletion_preview(self.organization), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            result = delete_organization(organization=self.organization)
        except OrganizationError as error:
            messages.error(request, error.message)
            return redirect("organizations:delete", pk=self.organization.pk)
        parts = [
            f"Deleted {result.name} and its {result.memberships_removed:,} membership(s); no end user was deleted."
        ]
        if result.defaults_moved:
            parts.append(f"{result.defaults_moved:,} member(s) now have their next organization as default.")
        if result.left_without_organization:
            parts.append(f"{result.left_without_organization:,} member(s) now belong to no organization.")
        if result.contacts_unfiled:
            parts.append(f"{result.contacts_unfiled:,} contact(s) keep their history, filed under no organization.")
        messages.success(request, " ".join(parts))
        return redirect(reverse("organizations:list"))
