"""Inserting the new profiles of one chunk of an import, set-based.

PostgreSQL: the rows are COPYed (psycopg 3, as text built straight from the checked
rows: no object per profile, identity or membership) into temporary staging tables,
then moved with one INSERT … SELECT per table, with primary keys taken from the
sequence beforehand so identities and memberships can reference their profile.
SQLite (the zero-setup demo): bulk_create, which returns the new keys. Both
insert exactly the same rows; a unique key taken meanwhile by another writer
raises IntegrityError and the caller retries row by row.
"""

from __future__ import annotations

import json

from django.db import connection
from django.utils import timezone

from imports.rows import UserRow
from organizations.models import Membership
from profiles.models import EndUser, EndUserSource, Identity

# COPY's text format: these four characters are written as escapes, NULL as \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def insert_profiles(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> list[int]:
    """Insert a profile (source import) for each of `rows` with its identities (the first of each kind primary)
    and, per row, its memberships: (organization id, default). Returns the new ids in the same order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _insert_postgres(rows, memberships)
    return _insert_orm(rows, memberships)


def _identities(row: UserRow):
    """(kind, value, normalized, primary) of each identity of `row`: the first of each kind is its primary."""
    kinds = set()
    for identity in row.identities:
        yield identity.kind, identity.value, identity.normalized, identity.kind not in kinds
        kinds.add(identity.kind)


def _insert_orm(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> list[int]:
    users = EndUser.objects.bulk_create(
        [
            EndUser(
                name=row.name,
                details=row.details or "",
                notes=row.notes or "",
                tags=row.tags,
                external_id=row.external_id,
                source=EndUserSource.IMPORT,
            )
            for row in rows
        ],
        batch_size=500,
    )
    Identity.objects.bulk_create(
        [
            Identity(user_id=user.pk, kind=kind, value=value, normalized=normalized, is_primary=primary)
            for user, row in zip(users, rows, strict=True)
            for kind, value, normalized, primary in _identities(row)
        ],
        batch_size=500,
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=user.pk, organization_id=organization_id, is_default=default)
            for user, row_memberships in zip(users, memberships, strict=True)
            for organization_id, default in row_memberships
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


def _copy_texts(ids: list[int], rows: list[UserRow], *, escape: bool) -> tuple[str, str]:
    """The COPY text of the staged profiles and of their identities. Escaping every value costs more than
    the rest of building the text, and values almost never need it: build without, check, build again with."""
    text = (lambda value: value.translate(_COPY_ESCAPES)) if escape else (lambda value: value)
    users = "".join(
        f"{user_id}\t{text(row.name)}\t{text(row.details or '')}\t{text(row.notes or '')}"
        f"\t{text(json.dumps(row.tags)) if row.tags else '[]'}\t{text(row.external_id or '') or NULL}\n"
        for user_id, row in zip(ids, rows, strict=True)
    )
    identities = "".join(
        f"{user_id}\t{kind}\t{text(value)}\t{text(normalized)}\t{'t' if primary else 'f'}\n"
        for user_id, row in zip(ids, rows, strict=True)
        for kind, value, normalized, primary in _identities(row)
    )
    return users, identities


def _well_formed(user_text: str, identity_text: str, rows: list[UserRow]) -> bool:
    """Whether unescaped text has exactly the separators, line ends and NULL markers it was built with."""
    identities = sum(len(row.identities) for row in rows)
    nulls = sum(1 for row in rows if not row.external_id)
    return (
        user_text.count("\t") == 5 * len(rows)
        and user_text.count("\n") == len(rows)
        and user_text.count("\\") == nulls
        and identity_text.count("\t") == 4 * identities
        and identity_text.count("\n") == identities
        and "\\" not in identity_text
        and "\r" not in user_text
        and "\r" not in identity_text
    )


def _insert_postgres(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> list[int]:
    qn = connection.ops.quote_name
    users, identities, members = (qn(m._meta.db_table) for m in (EndUser, Identity, Membership))
    with connection.cursor() as cursor:
        for statement in _STAGING:
            cursor.execute(statement)
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [EndUser._meta.db_table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    user_text, identity_text = _copy_texts(ids, rows, escape=False)
    if not _well_formed(user_text, identity_text, rows):
        user_text, identity_text = _copy_texts(ids, rows, escape=True)  # some value holds a tab, \\, \n or \r
    membership_text = "".join(
        f"{user_id}\t{organization_id}\t{'t' if default else 'f'}\n"
        for user_id, row_memberships in zip(ids, memberships, strict=True)
        for organization_id, default in row_memberships
    )
    with connection.connection.cursor() as cursor:
        for table, text in (
            ("imports_stage_user", user_text),
            ("imports_stage_identity", identity_text),
            ("imports_stage_membership", membership_text),
        ):
            if text:
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(text)
    # The time of this process like the ORM's auto_now, not now(): that is when the (test's) transaction began.
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {users} (id, name, locale, time_zone, details, notes, tags, external_id, source,"
            " suspended, created_at, updated_at)"
            " SELECT id, name, '', '', details, notes, tags, external_id, %s, false, %s, %s"
            " FROM imports_stage_user",
            [EndUserSource.IMPORT.value, now, now],
        )
        cursor.execute(
            f"INSERT INTO {identities} (user_id, kind, value, normalized, is_primary, verified, created_at)"
            " SELECT user_id, kind, value, normalized, is_primary, false, %s FROM imports_stage_identity"
            # In key order: the unique (kind, normalized) index is bigger than the buffer cache, and random
            # inserts would each fetch a page; ordered ones sweep the index once.
            " ORDER BY kind, normalized",
            [now],
        )
        cursor.execute(
            f"INSERT INTO {members} (user_id, organization_id, is_default, created_at)"
            " SELECT user_id, organization_id, is_default, %s FROM imports_stage_membership",
            [now],
        )
    return ids
