"""The upload form of `/imports/new/`. What the file says is checked by the import itself, line by line."""

from __future__ import annotations

from django import forms

from imports.models import ImportKind
from imports.services.jobs import MAX_UPLOAD_BYTES


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[(ImportKind.USERS, "End users"), (ImportKind.ORGANIZATIONS, "Organizations")],
        initial=ImportKind.USERS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, comma or semicolon separated, with a header line; Zendesk's user-import columns work.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    create_organizations = forms.BooleanField(
        label="Create the organizations named in the file that do not exist yet",
        required=False,
        initial=True,
        help_text="Untick to refuse such rows instead (end-user files only).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty. The first line must be the header naming the columns.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1e6:.0f} MB; at most {MAX_UPLOAD_BYTES // 1_000_000} MB can be uploaded. "
                "Split it, or import it with `python manage.py import_users`."
            )
        return upload
