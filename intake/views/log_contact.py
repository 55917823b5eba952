"""Logging a contact by hand: `/users/<id>/log/` from a profile, `/calls/new/` for a caller ("Log a call")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from intake.forms import LogCallForm, LogContactForm
from intake.services.manual_contacts import LoggedContact, log_contact_by_hand, log_contact_for_caller
from profiles.duplicates.lookalikes import Match, profiles_matching_new
from profiles.errors import IdentityTaken, InvalidIdentity
from profiles.identities import PHONE_KINDS, IdentityKind, normalize_phone, value_label
from profiles.models import ContactChannel, EndUser, Identity
from zdusers.errors import DomainError

ASK_FOR_EMAIL = gettext_lazy("Ask for an email: it is the best follow-up channel.")
SIMILAR_NAMES = gettext_lazy(
    "Profiles with a similar name exist. Ask: have you contacted us before? "
    "Log on the matching profile, or tick this box to create a new one."
)
# Query parameters the "Log on this profile" links carry from /calls/new/ to /users/<id>/log/.
CARRIED = ("phone", "email", "channel")


@require_http_methods(["GET", "POST"])
@permission_required("profiles.add_contact", raise_exception=True)
def log_contact(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(EndUser, pk=pk)
    if user.is_tombstone and request.method == "GET":
        survivor_url = reverse("intake:log_contact", args=[user.merged_into_id])
        messages.info(request, _("%(name)s was merged into this profile: log the contact here.") % {"name": user.name})
        query = request.GET.urlencode()
        return redirect(f"{survivor_url}?{query}" if query else survivor_url)
    identities = list(user.identities.all())
    form = LogContactForm(
        request.POST if request.method == "POST" else None,
        identities=identities,
        initial=_initial_for_profile(request, identities),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            logged = log_contact_by_hand(
                user=user,
                channel=data["channel"],
                subject=data["subject"],
                summary=data["summary"],
                occurred_at=data["occurred_at"],
                via_identity=data["via"],
                phone=data["phone"],
                email=data["email"],
                actor=request.user,
            )
        except DomainError as error:
            _refused(form, error)
        else:
            _say_logged(request, logged)
            return redirect("profiles:detail", pk=user.pk)
    context = {
        "profile": user,
        "form": form,
        "has_email": any(identity.kind == IdentityKind.EMAIL for identity in identities),
        "ask_for_email": ASK_FOR_EMAIL,
    }
    return render(request, "intake/log_contact.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required("profiles.add_contact", raise_exception=True)
def log_call(request: HttpRequest) -> HttpResponse:
    form = LogCallForm(request.POST if request.method == "POST" else None, initial=_initial(request))
    matches: list[Match] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = profiles_matching_new(name=data["name"], email=data["email"], phone=data["phone"])
        if offers_new_profile(matches) and not data["confirm_new"]:
            form.add_error("confirm_new", SIMILAR_NAMES)
        else:
            try:
                logged = log_contact_for_caller(
                    name=data["name"],
                    channel=data["channel"],
                    subject=data["subject"],
                    summary=data["summary"],
                    phone=data["phone"],
                    email=data["email"],
                    occurred_at=data["occurred_at"],
                    may_create=request.user.has_perm("profiles.add_enduser"),
                    new_person=data["confirm_new"],
                    actor=request.user,
                )
            except DomainError as error:
                _refused(form, error)
            else:
                _say_logged(request, logged)
                return redirect("profiles:detail", pk=logged.user.pk)
    carried = urlencode({key: form[key].value() or "" for key in CARRIED if form[key].value()})
    context = {
        "form": form,
        "matches": matches,
        "offer_new": offers_new_profile(matches),
        "carried": carried,
        "ask_for_email": ASK_FOR_EMAIL,
    }
    return render(request, "intake/log_contact_call.html", context, status=400 if form.errors else 200)


def offers_new_profile(matches: list[Match]) -> bool:
    """Whether "this is a different person" can apply: profiles look alike, but none holds the number or email
    typed. A contact point belongs to one profile (the database enforces it), so a caller whose number or email
    a profile holds is that profile's caller, or needs that contact point corrected, never a second profile."""
    return bool(matches) and not any(match.blocking for match in matches)


def _initial(request: HttpRequest) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial: dict = {"occurred_at": now}
    channel = request.GET.get("channel", "")
    if channel in (ContactChannel.VOICE, ContactChannel.WALK_IN, ContactChannel.OTHER):
        initial["channel"] = channel
    for key in ("phone", "email", "name"):
        if request.GET.get(key):
            initial[key] = request.GET[key][:254]
    return initial


def _initial_for_profile(request: HttpRequest, identities: list[Identity]) -> dict:
    """The number the caller gave, as one of the profile's own when it is; else its primary phone line."""
    initial = _initial(request)
    phones = [identity for identity in identities if identity.kind in PHONE_KINDS]
    typed = initial.get("phone", "")
    if typed:
        try:
            e164 = normalize_phone(typed)
        except InvalidIdentity:
            return initial  # shown as typed; the form reports it on submit
        own = next((identity for identity in phones if identity.normalized == e164), None)
        if own is not None:
            initial["via"] = str(own.pk)
            del initial["phone"]
    elif phones and initial.get("channel", ContactChannel.VOICE) == ContactChannel.VOICE:
        primary = next((i for i in phones if i.kind == IdentityKind.PHONE and i.is_primary), phones[0])
        initial["via"] = str(primary.pk)
    return initial


def _refused(form, error: DomainError) -> None:
    """Put a refusal on the field it is about; a taken contact point carries a link to its owner."""
    if isinstance(error, IdentityTaken):
        field = "email" if error.kind_value == IdentityKind.EMAIL else "phone"
        form.add_error(field, error.message)
        form.owners = {**getattr(form, "owners", {}), field: error.owner_id}
    elif isinstance(error, InvalidIdentity):
        form.add_error("email" if error.kind == "email address" else "phone", error.message)
    else:
        form.add_error(None, error.message)


def _say_logged(request: HttpRequest, logged: LoggedContact) -> None:
    what = _(logged.contact.get_channel_display()).lower()
    name = logged.user.name
    known = logged.recognised_by
    if known is not None:
        kind = value_label(known.kind)
        messages.success(
            request,
            _("%(value)s is %(name)s's %(kind)s: logged the %(what)s on their profile.")
            % {"value": known.value, "name": name, "kind": _(kind), "what": what},
        )
    elif logged.created_user:
        messages.success(
            request, _("Created %(name)s's profile and logged the %(what)s.") % {"name": name, "what": what}
        )
    else:
        messages.success(request, _("Logged the %(what)s on %(name)s's profile.") % {"name": name, "what": what})
    for identity in logged.added if not logged.created_user else ():
        messages.info(
            request,
            _("Added %(kind)s %(value)s to the profile.")
            % {"kind": _(identity.get_kind_display()).lower(), "value": identity.value},
        )
    if not logged.has_email:
        messages.warning(request, str(ASK_FOR_EMAIL))
