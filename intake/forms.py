"""Forms of intake by hand: a new profile, a call or a contact logged by an agent."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from profiles.errors import InvalidIdentity
from profiles.identities import normalize_email, normalize_phone
from profiles.models import Identity
from zdusers.choice_labels import translated_choices


class CreateProfileForm(forms.Form):
    """A new profile as an agent types it: a name and the contact points the customer gave."""

    name = forms.CharField(max_length=255, label=_("Name"), help_text=_("As the customer gives it."))
    email = forms.CharField(
        max_length=254, required=False, label=_("Email"), help_text=_("The best follow-up channel: ask for it.")
    )
    phone = forms.CharField(
        max_length=64, required=False, label=_("Phone"), help_text=_("Any format; with +country code if not local.")
    )
    other_kind = forms.ChoiceField(
        required=False,
        label=_("Other contact point"),
        choices=[("", "—")] + translated_choices([c for c in Identity.Kind.choices if c[0] not in ("email", "phone")]),
    )
    other_value = forms.CharField(max_length=254, required=False, label=_("Handle or id"))
    notes = forms.CharField(required=False, label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm_new = forms.BooleanField(
        required=False, label=_("I asked, and this is a different person: create a new profile")
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("other_kind")) != bool(cleaned.get("other_value", "").strip()):
            self.add_error("other_value", _("Choose the kind and type the handle, or leave both empty."))
        return cleaned


def _checked_phone(form: forms.Form) -> str:
    """The number as typed, once it is known to be readable (the service stores it)."""
    value = form.cleaned_data.get("phone", "").strip()
    if value:
        try:
            normalize_phone(value)
        except InvalidIdentity as error:
            raise forms.ValidationError(error.message) from None
    return value


def _checked_email(form: forms.Form) -> str:
    value = form.cleaned_data.get("email", "").strip()
    if value:
        try:
            normalize_email(value)
        except InvalidIdentity as error:
            raise forms.ValidationError(error.message) from None
    return value


class _ContactFields(forms.Form):
    """What happened: the channel, when, a subject and a summary (logged by hand)."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("voice", _("Phone call")), ("walk_in", _("Walk-in")), ("other", _("Other"))],
        initial="voice",
        widget=forms.RadioSelect,
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Now, unless you log it later. Empty means now."),
    )
    subject = forms.CharField(
        max_length=255, required=False, label=_("Subject"), help_text=_("A few words, e.g. “Refund for order 1042”.")
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        label=_("Summary"),
        help_text=_("What the customer wanted and what you told them."),
        error_messages={"required": _("Write a short summary of what the customer wanted.")},
    )


class LogContactForm(_ContactFields):
    """A contact on a known profile: through one of its numbers, a number the caller gave, or in person."""

    via = forms.ChoiceField(required=False, label=_("Came through"))
    phone = forms.CharField(
        max_length=64,
        required=False,
        label=_("Or the number they called from"),
        help_text=_("Added to the profile if new."),
    )
    email = forms.CharField(
        max_length=254, required=False, label=_("Email (optional)"), help_text=_("Added to the profile.")
    )

    field_order = ["channel", "via", "phone", "occurred_at", "subject", "summary", "email"]

    def __init__(self, *args, identities: list[Identity], **kwargs):
        super().__init__(*args, **kwargs)
        self.identities = {str(identity.pk): identity for identity in identities}
        self.fields["via"].choices = [("", _("— not listed / in person —"))] + [
            (key, f"{gettext(identity.get_kind_display())}: {identity.value}")
            for key, identity in self.identities.items()
        ]

    def clean_via(self) -> Identity | None:
        return self.identities.get(self.cleaned_data.get("via") or "")

    clean_phone = _checked_phone
    clean_email = _checked_email


class LogCallForm(_ContactFields):
    """A caller who may or may not have a profile: who they are, then what happened."""

    phone = forms.CharField(
        max_length=64,
        required=False,
        label=_("Caller's number"),
        help_text=_("Any format; with +country code if not local."),
    )
    name = forms.CharField(max_length=255, required=False, label=_("Name"), help_text=_("As the caller gives it."))
    email = forms.CharField(
        max_length=254,
        required=False,
        label=_("Email (optional)"),
        help_text=_("The best follow-up channel: ask for it."),
    )
    confirm_new = forms.BooleanField(
        required=False, label=_("I asked, and this is a different person: create a new profile")
    )

    field_order = ["phone", "name", "email", "channel", "occurred_at", "subject", "summary", "confirm_new"]

    clean_phone = _checked_phone
    clean_email = _checked_email

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(key) or "").strip() for key in ("phone", "name", "email")):
            self.add_error("phone", _("Type the caller's number or name, so the call lands on the right profile."))
        return cleaned
