"""The Django admin for teams and rules, writing through the routing services (never around them).

Imported by organizations.admin. Routes and their history are read-only here: a contact changes team
through `reassign` (the profile page) or `reroute_open_contacts` (an organization's Routing tab).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from organizations.routing.errors import RoutingError
from organizations.routing.models import ContactRoute, RouteChange, RoutingRule, Team
from organizations.routing.selectors import describe
from organizations.routing.services import (
    RuleInput,
    check_rule,
    check_team,
    create_rule,
    create_team,
    delete_rule,
    delete_team,
    update_rule,
    update_team,
)
from zdusers.admin_support import ReadOnlyAdmin


class TeamAdminForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "description", "members"]

    def clean(self):
        data = super().clean()
        if "name" in data:
            try:
                check_team(name=data["name"], members=data.get("members") or (), exclude_pk=self.instance.pk)
            except RoutingError as error:
                raise forms.ValidationError(error.message) from None
        return data


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    list_display = ["name", "description"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting goes through delete_team, one team at a time
        return actions

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {"name": data["name"], "description": data.get("description", ""), "members": data["members"]}
        saved = update_team(team=obj, **fields) if change else create_team(**fields)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # the members were set by the service

    def delete_model(self, request, obj):
        delete_team(team=obj)  # the admin's own page lists the rules (protected) before it gets here


class RoutingRuleAdminForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["name", "team", "organizations", "organization_tag", "domain", "channel", "enduser_tag"]

    def rule_input(self) -> RuleInput:
        data = self.cleaned_data
        return RuleInput(
            name=data.get("name", ""),
            team_id=data["team"].pk if data.get("team") else None,
            organization_ids=tuple(o.pk for o in data.get("organizations") or ()),
            organization_tag=data.get("organization_tag", ""),
            domain=data.get("domain", ""),
            channel=data.get("channel", ""),
            enduser_tag=data.get("enduser_tag", ""),
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                check_rule(self.rule_input(), exclude_pk=self.instance.pk)
            except RoutingError as error:
                raise forms.ValidationError(error.message) from None
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleAdminForm
    list_display = ["position", "name", "team", "conditions"]
    list_display_links = ["name"]
    list_select_related = ["team"]
    search_fields = ["name"]
    autocomplete_fields = ["organizations", "team"]
    ordering = ["position"]

    @admin.display(description="Conditions")
    def conditions(self, obj: RoutingRule) -> str:
        return " · ".join(describe(obj))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting renumbers the rules: one at a time, through delete_rule
        return actions

    def save_model(self, request, obj, form, change):
        data = form.rule_input()
        saved = update_rule(rule=obj, data=data) if change else create_rule(data=data)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # the organizations were set by the service

    def delete_model(self, request, obj):
        delete_rule(rule=obj)


@admin.register(ContactRoute)
class ContactRouteAdmin(ReadOnlyAdmin):
    """Read-only: routes are written by intake, reassignments and re-routes."""

    list_display = ["contact", "team", "rule_name", "kind", "routed_at", "routed_by"]
    list_filter = ["kind", "team"]
    search_fields = ["=contact__id"]
    search_help_text = "The contact's id."
    list_select_related = ["contact", "team", "routed_by"]
    raw_id_fields = ["contact"]
    show_full_result_count = False


@admin.register(RouteChange)
class RouteChangeAdmin(ContactRouteAdmin):
    list_display = ["contact", "kind", "from_team_name", "to_team_name", "actor", "reason", "at"]
    list_filter = ["kind"]
    list_select_related = ["contact", "actor"]
