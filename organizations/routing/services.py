"""Every write of routing: teams, rules, a contact's team (routed, reassigned, re-routed).

Rule and team writes call `rules.changed()` first, in their transaction: it locks the one RoutingState
row (writers of rules queue behind each other, so positions are renumbered safely) and makes every
process recompile its cached rules. Changing a rule never rewrites a contact's recorded team: only
`reroute_open_contacts` (explicit, counted, confirmed) and `reassign` (an agent, with a reason) do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from organizations.models import Organization
from organizations.routing import rules as compiled
from organizations.routing import sql
from organizations.routing.errors import RoutingError, TeamInUse
from organizations.routing.models import ContactRoute, RouteChange, RouteKind, RoutingRule, Team
from organizations.routing.rules import Facts, normalize_pattern
from profiles.identities import IdentityKind
from profiles.models import Contact, ContactChannel
from zdusers.tags import normalize_tags

MAX_REASON = 500

# --- teams ------------------------------------------------------------------------------------------------


def check_team(*, name: str, members: Iterable, exclude_pk: int | None) -> tuple[str, list]:
    """The team's name as stored and its members, or RoutingError: what create/update_team refuse (for forms)."""
    return _clean_team(name=name, members=members, exclude_pk=exclude_pk)


def _clean_team(*, name: str, members: Iterable, exclude_pk: int | None) -> tuple[str, list]:
    name = " ".join((name or "").split())
    if not name:
        raise RoutingError("Give the team a name.", field="name")
    if len(name) > 120:
        raise RoutingError("A team's name is at most 120 characters.", field="name")
    clash = Team.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise RoutingError(f"There is already a team named {clash.name} (names ignore case).", field="name")
    members = list(members)
    not_staff = [user for user in members if not user.is_staff or not user.is_active]
    if not_staff:
        names = ", ".join(user.get_username() for user in not_staff)
        raise RoutingError(f"Only active staff can be in a team; not: {names}.", field="members")
    return name, members


@transaction.atomic
def create_team(*, name: str, description: str = "", members: Iterable[AbstractBaseUser] = ()) -> Team:
    """A new team. Names are unique ignoring case; members are active staff (agents or admins)."""
    compiled.changed()
    name, members = _clean_team(name=name, members=members, exclude_pk=None)
    team = Team.objects.create(name=name, description=(description or "").strip())
    team.members.set(members)
    return team


@transaction.atomic
def update_team(
    *, team: Team, name: str, description: str = "", members: Iterable[AbstractBaseUser] | None = None
) -> Team:
    """Rename a team, change its description and (when given) make its members exactly `members`.

    Contacts already routed to it keep the name they were routed under in their history.
    """
    compiled.changed()
    team = _get_team(team.pk, lock=True)
    name, members_list = _clean_team(name=name, members=members or (), exclude_pk=team.pk)
    team.name = name
    team.description = (description or "").strip()
    team.save(update_fields=["name", "description"])
    if members is not None:
        team.members.set(members_list)
    return team


@transaction.atomic
def delete_team(*, team: Team) -> str:
    """Delete a team no rule routes to; refused (TeamInUse, naming the rules) otherwise.

    Contacts routed to it keep the team's name in their record, with no team.
    """
    compiled.changed()
    team = _get_team(team.pk, lock=True)
    rule_names = list(team.rules.order_by("position").values_list("name", flat=True))
    if rule_names:
        raise TeamInUse(team.name, rule_names)
    name = team.name
    team.delete()
    return name


def _get_team(pk: int | None, *, lock: bool = False) -> Team:
    queryset = Team.objects.select_for_update() if lock else Team.objects
    team = queryset.filter(pk=pk).first() if pk is not None else None
    if team is None:
        raise RoutingError("That team no longer exists; reload the page and choose another.", field="team")
    return team


# --- rules ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInput:
    """What a rule says, as a form or the admin gives it."""

    name: str
    team_id: int | None
    organization_ids: tuple[int, ...] = ()
    organization_tag: str = ""
    domain: str = ""
    channel: str = ""
    enduser_tag: str = ""


def check_rule(data: RuleInput, *, exclude_pk: int | None = None) -> None:
    """Raise RoutingError for what create/update_rule would refuse (forms, the Django admin); writes nothing."""
    _clean_rule(data, exclude_pk=exclude_pk)


