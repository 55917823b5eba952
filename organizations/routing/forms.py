"""Forms of routing's pages: what a person typed, checked with messages they can act on.

Forms check the shape; the services (`services.py`) enforce the rules and their refusals are put next to
the field they concern (`show_routing_error`).
"""

from __future__ import annotations

import re

from django import forms
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from organizations.routing.errors import RoutingError
from organizations.routing.models import Team
from organizations.routing.services import RuleInput, staff_users
from profiles.models import ContactChannel, ContactStatus

_SPLIT = re.compile(r"[\n;]+")
MAX_ORGANIZATIONS = 200


def show_routing_error(form: forms.Form, error: RoutingError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, widget=forms.TextInput(attrs={"autofocus": True}))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=staff_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Agents and admins; a person can be in several teams."),
    )


class RuleForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text=_("Shown on each contact it routes, e.g. “Acme and its domains”."),
    )
    team = forms.ModelChoiceField(label=_("Route to team"), queryset=Team.objects.order_by("name"))
    organizations = forms.CharField(
        label=_("Organizations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Names, one per line: the rule matches contacts filed under any of them."),
    )
    organization_tag = forms.CharField(
        label=_("Organization tag"), required=False, max_length=80, help_text=_("e.g. vip")
    )
    domain = forms.CharField(
        label=_("Domain"),
        required=False,
        max_length=253,
        help_text=_(
            "acme.com matches it and its subdomains; .mx matches every domain ending in .mx. Tested on the "
            "organization's domains and on the email address the contact came from."
        ),
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("Any channel"))])
    enduser_tag = forms.CharField(label=_("Customer tag"), required=False, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("Any channel")), *ContactChannel.choices]

    def clean_organizations(self) -> list[int]:
        names = [" ".join(part.split()) for part in _SPLIT.split(self.cleaned_data["organizations"] or "")]
        names = list(dict.fromkeys(name for name in names if name))
        if len(names) > MAX_ORGANIZATIONS:
            raise forms.ValidationError(
                _("At most %(limit)s organizations in one rule; use an organization tag for more.")
                % {"limit": MAX_ORGANIZATIONS}
            )
        found = dict(
            Organization.objects.annotate(lower=Lower("name"))
            .filter(lower__in=[name.lower() for name in names])
            .values_list("lower", "pk")
        )
        unknown = [name for name in names if name.lower() not in found]
        if unknown:
            raise forms.ValidationError(
                _("No organization is named %(names)s; check the spelling (one name per line).")
                % {"names": ", ".join(f"“{name}”" for name in unknown)}
            )
        return [found[name.lower()] for name in names]

    def rule_input(self) -> RuleInput:
        data = self.cleaned_data
        return RuleInput(
            name=data["name"],
            team_id=data["team"].pk,
            organization_ids=tuple(data["organizations"]),
            organization_tag=data["organization_tag"],
            domain=data["domain"],
            channel=data["channel"],
            enduser_tag=data["enduser_tag"],
        )


class DefaultTeamForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Default team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("No default team"),
    )


class ReassignForm(forms.Form):
    # An id checked by the service, so a team deleted meanwhile gets its own message.
    team = forms.IntegerField(label=_("Move to team"), widget=forms.Select)
    reason = forms.CharField(
        label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Kept on the timeline.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].widget.choices = [("", _("Choose a team")), *Team.objects.values_list("pk", "name")]


class TeamContactsFilter(forms.Form):
    """The filters of "My teams' contacts"; every one optional, every bad value said."""

    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    organization = forms.CharField(label=_("Organization"), required=False, max_length=255)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=24)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("My teams")), *Team.objects.values_list("pk", "name")]
        self.fields["channel"].choices = [("", _("Any channel")), *ContactChannel.choices]
        self.fields["status"].choices = [("", _("Any status")), *ContactStatus.choices]

    def clean_organization(self) -> Organization | None:
        name = " ".join((self.cleaned_data["organization"] or "").split())
        if not name:
            return None
        organization = Organization.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).first()
        if organization is None:
            raise forms.ValidationError(_("No organization is named “%(name)s”.") % {"name": name})
        return organization
