"""Forms for organizations, domains and memberships: what a person typed, checked with messages they can act on.

Forms check the shape of the input; the services enforce the rules (unique
names and domains, free-mail refusal, one default) and their errors are shown
next to the field they concern with `show_service_error`.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from organizations.errors import (
    DomainTaken,
    ExternalIdTaken,
    OrganizationError,
    OrganizationNameTaken,
    OrganizationProblems,
)
from organizations.models import Membership, OrganizationDomain
from organizations.selectors import organization_named
from organizations.services.domains import clean_domain
from organizations.services.memberships import MAX_BULK_ENTRIES, parse_member_list
from zdusers.tags import tags_from_form
from zdusers.text import clean_name


def show_service_error(form: forms.Form, error: OrganizationError) -> None:
    """Attach each refusal of a service to the form field it is about (or to the whole form)."""
    problems = error.flat() if isinstance(error, OrganizationProblems) else [error]
    for problem in problems:
        form.add_error(problem.field if problem.field in form.fields else None, _with_link(problem))


def _with_link(error: OrganizationError):
    """The message, with a link to the organization it names when there is one."""
    if isinstance(error, OrganizationNameTaken):
        owner_id, owner_name = error.existing_id, error.existing_name
    elif isinstance(error, (DomainTaken, ExternalIdTaken)):
        owner_id, owner_name = error.owner_id, error.owner_name
    else:
        return error.message
    return format_html(
        '{} <a href="{}">Open {}</a>', error.message, reverse("organizations:detail", args=[owner_id]), owner_name
    )


class OrganizationForm(forms.Form):
    """The organization page's create and edit form."""

    name = forms.CharField(
        max_length=255,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
        help_text="Unique, ignoring case.",
    )
    domains = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "acme.com\nacme.com.br", "spellcheck": "false"}),
        help_text=(
            "Email domains the organization owns, one per line. Free-mail domains such as gmail.com can't be added. "
            "Auto-assignment is turned on per domain on the organization's Domains tab."
        ),
    )
    tags = forms.CharField(
        required=False, help_text="Words separated by spaces, e.g. enterprise vip.", widget=forms.TextInput()
    )
    external_id = forms.CharField(
        label="External id", required=False, max_length=255, help_text="The id in another system, if any."
    )
    details = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Shown to every agent."
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Internal notes.")

    def clean_domains(self) -> list[str]:
        return [line for line in self.cleaned_data.get("domains", "").replace(",", "\n").splitlines() if line.strip()]

    def clean_tags(self) -> list[str]:
        return tags_from_form(self.cleaned_data.get("tags"))


class DomainForm(forms.Form):
    domain = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "acme.com", "spellcheck": "false", "autocomplete": "off"}),
        help_text="Written any way: acme.com, @acme.com or https://acme.com/ all mean acme.com.",
    )


class AutoAssignForm(forms.Form):
    add_existing = forms.BooleanField(required=False, initial=True)


class AddMemberForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    make_default = forms.BooleanField(required=False)


class BulkAddForm(forms.Form):
    emails = forms.CharField(
        label="Email addresses",
        widget=forms.Textarea(
            attrs={"rows": 8, "spellcheck": "false", "placeholder": "ana@acme.com\nBruno Lima <bruno@acme.com>"}
        ),
        help_text=(
            f"One per line (commas and semicolons work too), up to {MAX_BULK_ENTRIES:,}. "
            "Each line is reported: added, already a member, no such profile or invalid email."
        ),
    )

    def clean_emails(self) -> str:
        text = self.cleaned_data["emails"]
        count = len(parse_member_list(text))
        if count == 0:
            raise forms.ValidationError("Paste at least one email address.")
        if count > MAX_BULK_ENTRIES:
            raise forms.ValidationError(
                f"This list has {count:,} entries; paste at most {MAX_BULK_ENTRIES:,} at a time. Nothing was added."
            )
        return text


# --- Django admin ---------------------------------------------------------------------------------------


class OrganizationAdminForm(forms.ModelForm):
    tags = forms.CharField(required=False, help_text="Words separated by spaces.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["tags"] = " ".join(self.instance.tags or [])

    def clean_name(self) -> str:
        name = clean_name(self.cleaned_data["name"])
        clash = organization_named(name, exclude_pk=self.instance.pk)
        if clash is not None:
            raise forms.ValidationError(
                f"The organization {clash.name!r} already exists (names ignore case); choose another name."
            )
        return name

    def clean_external_id(self) -> str | None:
        return (self.cleaned_data.get("external_id") or "").strip() or None

    def clean_tags(self) -> list[str]:
        return tags_from_form(self.cleaned_data.get("tags"))


class OrganizationDomainForm(forms.ModelForm):
    """A domain, normalized; free-mail domains and one owned by another organization are refused, naming it."""

    class Meta:
        model = OrganizationDomain
        fields = ["organization", "domain", "auto_assign"]

    def clean_domain(self) -> str:
        organization_id = self.instance.organization_id
        if organization_id is None and self.data.get("organization", "").isdigit():
            organization_id = int(self.data["organization"])
        try:
            return clean_domain(self.cleaned_data["domain"], organization_id=organization_id)
        except OrganizationError as error:
            raise forms.ValidationError(error.message) from None


class MembershipForm(forms.ModelForm):
    """`default` is not the model field: services.memberships.save_membership moves it safely."""

    default = forms.BooleanField(required=False, help_text="The organization new contacts are filed under.")

    class Meta:
        model = Membership
        fields = ["user", "organization", "default"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default"].initial = self.instance.is_default


class BaseMembershipFormSet(forms.BaseInlineFormSet):
    """All memberships of one user edited together: at most one marked default."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        defaults = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("default")
        ]
        if len(defaults) > 1:
            raise forms.ValidationError("Only one organization can be the default; untick the others.")
