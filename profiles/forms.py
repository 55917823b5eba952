"""Forms for end users and identities: what a person typed, validated with messages they can act on."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from profiles.errors import InvalidIdentity, ProfileError, ProfileMergedAway, taken_label
from profiles.identities import normalize
from profiles.models import EndUser, Identity
from profiles.selectors import identity_owner
from zdusers.choice_labels import translated_choices
from zdusers.tags import tags_from_form
from zdusers.text import clean_name


class IdentityForm(forms.ModelForm):
    """One contact point. Normalizes the value and refuses one another profile owns, naming it.

    `primary` is not the model field: saving goes through services.identities.save_identity,
    which demotes the previous primary so two rows never hold it at once.
    """

    primary = forms.BooleanField(required=False, help_text="The address or number we reply to first.")

    class Meta:
        model = Identity
        fields = ["kind", "value", "primary", "verified"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary"].initial = self.instance.is_primary

    def clean(self):
        cleaned = super().clean()
        owner_profile = cleaned.get("user")  # the admin's own identity form asks which profile it belongs to
        if owner_profile is not None and owner_profile.is_tombstone:
            self.add_error("user", ProfileMergedAway(owner_profile.pk, owner_profile.merged_into_id).message)
            return cleaned
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if not kind or not value:
            return cleaned
        try:
            normalized = normalize(kind, value)
        except InvalidIdentity as error:
            self.add_error("value", error.message)
            return cleaned
        owner = identity_owner(kind=kind, normalized=normalized, exclude_identity_id=self.instance.pk)
        if owner is not None:
            self.add_error("value", self.owner_message(owner, kind, normalized))
            return cleaned
        self.instance.normalized = normalized
        cleaned["value"] = value.strip()
        return cleaned

    def owner_message(self, owner: EndUser, kind: str, normalized: str):
        link = reverse("admin:profiles_enduser_change", args=[owner.pk])
        return format_html(
            'The {} {} already belongs to <a href="{}">{} (#{})</a>. Add it there, or merge the two profiles.',
            taken_label(Identity.Kind(kind).label, kind),
            normalized,
            link,
            owner.name,
            owner.pk,
        )


class BaseIdentityFormSet(forms.BaseInlineFormSet):
    """All identities of one profile edited together: no key twice, one primary per kind."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen: dict[tuple[str, str], str] = {}
        primaries: dict[str, int] = {}
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            kind = form.cleaned_data["kind"]
            key = (kind, form.instance.normalized)
            if key in seen:
                raise forms.ValidationError(
                    f"{form.cleaned_data['value']!r} and {seen[key]!r} are the same {Identity.Kind(kind).label}; "
                    "keep one of them."
                )
            seen[key] = form.cleaned_data["value"]
            if form.cleaned_data.get("primary"):
                primaries[kind] = primaries.get(kind, 0) + 1
        for kind, count in primaries.items():
            if count > 1:
                raise forms.ValidationError(f"Only one {Identity.Kind(kind).label} can be primary; untick the others.")


class EndUserAdminForm(forms.ModelForm):
    """The profile's own fields; tags are typed as words separated by spaces, stored normalized."""

    tags = forms.CharField(required=False, help_text="Words separated by spaces, e.g. vip billing.")

    class Meta:
        model = EndUser
        fields = ["name", "external_id", "locale", "time_zone", "details", "notes", "tags", "source", "suspended"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["tags"] = " ".join(self.instance.tags or [])

    def clean_name(self) -> str:
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("A profile needs a name; use the email or phone if you don't know it.")
        return name

    def clean_external_id(self) -> str | None:
        return (self.cleaned_data.get("external_id") or "").strip() or None

    def clean_tags(self) -> list[str]:
        return tags_from_form(self.cleaned_data.get("tags"))


class ProfileEditForm(forms.Form):
    """The profile's own fields as agents edit them on the profile page."""

    name = forms.CharField(max_length=255)
    external_id = forms.CharField(max_length=255, required=False, label="External id")
    locale = forms.CharField(max_length=16, required=False, help_text="e.g. pt-BR, es-MX")
    time_zone = forms.ChoiceField(required=False, choices=[])
    tags = forms.CharField(required=False, help_text="Words separated by spaces, e.g. vip billing.")
    details = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", "—")] + [(zone, zone) for zone in sorted(available_timezones())]

    def clean_tags(self) -> list[str]:
        return tags_from_form(self.cleaned_data.get("tags"))

    @classmethod
    def for_profile(cls, user: EndUser, data=None) -> ProfileEditForm:
        initial = {field: getattr(user, field) for field in ("name", "locale", "time_zone", "details", "notes")}
        initial.update(external_id=user.external_id or "", tags=" ".join(user.tags))
        return cls(data=data, initial=initial)


class AddIdentityForm(forms.Form):
    """A new contact point for a profile; validation of ownership happens in the service."""

    kind = forms.ChoiceField(label=_("Kind"), choices=translated_choices(Identity.Kind), initial=Identity.Kind.EMAIL)
    value = forms.CharField(max_length=254, label=_("Address, number or handle"))
    primary = forms.BooleanField(required=False, label=_("Make it the primary one"))


class EditIdentityForm(forms.Form):
    value = forms.CharField(max_length=254, label="Address, number or handle")
    verified = forms.BooleanField(required=False)


def selected_profile_ids(data) -> list[int]:
    """The profile ids a list page's checkboxes (`selected`) posted; ProfileError when one is not an id."""
    try:
        return [int(value) for value in data.getlist("selected")]
    except ValueError:
        raise ProfileError("The selection was not understood; select the profiles again.") from None
