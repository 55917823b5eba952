"""Re-routing an organization's open contacts in set-based statements: the rules become one SQL CASE.

For one organization, the conditions on the organization itself (its listing, tag and domains) are
known before the statement runs, so each rule becomes either nothing (it can't match) or a WHEN on what
varies per contact: its channel, the requester's tags and the email it came through.
"""

from __future__ import annotations

import json

from django.db import connection

from organizations.routing.models import ContactRoute, RouteChange, RoutingRule, RoutingState, Team
from organizations.routing.rules import CompiledRule
from profiles.models import Contact, ContactStatus, EndUser, Identity

OPEN_STATUSES = (ContactStatus.NEW, ContactStatus.OPEN, ContactStatus.PENDING)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _when(rule: CompiledRule, organization_id: int) -> tuple[str, list] | None:
    """The SQL condition for `rule` on one contact of the organization, or None when it can't match."""
    if not rule.matches_organization(organization_id):
        return None
    parts, params = [], []
    if rule.channel:
        parts.append("c.channel = %s")
        params.append(rule.channel)
    if rule.enduser_tag:
        if connection.vendor == "postgresql":
            parts.append("u.tags @> %s::jsonb")
            params.append(json.dumps([rule.enduser_tag]))
        else:
            parts.append("EXISTS (SELECT 1 FROM json_each(u.tags) WHERE json_each.value = %s)")
            params.append(rule.enduser_tag)
    if rule.domain and organization_id not in (rule.domain_organization_ids or ()):
        if rule.domain.startswith("."):
            parts.append("(i.kind = %s AND i.normalized LIKE %s)")
            params += [Identity.Kind.EMAIL, "%" + rule.domain]
        else:
            parts.append("(i.kind = %s AND (i.normalized LIKE %s OR i.normalized LIKE %s))")
            params += [Identity.Kind.EMAIL, "%@" + rule.domain, "%." + rule.domain]
    return (" AND ".join(parts) or "1 = 1"), params


def _decided(rules: tuple[CompiledRule, ...], organization_id: int) -> tuple[str, list]:
    """`WITH decided AS (contact_id, rule_id)`: each open contact of the organization and its first matching rule."""
    whens, params = [], []
    for rule in rules:
        when = _when(rule, organization_id)
        if when is not None:
            whens.append(f"WHEN {when[0]} THEN %s")
            params += [*when[1], rule.id]
    case = f"CASE {' '.join(whens)} ELSE NULL END" if whens else "NULL"
    statuses = ", ".join(["%s"] * len(OPEN_STATUSES))
    sql = (
        f"WITH decided AS (SELECT c.id AS contact_id, {case} AS rule_id"
        f" FROM {_t(Contact)} c JOIN {_t(EndUser)} u ON u.id = c.requester_id"
        f" LEFT JOIN {_t(Identity)} i ON i.id = c.via_identity_id"
        f" WHERE c.organization_id = %s AND c.status IN ({statuses}))"
    )
    return sql, [*params, organization_id, *OPEN_STATUSES]


_CHANGED = "(r.contact_id IS NULL OR COALESCE(r.team_id, 0) <> COALESCE(ru.team_id, 0))"


def _joins() -> str:
    return (
        f" FROM decided d LEFT JOIN {_t(ContactRoute)} r ON r.contact_id = d.contact_id"
        f" LEFT JOIN {_t(RoutingRule)} ru ON ru.id = d.rule_id"
        f" LEFT JOIN {_t(Team)} t ON t.id = ru.team_id"
    )


def preview(rules: tuple[CompiledRule, ...], organization_id: int) -> list[tuple[int | None, str, int, int]]:
    """(team id, team name, open contacts the rules send there, of which now elsewhere), one row per team."""
    decided, params = _decided(rules, organization_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{decided} SELECT ru.team_id, t.name, COUNT(*), SUM(CASE WHEN {_CHANGED} THEN 1 ELSE 0 END)"
            f"{_joins()} GROUP BY ru.team_id, t.name ORDER BY t.name",
            params,
        )
        return [(team_id, name or "", total, changed or 0) for team_id, name, total, changed in cursor.fetchall()]


def reroute(
    rules: tuple[CompiledRule, ...], organization_id: int, *, at, actor_id: int | None, reason: str, kind: str
) -> int:
    """Record the change of each open contact whose team the rules now decide differently, then apply them.

    Two statements: an INSERT … SELECT of the history rows (what each contact leaves), then an upsert of
    the routes. Contacts whose team stays the same keep their record as it is. Returns the contacts moved.
    """
    decided, params = _decided(rules, organization_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{decided} INSERT INTO {_t(RouteChange)} (contact_id, kind, at, actor_id, reason, from_team_name,"
            " from_rule_name, from_kind, to_team_id, to_team_name, rule_name)"
            " SELECT d.contact_id, %s, %s, %s, %s, COALESCE(r.team_name, ''), COALESCE(r.rule_name, ''),"
            " COALESCE(r.kind, ''), ru.team_id, COALESCE(t.name, ''), COALESCE(ru.name, '')"
            f"{_joins()} WHERE {_CHANGED}",
            [*params, kind, at, actor_id, reason],
        )
        moved = _rowcount(cursor)
        cursor.execute(
            f"{decided} INSERT INTO {_t(ContactRoute)} (contact_id, team_id, team_name, rule_id, rule_name, kind,"
            " routed_at, routed_by_id, reason, first_kind, first_team_name, first_rule_name)"
            " SELECT d.contact_id, ru.team_id, COALESCE(t.name, ''), ru.id, COALESCE(ru.name, ''), %s, %s, %s, %s,"
            " '', '', ''"
            f"{_joins()} WHERE {_CHANGED}"
            " ON CONFLICT (contact_id) DO UPDATE SET team_id = excluded.team_id, team_name = excluded.team_name,"
            " rule_id = excluded.rule_id, rule_name = excluded.rule_name, kind = excluded.kind,"
            " routed_at = excluded.routed_at, routed_by_id = excluded.routed_by_id, reason = excluded.reason",
            [*params, kind, at, actor_id, reason],
        )
    return moved


def _rowcount(cursor) -> int:
    """Rows the last statement wrote (Python's sqlite3 reports -1 for a statement that starts with WITH)."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
    return cursor.rowcount


_ROUTE_COLUMNS = (
    "contact_id",
    "team_id",
    "team_name",
    "rule_id",
    "rule_name",
    "kind",
    "routed_at",
    "routed_by_id",
    "reason",
    "first_kind",
    "first_team_name",
    "first_rule_name",
)


def insert_route_if_current(route: ContactRoute, *, stamp: str) -> bool:
    """INSERT `route` only if the rules' stamp is still `stamp`, in one statement; False when it moved.

    The stamp row is read FOR SHARE (PostgreSQL) in the same statement: a rule change either commits
    before it (then nothing is inserted and the caller recompiles) or waits for this transaction.
    """
    values = []
    for column in _ROUTE_COLUMNS:
        field = ContactRoute._meta.get_field(column.removesuffix("_id") if column.endswith("_id") else column)
        values.append(field.get_db_prep_save(getattr(route, field.attname), connection=connection))
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_t(ContactRoute)} ({', '.join(_ROUTE_COLUMNS)})"
            f" SELECT {', '.join(['%s'] * len(values))} FROM {_t(RoutingState)} s"
            f" WHERE s.id = 1 AND s.stamp = %s{lock}",
            [*values, stamp],
        )
        return cursor.rowcount == 1
