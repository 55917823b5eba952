"""Creating a profile with match-on-create: existing customers are shown before a duplicate exists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from intake.forms import CreateProfileForm
from intake.services.new_profiles import NewIdentity, create_profile
from intake.views.log_contact import offers_new_profile
from profiles.duplicates.lookalikes import Match, profiles_matching_new
from profiles.errors import IdentityTaken, InvalidIdentity
from profiles.identities import IdentityKind
from zdusers.errors import DomainError

# Which form field a refused identity belongs to.
_FIELD_OF_KIND = {IdentityKind.EMAIL: "email", IdentityKind.PHONE: "phone"}


@permission_required("profiles.add_enduser", raise_exception=True)
def create(request: HttpRequest) -> HttpResponse:
    form = CreateProfileForm(request.POST or None)
    matches: list[Match] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = profiles_matching_new(name=data["name"], email=data["email"], phone=data["phone"])
        if offers_new_profile(matches) and not data["confirm_new"]:
            form.add_error(
                "confirm_new",
                _(
                    "Profiles with a similar name exist. Ask: have you contacted us before? "
                    "Open the matching profile, or tick this box to create a new one."
                ),
            )
        else:
            user = _create(form, data)
            if user is not None:
                messages.success(request, _("Created %(name)s.") % {"name": user.name})
                if not data["email"]:
                    messages.warning(request, _("No email yet: email is the best follow-up channel, ask for one."))
                return redirect("profiles:detail", pk=user.pk)
    context = {"form": form, "matches": matches, "offer_new": offers_new_profile(matches)}
    return render(request, "intake/create.html", context, status=400 if form.errors else 200)


def _create(form: CreateProfileForm, data: dict):
    identities = [NewIdentity(IdentityKind.EMAIL, data["email"])] if data["email"].strip() else []
    if data["phone"].strip():
        identities.append(NewIdentity(IdentityKind.PHONE, data["phone"]))
    if data["other_kind"]:
        identities.append(NewIdentity(data["other_kind"], data["other_value"]))
    try:
        return create_profile(name=data["name"], identities=identities, notes=data["notes"], one_profile_per_line=True)
    except IdentityTaken as taken:
        # A contact point belongs to one profile: the way on is that profile, linked as on "Log a call".
        owner_url = reverse("profiles:detail", args=[taken.owner_id])
        refusal = format_html('{} <a href="{}">Open that profile</a>', taken.message, owner_url)
        form.add_error(_FIELD_OF_KIND.get(taken.kind_value, "other_value"), refusal)
    except InvalidIdentity as error:
        field = {"email address": "email", "phone number": "phone"}.get(error.kind, "other_value")
        form.add_error(field, error.message)
    except DomainError as error:
        form.add_error(None, error.message)
    return None


@permission_required("profiles.view_enduser", raise_exception=True)
def match(request: HttpRequest) -> JsonResponse:
    """Profiles a new profile would duplicate, for the create form's live panel (GET name, email, phone)."""
    found = profiles_matching_new(
        name=request.GET.get("name", "")[:255],
        email=request.GET.get("email", "")[:254],
        phone=request.GET.get("phone", "")[:64],
    )
    return JsonResponse(
        {
            "matches": [
                {
                    "id": m.user.pk,
                    "name": m.user.name,
                    "url": reverse("profiles:detail", args=[m.user.pk]),
                    "reasons": m.reasons,
                    "blocking": m.blocking,
                }
                for m in found
            ]
        }
    )
