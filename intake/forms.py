"""Forms of intake by hand: a new profile, a call or a contact logged by an agent."""

from __future__ import annotations

from django import forms

from profiles.errors import InvalidIdentity
from profiles.identities import normalize_email, normalize_phone
from profiles.models import Identity


class CreateProfileForm(forms.Form):
    """A new profile as an agent types it: a name and the contact points the customer gave."""

    name = forms.CharField(max_length=255, help_text="As the customer gives it.")
    email = forms.CharField(max_length=254, required=False, help_text="The best follow-up channel: ask for it.")
    phone = forms.CharField(max_length=64, required=False, help_text="Any format; with +country code if not local.")
    other_kind = forms.ChoiceField(
        required=False,
        label="Other contact point",
        choices=[("", "—")] + [c for c in Identity.Kind.choices if c[0] not in ("email", "phone")],
    )
    other_value = forms.CharField(max_length=254, required=False, label="Handle or id")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_new = forms.BooleanField(
        required=False, label="I asked, and this is a different person: create a new profile"
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("other_kind")) != bool(cleaned.get("other_value", "").strip()):
            self.add_error("other_value", "Choose the kind and type the handle, or leave both empty.")
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
        choices=[("voice", "Phone call"), ("walk_in", "Walk-in"), ("other", "Other")],
        initial="voice",
        widget=forms.RadioSelect,
    )
    occurred_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Now, unless you log it later. Empty means now.",
    )
    subject = forms.CharField(max_length=255, required=False, help_text="A few words, e.g. “Refund for order 1042”.")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text="What the customer wanted and what you told them.",
        error_messages={"required": "Write a short summary of what the customer wanted."},
    )


class LogContactForm(_ContactFields):
    """A contact on a known profile: through one of its numbers, a number the caller gave, or in person."""

    via = forms.ChoiceField(required=False, label="Came through")
    phone = forms.CharField(
        max_length=64, required=False, label="Or the number they called from", help_text="Added to the profile if new."
    )
    email = forms.CharField(max_length=254, required=False, label="Email (optional)", help_text="Added to the profile.")

    field_order = ["channel", "via", "phone", "occurred_at", "subject", "summary", "email"]

    def __init__(self, *args, identities: list[Identity], **kwargs):
        super().__init__(*args, **kwargs)
        self.identities = {str(identity.pk): identity for identity in identities}
        self.fields["via"].choices = [("", "— not listed / in person —")] + [
            (key, f"{identity.get_kind_display()}: {identity.value}") for key, identity in self.identities.items()
        ]

    def clean_via(self) -> Identity | None:
        return self.identities.get(self.cleaned_data.get("via") or "")

    clean_phone = _checked_phone
    clean_email = _checked_email


class LogCallForm(_ContactFields):
    """A caller who may or may not have a profile: who they are, then what happened."""

    phone = forms.CharField(
        max_length=64, required=False, label="Caller's number", help_text="Any format; with +country code if not local."
    )
    name = forms.CharField(max_length=255, required=False, help_text="As the caller gives it.")
    email = forms.CharField(
        max_length=254, required=False, label="Email (optional)", help_text="The best follow-up channel: ask for it."
    )
    confirm_new = forms.BooleanField(
        required=False, label="I asked, and this is a different person: create a new profile"
    )

    field_order = ["phone", "name", "email", "channel", "occurred_at", "subject", "summary", "confirm_new"]

    clean_phone = _checked_phone
    clean_email = _checked_email

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(key) or "").strip() for key in ("phone", "name", "email")):
            self.add_error("phone", "Type the caller's number or name, so the call lands on the right profile.")
        return cleaned
