"""Inserting the new profiles of one chunk of an import, set-based.

PostgreSQL: the rows are COPYed (psycopg 3) into temporary staging tables keyed by
the file's line, as text: each row's lines of COPY text are built where the row is
checked (`copy_text`, in the checking worker processes for big files), so the
writer only joins strings. The staged profiles take their ids from the sequence as
they arrive (a column default), and one INSERT … SELECT per table moves them, the
identities and memberships finding their profile's id through the line.
SQLite (the zero-setup demo): bulk_create, which returns the new keys. Both
insert exactly the same rows; a unique key taken meanwhile by another writer
raises IntegrityError and the caller retries row by row.
"""

from __future__ import annotations

import json
import re

from django.db import connection
from django.utils import timezone

from imports.rows import UserRow
from organizations.models import Membership
from profiles.models import EndUser, EndUserSource, Identity

# COPY's text format: these four characters are written as escapes, NULL as \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


def insert_profiles(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> None:
    """Insert a profile (source import) for each of `rows` with its identities (the first of each kind primary)
    and, per row, its memberships: (organization id, default)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _insert_postgres(rows, memberships)
    else:
        _insert_orm(rows, memberships)


def _identities(row: UserRow):
    """(kind, value, normalized, primary) of each identity of `row`: the first of each kind is its primary."""
    kinds = set()
    for identity in row.identities:
        yield identity.kind, identity.value, identity.normalized, identity.kind not in kinds
        kinds.add(identity.kind)


def _insert_orm(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> None:
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


_STAGING = (
    # %s: the profiles' id sequence, so staged profiles take their ids as they are copied in.
    "CREATE TEMP TABLE IF NOT EXISTS imports_staged_user (line integer, id bigint NOT NULL DEFAULT"
    " nextval(%s::regclass), name text, details text, notes text, tags jsonb, external_id text)",
    "CREATE TEMP TABLE IF NOT EXISTS imports_staged_identity"
    " (line integer, kind text, value text, normalized text, is_primary boolean)",
    "CREATE TEMP TABLE IF NOT EXISTS imports_staged_membership"
    " (line integer, organization_id bigint, is_default boolean)",
    "TRUNCATE imports_staged_user, imports_staged_identity, imports_staged_membership",
)


def copy_text(row: UserRow) -> tuple[str, str]:
    """The COPY text lines of `row` for the staging tables: its profile, and its identities (the first of each
    kind primary). Values are escaped only when they hold a tab, backslash or line break (they rarely do)."""
    values = (row.name or "", row.details or "", row.notes or "", json.dumps(row.tags) if row.tags else "[]")
    name, details, notes, tags = (_escaped(value) for value in values)
    external_id = _escaped(row.external_id) if row.external_id else NULL
    user = f"{row.line}\t{name}\t{details}\t{notes}\t{tags}\t{external_id}\n"
    identities = "".join(
        f"{row.line}\t{kind}\t{_escaped(value)}\t{_escaped(normalized)}\t{'t' if primary else 'f'}\n"
        for kind, value, normalized, primary in _identities(row)
    )
    return user, identities


def _escaped(value: str) -> str:
    return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


def _insert_postgres(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> None:
    qn = connection.ops.quote_name
    users, identities, members = (qn(m._meta.db_table) for m in (EndUser, Identity, Membership))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [EndUser._meta.db_table])
        sequence = cursor.fetchone()[0]
        for statement in _STAGING:
            cursor.execute(statement, [sequence] if "%s" in statement else None)
    texts = [row.copy_text or copy_text(row) for row in rows]  # computed by the checking worker when there is one
    membership_text = "".join(
        f"{row.line}\t{organization_id}\t{'t' if default else 'f'}\n"
        for row, row_memberships in zip(rows, memberships, strict=True)
        for organization_id, default in row_memberships
    )
    with connection.connection.cursor() as cursor:
        for table, text in (
            ("imports_staged_user (line, name, details, notes, tags, external_id)", "".join(t[0] for t in texts)),
            ("imports_staged_identity", "".join(t[1] for t in texts)),
            ("imports_staged_membership", membership_text),
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
            " FROM imports_staged_user",
            [EndUserSource.IMPORT.value, now, now],
        )
        cursor.execute(
            f"INSERT INTO {identities} (user_id, kind, value, normalized, is_primary, verified, created_at)"
            " SELECT u.id, i.kind, i.value, i.normalized, i.is_primary, false, %s"
            " FROM imports_staged_identity i JOIN imports_staged_user u USING (line)"
            # In key order: the unique (kind, normalized) index is bigger than the buffer cache, and random
            # inserts would each fetch a page; ordered ones sweep the index once.
            " ORDER BY i.kind, i.normalized",
            [now],
        )
        cursor.execute(
            f"INSERT INTO {members} (user_id, organization_id, is_default, created_at)"
            " SELECT u.id, m.organization_id, m.is_default, %s"
            " FROM imports_staged_membership m JOIN imports_staged_user u USING (line)",
            [now],
        )