def _clean_rule(data: RuleInput, *, exclude_pk: int | None) -> dict:
    name = " ".join((data.name or "").split())
    if not name:
        raise RoutingError("Give the rule a name people will recognise on a contact's timeline.", field="name")
    if len(name) > 120:
        raise RoutingError("A rule's name is at most 120 characters.", field="name")
    clash = RoutingRule.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise RoutingError(f"There is already a rule named '{clash.name}' (names ignore case).", field="name")
    team = _get_team(data.team_id)
    wanted = list(dict.fromkeys(int(pk) for pk in data.organization_ids))
    organizations = list(Organization.objects.filter(pk__in=wanted))
    missing = sorted(set(wanted) - {o.pk for o in organizations})
    if missing:
        raise RoutingError(
            f"Organization{'s' if len(missing) > 1 else ''} #{', #'.join(map(str, missing))} no longer exist"
            f"{'' if len(missing) > 1 else 's'}; remove {'them' if len(missing) > 1 else 'it'} from the rule.",
            field="organizations",
        )
    tag = normalize_tags(data.organization_tag)
    enduser_tag = normalize_tags(data.enduser_tag)
    if len(tag) > 1 or len(enduser_tag) > 1:
        raise RoutingError(
            "A rule tests one tag; make one rule per tag.", field="organization_tag" if len(tag) > 1 else "enduser_tag"
        )
    domain = normalize_pattern(data.domain or "")
    if domain and (" " in domain or "@" in domain or "." not in domain or domain.endswith(".") or ".." in domain):
        raise RoutingError(
            f"{data.domain!r} is not a domain: write acme.com (it and its subdomains) or .mx (every domain ending so).",
            field="domain",
        )
    if data.channel and data.channel not in ContactChannel.values:
        raise RoutingError(f"{data.channel!r} is not a channel.", field="channel")
    fields = {
        "name": name,
        "team": team,
        "by_organization": bool(organizations),
        "organization_tag": tag[0] if tag else "",
        "domain": domain,
        "channel": data.channel or "",
        "enduser_tag": enduser_tag[0] if enduser_tag else "",
    }
    if not (organizations or any(fields[key] for key in ("organization_tag", "domain", "channel", "enduser_tag"))):
        raise RoutingError(
            "A rule needs at least one condition (an organization, a tag, a domain or a channel); "
            "without one it would route every contact.",
        )
    return {**fields, "organizations": organizations}


@transaction.atomic
def create_rule(*, data: RuleInput, position: int | None = None) -> RoutingRule:
    """A new rule, last (or at `position`, moving the later ones down). Refused with nothing written when it
    has no condition, names a deleted organization or team, or repeats a rule's name."""
    compiled.changed()
    fields = _clean_rule(data, exclude_pk=None)
    organizations = fields.pop("organizations")
    order = list(RoutingRule.objects.order_by("position").values_list("pk", flat=True))
    rule = RoutingRule.objects.create(position=len(order) + 1 + 1_000_000, **fields)
    rule.organizations.set(organizations)
    if position is None or position > len(order):
        position = len(order) + 1
    order.insert(max(position, 1) - 1, rule.pk)
    _renumber(order)
    rule.refresh_from_db()
    return rule


@transaction.atomic
def update_rule(*, rule: RoutingRule, data: RuleInput) -> RoutingRule:
    """Change what a rule matches or where it routes. Contacts it routed keep their recorded team."""
    compiled.changed()
    rule = _get_rule(rule.pk)
    fields = _clean_rule(data, exclude_pk=rule.pk)
    organizations = fields.pop("organizations")
    for key, value in fields.items():
        setattr(rule, key, value)
    rule.save()
    rule.organizations.set(organizations)
    return rule


@transaction.atomic
def move_rule(*, rule: RoutingRule, position: int) -> RoutingRule:
    """Put a rule at `position` (1 = first); the others keep their order."""
    compiled.changed()
    rule = _get_rule(rule.pk)
    order = [pk for pk in RoutingRule.objects.order_by("position").values_list("pk", flat=True) if pk != rule.pk]
    if not 1 <= position <= len(order) + 1:
        raise RoutingError(f"Choose a position between 1 and {len(order) + 1}.", field="position")
    order.insert(position - 1, rule.pk)
    _renumber(order)
    rule.refresh_from_db()
    return rule


@transaction.atomic
def reorder_rules(*, rule_ids: list[int]) -> None:
    """Make the rules' order exactly `rule_ids` (every rule, once)."""
    compiled.changed()
    have = set(RoutingRule.objects.values_list("pk", flat=True))
    if len(rule_ids) != len(set(rule_ids)) or set(rule_ids) != have:
        raise RoutingError("The rules changed meanwhile; reload the page and order them again.")
    _renumber(rule_ids)


