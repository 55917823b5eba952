"""The routing rules compiled for matching in memory, cached per process and checked against a stamp.

Every write that changes what a rule matches (rules, teams, an organization's tags or domains) calls
`changed()` inside its transaction, which gives `RoutingState` a new random stamp. `current()` reads the
stamp (one primary-key read) and recompiles only when it differs from the one the cache was built with.
The stamp is random, not a counter, so a rolled-back change can never make an old cache look current.

Compiling reads the stamp again at the end and starts over if it moved meanwhile (a seqlock): the
compiled rules are always those of one committed state, never half of a rule change. Routing a contact
reads the stamp FOR SHARE on PostgreSQL (`read_stamp`), which also keeps rule writers, who update the
row first thing, from committing between that read and the contact's route.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from organizations.models import Organization, OrganizationDomain
from organizations.routing.models import RoutingRule, RoutingState

_MAX_COMPILE_ATTEMPTS = 5


@dataclass(frozen=True)
class Facts:
    """What a rule looks at, known to intake without another query."""

    organization_id: int | None
    channel: str
    enduser_tags: tuple[str, ...] = ()
    email_domain: str = ""  # the domain of the email address the contact came through, if it did


@dataclass(frozen=True)
class CompiledRule:
    id: int
    name: str
    position: int
    team_id: int
    team_name: str
    organization_ids: frozenset[int] | None  # None: no condition on the organization itself
    tag_organization_ids: frozenset[int] | None  # organizations carrying the rule's organization tag
    domain: str  # "" or a pattern: "acme.com" (and subdomains) or ".mx"
    domain_organization_ids: frozenset[int] | None  # organizations owning a domain the pattern matches
    channel: str
    enduser_tag: str

    def matches_organization(self, organization_id: int | None) -> bool:
        """The conditions on the organization alone (list, tag), without the email domain."""
        for ids in (self.organization_ids, self.tag_organization_ids):
            if ids is not None and organization_id not in ids:
                return False
        return True

    def matches(self, facts: Facts) -> bool:
        if self.channel and facts.channel != self.channel:
            return False
        if self.enduser_tag and self.enduser_tag not in facts.enduser_tags:
            return False
        if not self.matches_organization(facts.organization_id):
            return False
        if self.domain:
            by_organization = facts.organization_id in (self.domain_organization_ids or ())
            if not by_organization and not domain_matches(self.domain, facts.email_domain):
                return False
        return True


@dataclass(frozen=True)
class CompiledRules:
    stamp: str | None
    rules: tuple[CompiledRule, ...]

    def decide(self, facts: Facts) -> CompiledRule | None:
        """The first rule matching, or None."""
        return next((rule for rule in self.rules if rule.matches(facts)), None)


def domain_matches(pattern: str, domain: str) -> bool:
    """`acme.com` matches acme.com and any subdomain; `.mx` matches every domain ending in .mx."""
    if not pattern or not domain:
        return False
    if pattern.startswith("."):
        return domain.endswith(pattern)
    return domain == pattern or domain.endswith("." + pattern)


def normalize_pattern(value: str) -> str:
    """What an admin types (`*.mx`, `@acme.com`, ` ACME.com `) as stored: `.mx`, `acme.com`."""
    value = value.strip().lower().lstrip("@")
    if value.startswith("*"):
        value = value[1:]
    return value


# --- the per-process cache --------------------------------------------------------------------------------

_lock = threading.Lock()
_cache: CompiledRules | None = None


def read_stamp(*, share: bool = False) -> str | None:
    """The current stamp (None before any rule was ever written).

    `share` (PostgreSQL, inside a transaction): read it FOR SHARE, so no rule, team or organization change
    commits until this transaction does. Routing a contact holds it from the read to its INSERT's commit:
    the route names a rule and a team that still exist, and a change waits for the contacts in flight.
    """
    lock = " FOR SHARE" if share and connection.vendor == "postgresql" and connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT stamp FROM "{RoutingState._meta.db_table}" WHERE id = 1{lock}')
        row = cursor.fetchone()
    return row[0] if row else None


def current(*, share: bool = False) -> CompiledRules:
    """The rules as they are now: the cache if its stamp is current, else compiled again (`share`: see read_stamp)."""
    global _cache
    stamp = read_stamp(share=share)
    cached = _cache
    if cached is not None and cached.stamp == stamp:
        return cached
    compiled = _compile(stamp)
    with _lock:
        _cache = compiled
    return compiled


def cached() -> CompiledRules | None:
    """This process's compiled rules as they were last checked, without asking whether they are current."""
    return _cache


