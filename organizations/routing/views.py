"""Routing's pages: teams, rules, an organization's routing, my teams' contacts, reassigning a contact.

Admins (`manage_routing`) change teams and rules and re-route; agents read them and reassign a contact's
team with a reason (`change_contactroute`). Thin views: a form, one service, a message, a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from organizations.routing import selectors
from organizations.routing.errors import RoutingError
from organizations.routing.forms import (
    DefaultTeamForm,
    ReassignForm,
    RuleForm,
    TeamContactsFilter,
    TeamForm,
    show_routing_error,
)
from organizations.routing.models import RoutingRule, Team
from organizations.routing.services import (
    create_rule,
    create_team,
    delete_rule,
    delete_team,
    move_rule,
    reassign,
    reroute_open_contacts,
    reroute_preview,
    set_default_team,
    update_rule,
    update_team,
)
from organizations.views.base import get_organization, page_context
from profiles.models import Contact

MANAGE = "organizations.manage_routing"
READ = "organizations.view_team"
REASSIGN = "organizations.change_contactroute"


# --- teams ------------------------------------------------------------------------------------------------


@require_safe
@permission_required(READ, raise_exception=True)
def teams(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "routing/teams.html",
        {"teams": list(selectors.teams_list()), "can_manage": request.user.has_perm(MANAGE)},
    )


@require_safe
@permission_required(READ, raise_exception=True)
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    page = selectors.team_page(team)
    return render(request, "routing/team.html", {"page": page, "can_manage": request.user.has_perm(MANAGE)})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def team_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                if team is None:
                    team = create_team(**form.cleaned_data)
                    messages.success(request, _("Created the team %(name)s.") % {"name": team.name})
                else:
                    team = update_team(team=team, **form.cleaned_data)
                    messages.success(request, _("Saved the team %(name)s.") % {"name": team.name})
            except RoutingError as error:
                show_routing_error(form, error)
            else:
                return redirect(team)
    elif team is not None:
        form = TeamForm(
            initial={"name": team.name, "description": team.description, "members": list(team.members.all())}
        )
    else:
        form = TeamForm()
    return render(request, "routing/team_form.html", {"form": form, "team": team})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def team_delete(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=pk)
    if request.method == "GET":
        rules = list(team.rules.order_by("position"))
        return render(request, "routing/team_delete.html", {"team": team, "rules": rules})
    try:
        name = delete_team(team=team)
    except RoutingError as error:
        messages.error(request, error.message)
        return redirect("organizations:team_delete", pk=team.pk)
    messages.success(request, _("Deleted the team %(name)s.") % {"name": name})
    return redirect("organizations:teams")


# --- rules ------------------------------------------------------------------------------------------------


@require_safe
@permission_required("organizations.view_routingrule", raise_exception=True)
def rules(request: HttpRequest) -> HttpResponse:
    rows = selectors.rules_page()
    for row in rows:
        row.conditions = selectors.describe(row.rule)
    return render(
        request,
        "routing/rules.html",
        {"rows": rows, "can_manage": request.user.has_perm(MANAGE), "has_teams": Team.objects.exists()},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def rule_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                if rule is None:
                    rule = create_rule(data=form.rule_input())
                    text = _("Added the rule '%(name)s' at position %(position)s.")
                else:
                    rule = update_rule(rule=rule, data=form.rule_input())
                    text = _("Saved the rule '%(name)s'. Contacts it already routed keep their team.")
            except RoutingError as error:
                show_routing_error(form, error)
            else:
                messages.success(request, text % {"name": rule.name, "position": rule.position})
                return redirect("organizations:rules")
    elif rule is not None:
        form = RuleForm(
            initial={
                "name": rule.name,
                "team": rule.team_id,
                "organizations": "\n".join(rule.organizations.order_by("name").values_list("name", flat=True)),
                "organization_tag": rule.organization_tag,
                "domain": rule.domain,
                "channel": rule.channel,
                "enduser_tag": rule.enduser_tag,
            }
        )
    else:
        form = RuleForm()
    return render(request, "routing/rule_form.html", {"form": form, "rule": rule})


@require_POST
@permission_required(MANAGE, raise_exception=True)
def rule_move(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        messages.error(request, _("Choose a position as a number."))
        return redirect("organizations:rules")
    try:
        rule = move_rule(rule=rule, position=position)
    except RoutingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Moved '%(name)s' to position %(position)s.") % {"name": rule.name, "position": rule.position}
        )
    return redirect("organizations:rules")


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    if request.method == "GET":
        return render(request, "routing/rule_delete.html", {"rule": rule})
    name = delete_rule(rule=rule)
    messages.success(request, _("Deleted the rule '%(name)s'. Contacts it routed keep their team.") % {"name": name})
    return redirect("organizations:rules")


# --- an organization's routing ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("organizations.view_organization", raise_exception=True)
def organization_routing(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization's Routing tab: the rules that route it; admins set its default team here."""
    organization = get_organization(pk)
    routing = selectors.organization_routing(organization)
    can_manage = request.user.has_perm(MANAGE)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=403)
        form = DefaultTeamForm(request.POST)
        if form.is_valid():
            team = form.cleaned_data["team"]
            try:
                set_default_team(organization=organization, team=team)
            except RoutingError as error:
                show_routing_error(form, error)
            else:
                if team is None:
                    messages.success(request, _("%(org)s has no default team now.") % {"org": organization.name})
                else:
                    messages.success(
                        request,
                        _(
                            "New contacts of %(org)s go to %(team)s. "
                            "Contacts already routed keep their team until you re-route them."
                        )
                        % {"org": organization.name, "team": team.name},
                    )
                return redirect("organizations:routing", pk=organization.pk)
    else:
        form = DefaultTeamForm(initial={"team": routing.default_rule.team_id if routing.default_rule else None})
    context = page_context(request, organization, tab="routing")
    context.update({"routing": routing, "form": form, "can_route": can_manage})
    return render(request, "routing/organization.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE, raise_exception=True)
def organization_reroute(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: how many open contacts would move, by team. POST: re-route them."""
    organization = get_organization(pk)
    if request.method == "GET":
        context = page_context(request, organization, tab="routing")
        context["preview"] = reroute_preview(organization=organization)
        return render(request, "routing/reroute.html", context)
    try:
        moved = reroute_open_contacts(organization=organization, actor=request.user)
    except RoutingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Re-routed the open contacts of %(org)s: %(count)s changed team.")
            % {"org": organization.name, "count": f"{moved:,}"},
        )
    return redirect("organizations:routing", pk=organization.pk)


# --- contacts ---------------------------------------------------------------------------------------------


@require_safe
@permission_required(("organizations.view_contactroute", "profiles.view_contact"), raise_exception=True)
def team_contacts(request: HttpRequest) -> HttpResponse:
    """/contacts/mine/: the contacts of my teams (or of one team), open ones first, keyset-paginated."""
    form = TeamContactsFilter(request.GET or None)
    my_team_ids = list(request.user.routing_teams.values_list("pk", flat=True))
    page = selectors.ContactsPage(routes=[], next_cursor=None)
    team_ids: list[int] = []
    if form.is_bound and not form.is_valid():
        pass  # the errors are shown above an empty list
    else:
        data = form.cleaned_data if form.is_bound else {}
        team_ids = [data["team"]] if data.get("team") else my_team_ids
        organization = data.get("organization")
        try:
            page = selectors.team_contacts(
                team_ids=team_ids,
                cursor=data.get("after") or "",
                organization_id=organization.pk if organization else None,
                channel=data.get("channel") or "",
                status=data.get("status") or "",
            )
        except ValueError:
            form.add_error(None, _("That page link is broken; start from the first page."))
    next_url = None
    if page.next_cursor:
        query = {key: value for key, value in request.GET.items() if key != "after" and value}
        next_url = f"{reverse('organizations:team_contacts')}?{urlencode({**query, 'after': page.next_cursor})}"
    first_url = None
    if request.GET.get("after"):
        query = {key: value for key, value in request.GET.items() if key != "after" and value}
        first_url = f"{reverse('organizations:team_contacts')}?{urlencode(query)}"
    return render(
        request,
        "routing/team_contacts.html",
        {
            "form": form,
            "page": page,
            "next_url": next_url,
            "first_url": first_url,
            "in_no_team": not my_team_ids,
            "filtered": any(value for key, value in request.GET.items() if key != "after"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(REASSIGN, raise_exception=True)
def reassign_contact(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("requester", "route"), pk=pk)
    current = getattr(contact, "route", None)
    if request.method == "POST":
        form = ReassignForm(request.POST)
        if form.is_valid():
            try:
                moved = reassign(
                    contact=contact,
                    team_id=form.cleaned_data["team"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except RoutingError as error:
                show_routing_error(form, error)
            else:
                messages.success(request, _("Moved the contact to %(team)s.") % {"team": moved.team_name})
                return redirect("profiles:detail", pk=contact.requester_id)
    else:
        form = ReassignForm()
    return render(request, "routing/reassign.html", {"form": form, "contact": contact, "current": current})
