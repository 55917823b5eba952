"""Reads of routing's pages: the rules with their warnings, teams, an organization's routing, a team's contacts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.routing.models import ContactRoute, RoutingRule, Team
from organizations.routing.rules import CompiledRule, compile_rules, domain_matches
from organizations.routing.sql import OPEN_STATUSES
from profiles.models import ContactChannel

PAGE_SIZE = 25


# --- the rules page ---------------------------------------------------------------------------------------


@dataclass
class RuleRow:
    rule: RoutingRule
    compiled: CompiledRule
    warnings: list[str] = field(default_factory=list)


def _possible_organizations(rule: CompiledRule) -> frozenset[int] | None:
    """The organizations a rule can match through its organization conditions (None: any, the domain aside)."""
    sets = [ids for ids in (rule.organization_ids, rule.tag_organization_ids) if ids is not None]
    if not sets:
        return None
    return frozenset.intersection(*sets)


def matches_nothing(rule: CompiledRule) -> bool:
    """No organization can satisfy its organization conditions (its organizations were deleted, nobody has the tag)."""
    possible = _possible_organizations(rule)
    return possible is not None and not possible


def _domain_covers(earlier: str, later: str) -> bool:
    """Every domain the `later` pattern matches, the `earlier` one matches too."""
    if not earlier:
        return True
    if not later:
        return False
    return domain_matches(earlier, later.lstrip(".")) or earlier == later


def shadows(earlier: CompiledRule, later: CompiledRule) -> bool:
    """Every contact `later` matches, `earlier` matches first: `later` never routes anything."""
    if earlier.channel and earlier.channel != later.channel:
        return False
    if earlier.enduser_tag and earlier.enduser_tag != later.enduser_tag:
        return False
    mine, theirs = _possible_organizations(earlier), _possible_organizations(later)
    if mine is not None and (theirs is None or not theirs <= mine):
        return False
    return not earlier.domain or _domain_covers(earlier.domain, later.domain)


def overlaps(a: CompiledRule, b: CompiledRule) -> bool:
    """Some contact could match both (the earlier then wins)."""
    if a.channel and b.channel and a.channel != b.channel:
        return False
    if a.enduser_tag and b.enduser_tag and a.enduser_tag != b.enduser_tag:
        return False
    mine, theirs = _possible_organizations(a), _possible_organizations(b)
    if mine is not None and theirs is not None and not mine & theirs:
        return False
    if a.domain and b.domain:
        return _domain_covers(a.domain, b.domain) or _domain_covers(b.domain, a.domain)
    # One tests a domain, the other lists organizations: they overlap where those organizations own such a
    # domain (an address's own domain could too, but warning about every organization would say nothing).
    for domain_rule, other in ((a, b), (b, a)):
        listed = _possible_organizations(other)
        if domain_rule.domain and listed is not None:
            return bool(listed & (domain_rule.domain_organization_ids or frozenset()))
    return True


def rules_page() -> list[RuleRow]:
    """Every rule in order with its organizations, team and warnings: matches nothing, shadowed, overlapping."""
    rules = list(
        RoutingRule.objects.select_related("team")
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.only("pk", "name")))
        .order_by("position")
    )
    compiled = compile_rules(rules)
    rows = [RuleRow(rule=rule, compiled=c) for rule, c in zip(rules, compiled, strict=True)]
    for index, row in enumerate(rows):
        if matches_nothing(row.compiled):
            if row.rule.by_organization and not row.compiled.organization_ids:
                row.warnings.append(_("Matches nothing: the organizations it named were deleted."))
            else:
                row.warnings.append(_("Matches nothing: no organization meets all of its conditions today."))
            continue
        for earlier in rows[:index]:
            if matches_nothing(earlier.compiled):
                continue
            if shadows(earlier.compiled, row.compiled):
                row.warnings.append(
                    _("Never applies: rule %(position)s '%(name)s' comes first and matches every contact it does.")
                    % {"position": earlier.rule.position, "name": earlier.rule.name}
                )
                break
            if overlaps(earlier.compiled, row.compiled) and earlier.compiled.team_id != row.compiled.team_id:
                row.warnings.append(
                    _("Overlaps rule %(position)s '%(name)s': contacts matching both go to %(team)s.")
                    % {"position": earlier.rule.position, "name": earlier.rule.name, "team": earlier.rule.team.name}
                )
    return rows


def describe(rule: RoutingRule) -> list[str]:
    """The rule's conditions in words (the organizations prefetched)."""
    parts = []
    if rule.by_organization:
        names = [o.name for o in rule.organizations.all()]
        parts.append(_("organization is %(names)s") % {"names": _(" or ").join(names) if names else "—"})
    if rule.organization_tag:
        parts.append(_("organization tagged %(tag)s") % {"tag": rule.organization_tag})
    if rule.domain:
        if rule.domain.startswith("."):
            parts.append(_("domain ends in %(domain)s") % {"domain": rule.domain})
        else:
            parts.append(_("domain is %(domain)s or under it") % {"domain": rule.domain})
    if rule.channel:
        parts.append(_("channel is %(channel)s") % {"channel": ContactChannel(rule.channel).label})
    if rule.enduser_tag:
        parts.append(_("customer tagged %(tag)s") % {"tag": rule.enduser_tag})
    return parts


# --- teams ------------------------------------------------------------------------------------------------


def teams_list():
    """Every team with its member and rule counts (teams are few: no pagination)."""
    return Team.objects.annotate(
        member_count=Count("members", distinct=True), rule_count=Count("rules", distinct=True)
    ).order_by("name")