@transaction.atomic
def delete_rule(*, rule: RoutingRule) -> str:
    """Delete a rule. Contacts it routed keep their team and the rule's name."""
    compiled.changed()
    rule = _get_rule(rule.pk)
    name = rule.name
    rule.delete()
    _renumber(list(RoutingRule.objects.order_by("position").values_list("pk", flat=True)))
    return name


def _get_rule(pk: int) -> RoutingRule:
    rule = RoutingRule.objects.filter(pk=pk).first()
    if rule is None:
        raise RoutingError("That rule no longer exists; reload the rules page.")
    return rule


def _renumber(order: list[int]) -> None:
    """Positions 1..n in this order. Positions are unique, so first move every rule out of the way."""
    if not order:
        return
    rules = {rule.pk: rule for rule in RoutingRule.objects.filter(pk__in=order)}
    if all(rules[pk].position == n for n, pk in enumerate(order, start=1)):
        return
    RoutingRule.objects.filter(pk__in=order).update(position=F("position") + 2_000_000)
    for n, pk in enumerate(order, start=1):
        rules[pk].position = n
    RoutingRule.objects.bulk_update([rules[pk] for pk in order], ["position"])


# --- an organization's default team -----------------------------------------------------------------------


def default_rule(organization: Organization) -> RoutingRule | None:
    """The rule that routes exactly this organization and nothing else: its "default team" rule."""
    candidates = RoutingRule.objects.filter(
        by_organization=True, organizations=organization, organization_tag="", domain="", channel="", enduser_tag=""
    ).order_by("position")
    for rule in candidates.prefetch_related("organizations"):
        if [o.pk for o in rule.organizations.all()] == [organization.pk]:
            return rule
    return None


@transaction.atomic
def set_default_team(*, organization: Organization, team: Team | None) -> RoutingRule | None:
    """Route every contact of `organization` to `team` unless an earlier rule decides otherwise.

    Updates the organization's own rule (one that names only it, with no other condition) or creates one
    named "Default team of <organization>", placed after the last rule naming this organization (so its
    more specific rules, say its WhatsApp contacts, still come first), or first when none does. `team`
    None deletes that rule. Contacts already routed keep their team until re-routed.
    """
    compiled.changed()
    organization = Organization.objects.filter(pk=organization.pk).first()
    if organization is None:
        raise RoutingError("That organization no longer exists.")
    rule = default_rule(organization)
    if team is None:
        if rule is not None:
            delete_rule(rule=rule)
        return None
    team = _get_team(team.pk)
    if rule is not None:
        rule.team = team
        rule.save(update_fields=["team", "updated_at"])
        return rule
    naming = list(
        RoutingRule.objects.filter(organizations=organization).order_by("position").values_list("position", flat=True)
    )
    position = (naming[-1] + 1) if naming else 1
    name = _free_name(f"Default team of {organization.name}"[:110])
    return create_rule(
        data=RuleInput(name=name, team_id=team.pk, organization_ids=(organization.pk,)), position=position
    )


def _free_name(name: str) -> str:
    taken = {n.lower() for n in RoutingRule.objects.values_list("name", flat=True)}
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


# --- a contact's team -------------------------------------------------------------------------------------


def route_new_contact(*, contact_id: int, facts: Facts, routed_at) -> ContactRoute:
    """Route a contact just inserted (in the caller's transaction): the first matching rule, or no team.

    One statement when this process's compiled rules are current: the route's INSERT … SELECT from the
    rules' stamp row, which inserts only if the stamp is the one the rules were compiled with (and holds
    the row FOR SHARE on PostgreSQL, so no rule change commits before this contact does). Otherwise —
    first use, rules changed meanwhile, no rule ever written — the stamp is read (FOR SHARE), the rules
    recompiled if needed, and the route inserted: two or three queries. Intake passes the facts it already
    holds; nothing about the contact is read back.
    """
    rules = compiled.cached()
    if rules is not None and rules.stamp:
        route = _route_row(contact_id, rules.decide(facts), routed_at)
        if sql.insert_route_if_current(route, stamp=rules.stamp):
            route._state.adding = False
            route._state.db = "default"
            return route
    route = _route_row(contact_id, compiled.current(share=True).decide(facts), routed_at)
    route.save(force_insert=True)
    return route


def _route_row(contact_id: int, rule, routed_at) -> ContactRoute:
    team_name, rule_name = (rule.team_name, rule.name) if rule else ("", "")
    kind = RouteKind.RULE if rule else RouteKind.NO_MATCH
    return ContactRoute(
        contact_id=contact_id,
        team_id=rule.team_id if rule else None,
        team_name=team_name,
        rule_id=rule.id if rule else None,
        rule_name=rule_name,
        kind=kind,
        routed_at=routed_at,
        first_kind=kind,
        first_team_name=team_name,
        first_rule_name=rule_name,
    )


