"""Adding and removing members, and making an organization someone's default (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from organizations.errors import OrganizationError
from organizations.forms import AddMemberForm, BulkAddForm
from organizations.models import Membership, Organization
from organizations.selectors import profiles_to_add
from organizations.services import memberships
from organizations.tables import ProfileSearchTable
from organizations.views.base import MANAGE, get_organization, page_context
from organizations.views.tabs import PER_PAGE
from profiles.forms import selected_profile_ids
from profiles.models import EndUser
from profiles.selectors import resolve_organization_ids
from zdusers.errors import DomainError
from zdusers.pagination import BoundedLazyPaginator
from zdusers.redirects import safe_next


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def add_members(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: find profiles to add one by one, and a box to paste many addresses. POST: the pasted list."""
    organization = get_organization(pk)
    if request.method == "GET":
        return _add_members_page(request, organization, BulkAddForm())
    form = BulkAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was added: " + " ".join(form.errors["emails"]))
        return _add_members_page(request, organization, form, status=400)
    try:
        report = memberships.add_members_by_email(organization=organization, text=form.cleaned_data["emails"])
    except OrganizationError as error:
        messages.error(request, error.message)
        return _add_members_page(request, organization, form, status=409)
    summary = ", ".join(f"{label.lower()}: {n:,}" for _, label, n in report.summary)
    level = messages.success if report.added else messages.warning
    level(request, f"{report.added:,} member(s) added to {organization.name} ({summary}). See each line below.")
    # Shown right away, not after a redirect: the report is the answer. Sending it again adds nobody twice.
    return _add_members_page(request, organization, BulkAddForm(), report=report, outcomes=memberships.BulkOutcome)


def _add_members_page(
    request: HttpRequest, organization: Organization, bulk_form: BulkAddForm, *, status: int = 200, **extra
) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    table = None
    if query:
        table = ProfileSearchTable(profiles_to_add(organization, query))
        RequestConfig(request, paginate={"paginator_class": BoundedLazyPaginator, **PER_PAGE}).configure(table)
    context = {
        **page_context(request, organization, tab="members"),
        "query": query,
        "table": table,
        "bulk_form": bulk_form,
        **extra,
    }
    return render(request, "organizations/members_add.html", context, status=status)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one profile found by the search."""
    organization = get_organization(pk)
    back = safe_next(request, reverse("organizations:add_members", args=[organization.pk]))
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a profile to add.")
        return redirect(back)
    user = EndUser.objects.filter(pk=form.cleaned_data["user"], merged_into__isnull=True).first()
    if user is None:
        messages.error(request, "That profile no longer exists (it may have been merged); search again.")
        return redirect(back)
    try:
        membership = memberships.add_member(
            organization=organization, user=user, make_default=form.cleaned_data["make_default"]
        )
    except OrganizationError as error:
        messages.error(request, error.message)
        return redirect(back)
    note = " It is their default organization." if membership.is_default else ""
    messages.success(request, f"Added {user.name} to {organization.name}.{note}")
    return redirect(back)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def remove_member(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organization = get_organization(pk)
    membership = _membership(organization, membership_pk)
    successor = memberships.remove_membership(membership=membership)
    text = f"Removed {membership.user.name} from {organization.name}; their profile and contacts stay."
    if successor is not None:
        text += f" Their default organization is now {successor.organization.name}."
    elif membership.is_default:
        text += " They now belong to no organization."
    messages.success(request, text)
    return redirect(safe_next(request, organization.get_absolute_url()))


@require_POST
@permission_required(MANAGE, raise_exception=True)
def make_default(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organization = get_organization(pk)
    membership = _membership(organization, membership_pk)
    memberships.save_membership(membership=membership, make_default=True)
    messages.success(
        request,
        f"{organization.name} is now {membership.user.name}'s default organization; "
        "their new contacts are filed under it.",
    )
    return redirect(safe_next(request, organization.get_absolute_url()))


def _membership(organization: Organization, membership_pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), pk=membership_pk, organization=organization)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def add_selection(request: HttpRequest) -> HttpResponse:
    """From the directory's bulk bar: add the selected profiles to the organization typed by name or id."""
    back = safe_next(request, reverse("profiles:directory"))
    try:
        user_ids = selected_profile_ids(request.POST)
        organization = _organization_named(request.POST.get("organization", ""))
        added = memberships.add_selection(organization=organization, user_ids=user_ids)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        # "Girassol Ltda." ends its own sentence.
        messages.success(request, f"{added} profile(s) added to {organization.name.rstrip('.')}.")
    return redirect(back)


def _organization_named(value: str) -> Organization:
    if not value.strip():
        raise OrganizationError("Type the organization's name or id.")
    ids = resolve_organization_ids(value)
    if len(ids) > 1:
        raise OrganizationError(f"Several organizations match {value!r}; use the id.")
    return Organization.objects.get(pk=ids[0])
