"""The profile page `/users/<id>/` and the edits made from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profiles.errors import IdentityTaken, ProfileMergedAway
from profiles.forms import AddIdentityForm, EditIdentityForm, ProfileEditForm
from profiles.models import EndUser, Identity
from profiles.selectors_profile import profile_page
from profiles.services.identities import add_identity, remove_identity, save_identity, update_identity
from profiles.services.profiles import update_profile
from zdusers.errors import DomainError


@permission_required("profiles.view_enduser", raise_exception=True)
def detail(request: HttpRequest, pk: int, add_form: AddIdentityForm | None = None, status: int = 200) -> HttpResponse:
    user = get_object_or_404(EndUser, pk=pk)
    page = profile_page(user, contacts_page=request.GET.get("page", 1))
    context = {"page": page, "profile": user, "add_form": add_form or AddIdentityForm()}
    return render(request, "profiles/detail.html", context, status=status)


@permission_required("profiles.change_enduser", raise_exception=True)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(EndUser, pk=pk)
    if request.method == "POST":
        form = ProfileEditForm.for_profile(user, data=request.POST)
        if form.is_valid():
            try:
                update_profile(user=user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("profiles:detail", pk=user.pk)
    else:
        form = ProfileEditForm.for_profile(user)
    return render(request, "profiles/edit.html", {"profile": user, "form": form})


@require_POST
@permission_required("profiles.add_identity", raise_exception=True)
def identity_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(EndUser, pk=pk)
    form = AddIdentityForm(request.POST)
    if form.is_valid():
        try:
            identity = add_identity(
                user=user,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
                primary=form.cleaned_data["primary"],
            )
        except IdentityTaken as taken:
            form.add_error("value", taken.message)
            form.owner_id = taken.owner_id
        except ProfileMergedAway as merged_away:  # a tombstone's page has no form to show the error in
            messages.error(request, merged_away.message)
            return redirect("profiles:detail", pk=user.pk)
        except DomainError as error:
            form.add_error("value", error.message)
        else:
            messages.success(
                request,
                _("Added %(kind)s %(value)s.")
                % {"kind": _(identity.get_kind_display()).lower(), "value": identity.value},
            )
            return redirect("profiles:detail", pk=user.pk)
    return detail(request, pk, add_form=form, status=400)


@permission_required("profiles.change_identity", raise_exception=True)
def identity_edit(request: HttpRequest, pk: int, identity_pk: int) -> HttpResponse:
    identity = get_object_or_404(Identity.objects.select_related("user"), pk=identity_pk, user_id=pk)
    form = EditIdentityForm(request.POST or None, initial={"value": identity.value, "verified": identity.verified})
    owner_id = None
    if request.method == "POST" and form.is_valid():
        try:
            update_identity(identity=identity, value=form.cleaned_data["value"], verified=form.cleaned_data["verified"])
        except IdentityTaken as taken:
            form.add_error("value", taken.message)
            owner_id = taken.owner_id
        except DomainError as error:  # not valid, or the profile was merged away
            form.add_error("value", error.message)
        else:
            messages.success(request, _("Contact point saved."))
            return redirect("profiles:detail", pk=pk)
    context = {"profile": identity.user, "identity": identity, "form": form, "owner_id": owner_id}
    return render(request, "profiles/identity_edit.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("profiles.delete_identity", raise_exception=True)
def identity_remove(request: HttpRequest, pk: int, identity_pk: int) -> HttpResponse:
    identity = get_object_or_404(Identity, pk=identity_pk, user_id=pk)
    try:
        remove_identity(identity=identity)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("profiles:detail", pk=pk)
    messages.success(
        request, _("Removed %(value)s. Contacts that came through it stay on the profile.") % {"value": identity.value}
    )
    return redirect("profiles:detail", pk=pk)


@require_POST
@permission_required("profiles.change_identity", raise_exception=True)
def identity_make_primary(request: HttpRequest, pk: int, identity_pk: int) -> HttpResponse:
    identity = get_object_or_404(Identity, pk=identity_pk, user_id=pk)
    try:
        save_identity(identity=identity, make_primary=True)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("profiles:detail", pk=pk)
    messages.success(
        request,
        _("%(value)s is now the primary %(kind)s.")
        % {"value": identity.value, "kind": _(identity.get_kind_display()).lower()},
    )
    return redirect("profiles:detail", pk=pk)