def facts_of(contact: Contact) -> Facts:
    """The facts of a saved contact (a few reads: its requester's tags and the identity it came through)."""
    identity = contact.via_identity if contact.via_identity_id else None
    email_domain = ""
    if identity is not None and identity.kind == IdentityKind.EMAIL:
        email_domain = identity.normalized.rpartition("@")[2]
    return Facts(
        organization_id=contact.organization_id,
        channel=contact.channel,
        enduser_tags=tuple(contact.requester.tags or ()),
        email_domain=email_domain,
    )


@transaction.atomic
def route(*, contact: Contact) -> ContactRoute:
    """Route a contact that has no route yet (a contact logged by hand); an already routed one is returned as is."""
    existing = ContactRoute.objects.filter(contact_id=contact.pk).first()
    if existing is not None:
        return existing
    return route_new_contact(contact_id=contact.pk, facts=facts_of(contact), routed_at=timezone.now())


@transaction.atomic
def reassign(*, contact: Contact, team_id: int | None, actor: AbstractBaseUser, reason: str) -> ContactRoute:
    """Move one contact to another team, by an agent, with a reason; recorded in its history.

    Refused (nothing written): no reason, a reason over 500 characters, a team that no longer exists, the
    team it is already in.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise RoutingError("Say why the contact changes team; the next person will read it.", field="reason")
    if len(reason) > MAX_REASON:
        raise RoutingError(f"Keep the reason under {MAX_REASON} characters.", field="reason")
    team = _get_team(team_id)
    locked = Contact.objects.select_for_update().filter(pk=contact.pk).first()
    if locked is None:
        raise RoutingError("That contact no longer exists.")
    current = ContactRoute.objects.select_for_update().filter(contact_id=contact.pk).first()
    if current is not None and current.team_id == team.pk:
        raise RoutingError(f"This contact is already with {team.name}.", field="team")
    now = timezone.now()
    RouteChange.objects.create(
        contact_id=contact.pk,
        kind=RouteKind.REASSIGNED,
        at=now,
        actor=actor,
        reason=reason,
        from_team_name=current.team_name if current else "",
        from_rule_name=current.rule_name if current else "",
        from_kind=current.kind if current else "",
        to_team=team,
        to_team_name=team.name,
    )
    route_row, _ = ContactRoute.objects.update_or_create(
        contact_id=contact.pk,
        defaults={
            "team": team,
            "team_name": team.name,
            "rule": None,
            "rule_name": "",
            "kind": RouteKind.REASSIGNED,
            "routed_at": now,
            "routed_by": actor,
            "reason": reason,
        },
    )
    return route_row


@dataclass(frozen=True)
class ReroutePreview:
    organization_id: int
    open_contacts: int
    moving: int
    by_team: list[tuple[int | None, str, int, int]]  # team id, name, open contacts going there, of which moving


def reroute_preview(*, organization: Organization) -> ReroutePreview:
    """What `reroute_open_contacts` would do now: the open contacts per team the rules decide, and how many move."""
    rows = sql.preview(compiled.current().rules, organization.pk)
    return ReroutePreview(
        organization_id=organization.pk,
        open_contacts=sum(row[2] for row in rows),
        moving=sum(row[3] for row in rows),
        by_team=rows,
    )


@transaction.atomic
def reroute_open_contacts(*, organization: Organization, actor: AbstractBaseUser | None) -> int:
    """Apply today's rules to the organization's open contacts (new, open, pending); return how many moved.

    Set-based (an INSERT … SELECT of the history, an upsert of the routes), holding the rules' lock so
    no rule changes halfway. Contacts whose team stays the same keep their record untouched; each one
    that moves gets a history line naming who re-routed it. Closed and solved contacts are history: kept.
    """
    if not Organization.objects.filter(pk=organization.pk).exists():
        raise RoutingError("That organization no longer exists.")
    compiled.changed()  # locks the rules while re-routing (and costs one recompile)
    rules = compiled.current().rules
    actor_id = actor.pk if actor is not None else None
    reason = f"Re-routed the open contacts of {organization.name}"
    return sql.reroute(
        rules, organization.pk, at=timezone.now(), actor_id=actor_id, reason=reason, kind=RouteKind.REROUTED
    )


def staff_users():
    """Who can be in a team: active staff, by username."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
