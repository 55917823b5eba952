"""Forms for organizations, domains and memberships."""

from __future__ import annotations

from django import forms

from organizations.domains import normalize_domain
from organizations.errors import InvalidDomain
from organizations.models import Membership, OrganizationDomain
from zdusers.tags import normalize_tags


class OrganizationAdminForm(forms.ModelForm):
    tags = forms.CharField(required=False, help_text="Words separated by spaces.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["tags"] = " ".join(self.instance.tags or [])

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_external_id(self) -> str | None:
        return (self.cleaned_data.get("external_id") or "").strip() or None

    def clean_tags(self) -> list[str]:
        return normalize_tags(self.cleaned_data.get("tags"))


class OrganizationDomainForm(forms.ModelForm):
    """A domain, normalized; one owned by another organization is refused naming it."""

    class Meta:
        model = OrganizationDomain
        fields = ["organization", "domain", "auto_assign"]

    def clean_domain(self) -> str:
        try:
            domain = normalize_domain(self.cleaned_data["domain"])
        except InvalidDomain as error:
            raise forms.ValidationError(error.message) from None
        owner = (
            OrganizationDomain.objects.filter(domain=domain).exclude(pk=self.instance.pk).select_related("organization")
        )
        existing = owner.first()
        if existing is not None:
            raise forms.ValidationError(f"{domain} already belongs to the organization {existing.organization.name}.")
        return domain


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