def changed() -> None:
    """Mark the rules changed (call inside the writer's transaction): every process recompiles on next use.

    Writers of rules and teams also serialize on this row: the UPDATE holds its lock until they commit.
    """
    stamp = uuid.uuid4().hex
    if not RoutingState.objects.filter(id=1).update(stamp=stamp):
        RoutingState.objects.update_or_create(id=1, defaults={"stamp": stamp})


def forget() -> None:
    """Drop this process's cache (tests that switch databases)."""
    global _cache
    with _lock:
        _cache = None


def _compile(stamp: str | None) -> CompiledRules:
    if stamp is None:
        return CompiledRules(stamp=None, rules=())  # no rule was ever written (the services write the stamp)
    for _ in range(_MAX_COMPILE_ATTEMPTS):
        rules = tuple(compile_rules(RoutingRule.objects.select_related("team").order_by("position")))
        after = read_stamp()
        if after == stamp:
            return CompiledRules(stamp=stamp, rules=rules)
        stamp = after  # a change committed while compiling: compile its state instead
    return CompiledRules(stamp="", rules=rules)  # never equal to a stamp: the next call compiles again


def compile_rules(rules: Iterable[RoutingRule]) -> list[CompiledRule]:
    """Turn rules into matchers: organization tags and domain patterns become sets of organization ids."""
    rules = list(rules)
    listed: dict[int, set[int]] = {rule.pk: set() for rule in rules if rule.by_organization}
    if listed:
        through = RoutingRule.organizations.through
        for rule_id, organization_id in through.objects.filter(routingrule_id__in=list(listed)).values_list(
            "routingrule_id", "organization_id"
        ):
            listed[rule_id].add(organization_id)
    tags = {rule.organization_tag for rule in rules if rule.organization_tag}
    by_tag: dict[str, set[int]] = {tag: set() for tag in tags}
    if tags:
        for pk, organization_tags in Organization.objects.filter(_any_tag(tags)).values_list("pk", "tags"):
            for tag in tags.intersection(organization_tags or ()):
                by_tag[tag].add(pk)
    patterns = {rule.domain for rule in rules if rule.domain}
    by_domain: dict[str, set[int]] = {pattern: set() for pattern in patterns}
    if patterns:
        for organization_id, domain in OrganizationDomain.objects.filter(_any_domain(patterns)).values_list(
            "organization_id", "domain"
        ):
            for pattern in patterns:
                if domain_matches(pattern, domain):
                    by_domain[pattern].add(organization_id)
    return [
        CompiledRule(
            id=rule.pk,
            name=rule.name,
            position=rule.position,
            team_id=rule.team_id,
            team_name=rule.team.name,
            organization_ids=frozenset(listed[rule.pk]) if rule.by_organization else None,
            tag_organization_ids=frozenset(by_tag[rule.organization_tag]) if rule.organization_tag else None,
            domain=rule.domain,
            domain_organization_ids=frozenset(by_domain[rule.domain]) if rule.domain else None,
            channel=rule.channel,
            enduser_tag=rule.enduser_tag,
        )
        for rule in rules
    ]


def _any_tag(tags: set[str]):
    from django.db.models import Q

    condition = Q()
    for tag in tags:
        if connection.vendor == "postgresql":
            condition |= Q(tags__contains=[tag])
        else:
            condition |= Q(tags__icontains=f'"{tag}"')  # SQLite keeps the list as JSON text
    return condition


def _any_domain(patterns: set[str]):
    from django.db.models import Q

    condition = Q()
    for pattern in patterns:
        if pattern.startswith("."):
            condition |= Q(domain__endswith=pattern)
        else:
            condition |= Q(domain=pattern) | Q(domain__endswith="." + pattern)
    return condition
