"""Adding and removing members, and making an organization someone's default (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import LazyPaginator, RequestConfig

from organizations.errors import OrganizationError
from organizations.forms import AddMemberForm, BulkAddForm
from organizations.models import Membership, Organization
from organizations.selectors import profiles_to_add
from organizations.services.memberships import (
    BulkOutcome,
    add_member,
    add_members_by_email,
    add_selection,
    remove_membership,
    save_membership,
)
from organizations.tables import ProfileSearchTable
from organizations.views.base import ManageOrganizations, OrganizationPageMixin, safe_next
from organizations.views.tabs import PER_PAGE
from profiles.models import EndUser
from profiles.selectors import resolve_organization_ids
from zdusers.errors import DomainError


class AddMembersView(ManageOrganizations, OrganizationPageMixin, TemplateView):
    """GET: find profiles to add one by one, and a box to paste many addresses. POST: the pasted list."""

    tab = "members"
    template_name = "organizations/members_add.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        table = None
        if query:
            table = ProfileSearchTable(profiles_to_add(self.organization, query))
            RequestConfig(self.request, paginate={"paginator_class": LazyPaginator, **PER_PAGE}).configure(table)
        kwargs.setdefault("bulk_form", BulkAddForm())
        return super().get_context_data(query=query, table=table, **kwargs)

    def post(self, request, *args, **kwargs):
        form = BulkAddForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Nothing was added: " + " ".join(form.errors["emails"]))
            return self.render_to_response(self.get_context_data(bulk_form=form), status=400)
        try:
            report = add_members_by_email(organization=self.organization, text=form.cleaned_data["emails"])
        except OrganizationError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(bulk_form=form), status=409)
        summary = ", ".join(f"{label.lower()}: {n:,}" for _, label, n in report.summary)
        level = messages.success if report.added else messages.warning
        level(
            request, f"{report.added:,} member(s) added to {self.organization.name} ({summary}). See each line below."
        )
        # Shown right away, not after a redirect: the report is the answer. Sending it again adds nobody twice.
        return self.render_to_response(
            self.get_context_data(bulk_form=BulkAddForm(), report=report, outcomes=BulkOutcome)
        )


class AddMemberView(ManageOrganizations, OrganizationPageMixin, View):
    """POST only: add one profile found by the search."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        back = safe_next(request, reverse("organizations:add_members", args=[self.organization.pk]))
        form = AddMemberForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a profile to add.")
            return redirect(back)
        user = EndUser.objects.filter(pk=form.cleaned_data["user"], merged_into__isnull=True).first()
        if user is None:
            messages.error(request, "That profile no longer exists (it may have been merged); search again.")
            return redirect(back)
        try:
            membership = add_member(
                organization=self.organization, user=user, make_default=form.cleaned_data["make_default"]
            )
        except OrganizationError as error:
            messages.error(request, error.message)
            return redirect(back)
        note = " It is their default organization." if membership.is_default else ""
        messages.success(request, f"Added {user.name} to {self.organization.name}.{note}")
        return redirect(back)


class MembershipActionView(ManageOrganizations, OrganizationPageMixin, View):
    http_method_names = ["post"]

    def membership(self) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("user"), pk=self.kwargs["membership_pk"], organization=self.organization
        )

    def back(self) -> str:
        return safe_next(self.request, reverse("organizations:detail", args=[self.organization.pk]))


class RemoveMemberView(MembershipActionView):
    def post(self, request, *args, **kwargs):
        membership = self.membership()
        successor = remove_membership(membership=membership)
        text = f"Removed {membership.user.name} from {self.organization.name}; their profile and contacts stay."
        if successor is not None:
            text += f" Their default organization is now {successor.organization.name}."
        elif membership.is_default:
            text += " They now belong to no organization."
        messages.success(request, text)
        return redirect(self.back())


class MakeDefaultView(MembershipActionView):
    def post(self, request, *args, **kwargs):
        membership = self.membership()
        save_membership(membership=membership, make_default=True)
        messages.success(
            request,
            f"{self.organization.name} is now {membership.user.name}'s default organization; "
            "their new contacts are filed under it.",
        )
        return redirect(self.back())


class AddSelectionView(ManageOrganizations, View):
    """POST from the directory's bulk bar: add the selected profiles to the organization typed by name or id."""

    def post(self, request, *args, **kwargs):
        back = safe_next(request, reverse("profiles:directory"))
        try:
            user_ids = [int(value) for value in request.POST.getlist("selected")]
        except ValueError:
            messages.error(request, "The selection was not understood; select the profiles again.")
            return redirect(back)
        try:
            organization = _organization_named(request.POST.get("organization", ""))
            added = add_selection(organization=organization, user_ids=user_ids)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{added} profile(s) added to {organization.name}.")
        return redirect(back)


def _organization_named(value: str) -> Organization:
    if not value.strip():
        raise OrganizationError("Type the organization's name or id.")
    ids = resolve_organization_ids(value)
    if len(ids) > 1:
        raise OrganizationError(f"Several organizations match {value!r}; use the id.")
    return Organization.objects.get(pk=ids[0])
