"""The statements on intake's hot path, in plain SQL built from the models' own fields.

Inbound contacts have a budget of 500/s in one process (DESIGN.md). Through the
ORM a contact took about seven round trips and 1.5 ms of query compilation; here
a known customer's contact is two statements (`lookup`, `insert_contact`) and, on
PostgreSQL, a new customer's is two as well (`lookup`, `create_profile_with_contact`).

The INSERTs are generated from the model instances the service builds, with each
field's own `pre_save()` and `get_db_prep_save()` (what Django's insert compiler
does), so defaults, `auto_now_add` timestamps and JSON values stay the ORM's and a
new field needs no change here. Only the transaction shape is decided by the caller
(`intake.services.contacts`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from organizations.models import Membership, OrganizationDomain
from profiles.models import Contact, EndUser, Identity

# PostgreSQL runs the three INSERTs of a new profile as one statement (data-modifying CTEs); SQLite cannot.
CREATES_PROFILE_IN_ONE_STATEMENT = {"postgresql"}


@dataclass(frozen=True)
class Found:
    """What `lookup()` found for a contact point and message id."""

    first_delivery: tuple[int, int] | None = None  # (contact id, requester id) of an earlier delivery
    identity_id: int | None = None  # the identity with exactly this kind and key
    owner_id: int | None = None  # the profile owning the contact point (maybe a tombstone)
    owner_merged_into_id: int | None = None  # where that profile was merged, if it was
    organization_id: int | None = None  # that profile's default organization
    domain_auto_assigns: bool = False  # the contact point is an email whose domain auto-assigns
    owner_tags: tuple[str, ...] = ()  # that profile's tags (routing rules may test them)


def locks_phone_lines() -> bool:
    """Whether creating a profile for a new phone line takes the line's lock: on PostgreSQL (SQLite lets one
    writer in at a time anyway)."""
    return connection.vendor == "postgresql"


def lock_line(e164: str) -> None:
    """Hold, until the transaction ends, the lock on one phone line (phone and WhatsApp alike)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ["zdusers line " + e164])


def lookup(*, channel: str, source_ref: str | None, kinds: tuple[str, ...], normalized: str, kind: str) -> Found:
    """An earlier delivery of (channel, source_ref), else the identities holding the key, in one statement.

    `kinds` are the identity kinds sharing the key (phone and WhatsApp); the one of
    kind `kind` wins. For an email, also whether its domain auto-assigns, so a new
    profile at a free-mail address skips `auto_assign_by_email`, which decides the rest.
    """
    domain = normalized.rpartition("@")[2] if kind == Identity.Kind.EMAIL else None
    with connection.cursor() as cursor:
        cursor.execute(
            _LOOKUP.format(kinds=", ".join(["%s"] * len(kinds))),
            [channel, source_ref, True, *kinds, normalized, domain, True],
        )
        rows = cursor.fetchall()
    by_source: dict[str, list[tuple]] = {"contact": [], "identity": [], "domain": []}
    for row in rows:
        by_source[row[0]].append(row)
    if by_source["contact"]:
        _, contact_id, requester_id, *_ = by_source["contact"][0]
        return Found(first_delivery=(contact_id, requester_id))
    domain_auto_assigns = bool(by_source["domain"])
    if not by_source["identity"]:
        return Found(domain_auto_assigns=domain_auto_assigns)
    exact = next((row for row in by_source["identity"] if row[3] == kind), None)
    _, _, owner_id, _, merged_into_id, organization_id, tags = exact or by_source["identity"][0]
    return Found(
        identity_id=exact[1] if exact else None,
        owner_id=owner_id,
        owner_merged_into_id=merged_into_id,
        organization_id=organization_id,
        domain_auto_assigns=domain_auto_assigns,
        owner_tags=tuple(_json_list(tags)),
    )


def _json_list(value) -> list:
    """A JSON column read by raw SQL: text on SQLite, text or a list on PostgreSQL depending on the driver."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str | bytes) else list(value)


def insert_contact(contact: Contact) -> int | None:
    """Insert `contact` if its requester is a live profile; return its id, or None when the requester is a tombstone.

    On PostgreSQL the requester row is read FOR SHARE: a merge, which locks the
    profiles it merges FOR UPDATE before moving their contacts, either waits for
    this contact and moves it too, or commits first, and then nothing is inserted.
    """
    insert, params = _insert_select(contact, {"requester_id": "u.id"})
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} FROM {_table(EndUser)} u WHERE u.id = %s AND u.merged_into_id IS NULL{lock} RETURNING id",
            [*params, contact.requester_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def create_profile_with_contact(*, user: EndUser, identity: Identity, contact: Contact) -> tuple[int, int, int]:
    """Insert a new profile, its identity and its contact in one statement; return their ids (PostgreSQL only).

    A concurrent delivery that created the same identity first makes the whole
    statement fail with IntegrityError, leaving nothing behind.
    """
    user_insert, user_params = _insert_select(user, {})
    identity_insert, identity_params = _insert_select(identity, {"user_id": "new_user.id"})
    contact_insert, contact_params = _insert_select(
        contact, {"requester_id": "new_identity.user_id", "via_identity_id": "new_identity.id"}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new_user AS ({user_insert} RETURNING id),"
            f" new_identity AS ({identity_insert} FROM new_user RETURNING id, user_id)"
            f" {contact_insert} FROM new_identity RETURNING requester_id, via_identity_id, id",
            [*user_params, *identity_params, *contact_params],
        )
        return cursor.fetchone()


def _insert_select(instance: Model, expressions: dict[str, str]) -> tuple[str, list]:
    """`INSERT INTO <table> (<columns>) SELECT <values>` for an unsaved instance, with some columns as SQL.

    Every concrete column but the primary key (and generated ones) is written: the
    instance's value prepared as the ORM would, or the SQL expression given for it.
    """
    quote = connection.ops.quote_name
    columns, values, params = [], [], []
    for field in instance._meta.concrete_fields:
        if field.primary_key or getattr(field, "generated", False):
            continue
        columns.append(quote(field.column))
        if field.column in expressions:
            values.append(expressions[field.column])
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(instance, add=True), connection=connection))
    return f"INSERT INTO {_table(type(instance))} ({', '.join(columns)}) SELECT {', '.join(values)}", params


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# Rows: (source, id, user or requester id, kind, merged_into_id, default organization id, the user's tags).
_LOOKUP = (
    f"SELECT 'contact', c.id, c.requester_id, NULL, NULL, NULL, NULL FROM \"{Contact._meta.db_table}\" c"
    " WHERE c.channel = %s AND c.source_ref = %s"
    " UNION ALL"
    " SELECT 'identity', i.id, i.user_id, i.kind, u.merged_into_id,"
    f' (SELECT m.organization_id FROM "{Membership._meta.db_table}" m'
    "  WHERE m.user_id = i.user_id AND m.is_default = %s), u.tags"
    f' FROM "{Identity._meta.db_table}" i JOIN "{EndUser._meta.db_table}" u ON u.id = i.user_id'
    " WHERE i.kind IN ({kinds}) AND i.normalized = %s"
    " UNION ALL"
    f" SELECT 'domain', d.id, NULL, NULL, NULL, NULL, NULL FROM \"{OrganizationDomain._meta.db_table}\" d"
    " WHERE d.domain = %s AND d.auto_assign = %s"
)