@dataclass
class TeamPage:
    team: Team
    members: list
    rules: list[RoutingRule]
    organizations: list[Organization]  # named by its rules
    open_contacts: list[ContactRoute]
    more_open: bool


def team_page(team: Team) -> TeamPage:
    """A team: members, the rules routing to it and the organizations they name, its newest open contacts."""
    rules = list(
        team.rules.prefetch_related(Prefetch("organizations", queryset=Organization.objects.only("pk", "name")))
    )
    organizations = sorted(
        {o.pk: o for rule in rules for o in rule.organizations.all()}.values(), key=lambda o: o.name.lower()
    )
    open_routes = list(
        ContactRoute.objects.filter(team=team, contact__status__in=OPEN_STATUSES)
        .select_related("contact__requester", "contact__organization")
        .order_by("-contact_id")[: PAGE_SIZE + 1]
    )
    return TeamPage(
        team=team,
        members=list(team.members.order_by("username")),
        rules=rules,
        organizations=organizations,
        open_contacts=open_routes[:PAGE_SIZE],
        more_open=len(open_routes) > PAGE_SIZE,
    )


# --- an organization --------------------------------------------------------------------------------------


@dataclass
class OrganizationRouting:
    rules: list[tuple[RoutingRule, bool]]  # the rules that can route its contacts, in order; True: always matches
    routing_rule: RoutingRule | None  # the first rule matching every contact of it, if any
    default_rule: RoutingRule | None


def organization_routing(organization: Organization) -> OrganizationRouting:
    """Which rules can route the organization's contacts, and the one that routes all of them when nothing
    earlier (a channel, a customer tag, an address's domain) decides otherwise."""
    from organizations.routing.services import default_rule

    rules = list(RoutingRule.objects.select_related("team").prefetch_related("organizations").order_by("position"))
    rows = []
    routing = None
    for rule, compiled in zip(rules, compile_rules(rules), strict=True):
        if not compiled.matches_organization(organization.pk):
            continue
        by_domain = compiled.domain and organization.pk in (compiled.domain_organization_ids or ())
        if compiled.domain and not by_domain:
            continue  # only an address's own domain could match: not this organization's rule
        always = not (compiled.channel or compiled.enduser_tag)
        rows.append((rule, always))
        if always and routing is None:
            routing = rule
    return OrganizationRouting(rules=rows, routing_rule=routing, default_rule=default_rule(organization))


# --- my teams' contacts -----------------------------------------------------------------------------------


@dataclass
class ContactsPage:
    routes: list[ContactRoute]
    next_cursor: str | None


def team_contacts(
    *,
    team_ids: list[int],
    cursor: str = "",
    organization_id: int | None = None,
    channel: str = "",
    status: str = "",
) -> ContactsPage:
    """The teams' contacts, open ones (new, open, pending) first, each part newest arrival first, keyset-paginated.

    `cursor` is "o<id>" or "c<id>": the part (open or closed) and the last contact id shown. Each page is
    one or two indexed queries on (team, contact) whatever the depth; no OFFSET, no COUNT.
    """
    if not team_ids:
        return ContactsPage(routes=[], next_cursor=None)
    phase, last_id = _parse_cursor(cursor)
    base = ContactRoute.objects.all()
    if organization_id:
        base = base.filter(contact__organization_id=organization_id)
    if channel:
        base = base.filter(contact__channel=channel)
    if status:
        base = base.filter(contact__status=status)
    base = base.select_related("contact__requester", "contact__organization", "team").order_by("-contact_id")
    routes: list[ContactRoute] = []
    for part in ("o", "c") if phase == "o" else ("c",):
        if status and (status in OPEN_STATUSES) != (part == "o"):
            last_id = None
            continue
        query = (
            base.filter(contact__status__in=OPEN_STATUSES)
            if part == "o"
            else base.exclude(contact__status__in=OPEN_STATUSES)
        )
        if last_id is not None:
            query = query.filter(contact_id__lt=last_id)
        rows = _newest(query, team_ids, PAGE_SIZE + 1 - len(routes))
        for row in rows:
            row.part = part
        routes += rows
        last_id = None
        if len(routes) > PAGE_SIZE:
            break
    more = len(routes) > PAGE_SIZE
    routes = routes[:PAGE_SIZE]
    next_cursor = f"{routes[-1].part}{routes[-1].contact_id}" if more else None
    return ContactsPage(routes=routes, next_cursor=next_cursor)


# Up to this many teams, one indexed scan per team, merged here; more, one query that sorts what it finds.
_SCANS_PER_TEAM = 4


def _newest(query, team_ids: list[int], limit: int) -> list[ContactRoute]:
    """The `limit` newest rows of `query` over the teams.

    `team_id IN (...) ORDER BY contact_id DESC` can't walk the (team, contact) index in order for several
    teams at once (the database would read every row of those teams and sort them); one walk per team,
    each stopping after `limit` rows, costs a query per team and reads at most `limit` rows from each.
    """
    if len(team_ids) == 1 or len(team_ids) > _SCANS_PER_TEAM:
        return list(query.filter(team_id__in=team_ids)[:limit])
    rows = [row for team_id in team_ids for row in query.filter(team_id=team_id)[:limit]]
    return sorted(rows, key=lambda row: row.contact_id, reverse=True)[:limit]


def _parse_cursor(cursor: str) -> tuple[str, int | None]:
    """("o" or "c", last id); raises ValueError for anything else (the view says so)."""
    if not cursor:
        return "o", None
    part, digits = cursor[:1], cursor[1:]
    if part not in ("o", "c") or not digits.isdigit() or len(digits) > 18:
        raise ValueError(cursor)
    return part, int(digits)
