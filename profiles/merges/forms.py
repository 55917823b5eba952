"""The merge page's input: which profiles, which one survives, whose value wins each field.

The page's links and its form carry the same parameters: `users` (the selected ids,
comma-separated), `survivor`, `choice_<field>` (a profile id) for each field of
MERGE_FIELDS, `default_organization` and `confirm_suspended`. The form refuses input
that was tampered with or went stale while the page was open, with the sentence the page
shows; the merge service enforces the rest (tombstones, suspended, external ids).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

from profiles.merges.selectors import MergePreview, merge_preview
from profiles.merges.services import MAX_PROFILES, MIN_PROFILES
from profiles.models import DEFAULT_ORGANIZATION, MERGE_FIELDS

NOT_AN_ID = "Each field choice must be the id of a profile (or of an organization)."


def merge_url(user_ids: list[int]) -> str:
    """The merge page for these profiles (directory and admin selections, duplicate groups)."""
    return reverse("profiles:merge") + "?users=" + ",".join(str(pk) for pk in user_ids)


class MergeForm(forms.Form):
    """Bound to the page's GET (the profiles side by side) or to its POST (the merge).

    Valid, `cleaned_data` holds `users` (the ids, ascending), `survivor` (an id among them, or None
    for the default), `field_choices` ({field or DEFAULT_ORGANIZATION: id}, as `merge()` takes them)
    and `confirm_suspended`. `preview` is the page's data, with the survivor asked for (or the
    default one when that was refused); None when the selection itself is refused.
    """

    users = forms.CharField(required=False)
    survivor = forms.CharField(required=False)
    default_organization = forms.CharField(required=False)
    confirm_suspended = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in MERGE_FIELDS:
            self.fields[f"choice_{field}"] = forms.CharField(required=False)
        self._preview: MergePreview | None = None

    @property
    def preview(self) -> MergePreview | None:
        self.is_valid()  # the preview is read while validating, once
        return self._preview

    @property
    def refusals(self) -> list[str]:
        """Every error, as the sentences the page shows, in the order they were found."""
        return [message for messages in self.errors.values() for message in messages]

    @property
    def users_param(self) -> str:
        """The `users` parameter naming the selected profiles (empty when the selection was refused)."""
        return ",".join(str(pk) for pk in self.cleaned_data.get("users", []))

    def clean_users(self) -> list[int]:
        try:
            ids = sorted({int(part) for part in self.cleaned_data["users"].split(",") if part.strip()})
        except ValueError:
            raise forms.ValidationError("The profiles to merge were not understood; select them again.") from None
        if not MIN_PROFILES <= len(ids) <= MAX_PROFILES:
            raise forms.ValidationError(f"Select between {MIN_PROFILES} and {MAX_PROFILES} profiles to merge.")
        return ids

    def clean(self) -> dict:
        cleaned = super().clean()
        ids = cleaned.get("users")
        if ids is None:  # the selection was refused: nothing else can be checked against it
            return cleaned
        raw_survivor = cleaned.get("survivor")
        survivor = _as_int(raw_survivor)
        survivor = survivor if survivor in ids else None
        self._preview = merge_preview(ids, survivor)
        if self._preview is None:
            self.add_error("users", "One of these profiles no longer exists; select them again.")
            return cleaned
        cleaned["survivor"] = survivor
        if raw_survivor and survivor is None:
            self.add_error("survivor", "Choose which of these profiles survives; nothing was merged.")
        cleaned["field_choices"] = self._field_choices(cleaned, ids)
        return cleaned

    def _field_choices(self, cleaned: dict, ids: list[int]) -> dict[str, int]:
        choices = {}
        for field in MERGE_FIELDS:
            raw = cleaned.get(f"choice_{field}")
            profile_id = _as_int(raw)
            if not raw:
                continue
            if profile_id is None:
                self.add_error(f"choice_{field}", NOT_AN_ID)
            elif profile_id not in ids:
                message = f"The value of {field} must come from one of the merged profiles, not #{profile_id}."
                self.add_error(f"choice_{field}", message)
            else:
                choices[field] = profile_id
        raw = cleaned.get(DEFAULT_ORGANIZATION)
        if raw and _as_int(raw) is None:
            self.add_error(DEFAULT_ORGANIZATION, NOT_AN_ID)
        elif raw:  # whether one of the profiles belongs to it, merge() checks on the current rows
            choices[DEFAULT_ORGANIZATION] = _as_int(raw)
        return choices


def _as_int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None
