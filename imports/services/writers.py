"""Inserting the new profiles of one chunk of an import, set-based.

PostgreSQL: the rows are COPYed (psycopg 3) into temporary staging tables, then
moved with one INSERT … SELECT per table, with primary keys taken from the
sequence beforehand so identities and memberships can reference their profile.
SQLite (the zero-setup demo): bulk_create, which returns the new keys. Both
insert exactly the same rows; a unique key taken meanwhile by another writer
raises IntegrityError and the caller retries row by row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import connection

from organizations.models import Membership
from profiles.models import EndUser, EndUserSource, Identity


@dataclass
class NewProfile:
    line: int
    name: str
    details: str
    notes: str
    tags: list[str]
    external_id: str | None
    identities: list[tuple[str, str, str, bool]] = field(default_factory=list)  # kind, value, normalized, primary
    memberships: list[tuple[int, bool]] = field(default_factory=list)  # organization id, default


def insert_profiles(profiles: list[NewProfile]) -> list[int]:
    """Insert the profiles with their identities and memberships; returns their new ids in the same order."""
    if not profiles:
        return []
    if connection.vendor == "postgresql":
        return _insert_postgres(profiles)
    return _insert_orm(profiles)


def _insert_orm(profiles: list[NewProfile]) -> list[int]:
    users = EndUser.objects.bulk_create(
        [
            EndUser(
                name=p.name,
                details=p.details,
                notes=p.notes,
                tags=p.tags,
                external_id=p.external_id,
                source=EndUserSource.IMPORT,
            )
            for p in profiles
        ],
        batch_size=500,
    )
    Identity.objects.bulk_create(
        [
            Identity(user_id=user.pk, kind=kind, value=value, normalized=normalized, is_primary=primary)
            for user, p in zip(users, profiles, strict=True)
            for kind, value, normalized, primary in p.identities
        ],
        batch_size=500,
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=user.pk, organization_id=organization_id, is_default=default)
            for user, p in zip(users, profiles, strict=True)
            for organization_id, default in p.memberships
        ],
        batch_size=500,
    )
    return [user.pk for user in users]


_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS imports_stage_user"
    " (id bigint, name text, details text, notes text, tags jsonb, external_id text)",
    "CREATE TEMP TABLE IF NOT EXISTS imports_stage_identity"
    " (user_id bigint, kind text, value text, normalized text, is_primary boolean)",
    "CREATE TEMP TABLE IF NOT EXISTS imports_stage_membership"
    " (user_id bigint, organization_id bigint, is_default boolean)",
    "TRUNCATE imports_stage_user, imports_stage_identity, imports_stage_membership",
)


def _insert_postgres(profiles: list[NewProfile]) -> list[int]:
    qn = connection.ops.quote_name
    users, identities, memberships = (qn(m._meta.db_table) for m in (EndUser, Identity, Membership))
    with connection.cursor() as cursor:
        for statement in _STAGING:
            cursor.execute(statement)
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [EndUser._meta.db_table, len(profiles)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    with connection.connection.cursor() as cursor:
        with cursor.copy("COPY imports_stage_user FROM STDIN") as copy:
            for user_id, p in zip(ids, profiles, strict=True):
                copy.write_row((user_id, p.name, p.details, p.notes, json.dumps(p.tags), p.external_id))
        with cursor.copy("COPY imports_stage_identity FROM STDIN") as copy:
            for user_id, p in zip(ids, profiles, strict=True):
                for kind, value, normalized, primary in p.identities:
                    copy.write_row((user_id, kind, value, normalized, primary))
        with cursor.copy("COPY imports_stage_membership FROM STDIN") as copy:
            for user_id, p in zip(ids, profiles, strict=True):
                for organization_id, default in p.memberships:
                    copy.write_row((user_id, organization_id, default))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {users} (id, name, locale, time_zone, details, notes, tags, external_id, source,"
            " suspended, created_at, updated_at)"
            " SELECT id, name, '', '', details, notes, tags, external_id, %s, false, now(), now()"
            " FROM imports_stage_user",
            [EndUserSource.IMPORT.value],
        )
        cursor.execute(
            f"INSERT INTO {identities} (user_id, kind, value, normalized, is_primary, verified, created_at)"
            " SELECT user_id, kind, value, normalized, is_primary, false, now() FROM imports_stage_identity"
        )
        cursor.execute(
            f"INSERT INTO {memberships} (user_id, organization_id, is_default, created_at)"
            " SELECT user_id, organization_id, is_default, now() FROM imports_stage_membership"
        )
    return ids
