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
from collections.abc import Callable

from django.db import connection
from django.db.models import JSONField, Model
from django.utils import timezone

from imports.columns import FIELDS
from imports.rows import UserRow
from organizations.models import Membership
from profiles.models import EndUser, EndUserSource, Identity

# COPY's text format: these four characters are written as escapes, NULL as \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")

_USER_FIELDS = tuple(EndUser._meta.get_field(name) for name in FIELDS)


def insert_profiles(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> None:
    """Insert a profile (source import) for each of `rows` with its identities (the first of each kind primary)
    and, per row, its memberships: (organization id, default)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        insert_by_copy(rows, memberships)
    else:
        insert_by_orm(rows, memberships)


def model_values(row: UserRow) -> dict:
    """The EndUser field values of `row`'s profile columns: a column's empty cell is the field's default."""
    profile = row.profile
    return {
        field.name: value if (value := profile[field.name]) is not None else field.get_default()
        for field in _USER_FIELDS
    }


def _identities(row: UserRow):
    """(kind, value, normalized, primary) of each identity of `row`: the first of each kind is its primary."""
    kinds = set()
    for identity in row.identities:
        yield identity.kind, identity.value, identity.normalized, identity.kind not in kinds
        kinds.add(identity.kind)


def insert_by_orm(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> None:
    """`insert_profiles` with bulk_create (SQLite; on PostgreSQL only to compare with `insert_by_copy`)."""
    users = EndUser.objects.bulk_create(
        [EndUser(**model_values(row), source=EndUserSource.IMPORT) for row in rows], batch_size=500
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


def _escaped(value: str) -> str:
    return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


def _copy_encoder(field) -> Callable[[object], str]:
    """How a present value of `field` is written in COPY's text format."""
    if isinstance(field, JSONField):
        return lambda value: _escaped(json.dumps(value))
    if field.get_internal_type() == "BooleanField":
        return lambda value: "t" if value else "f"
    if field.get_internal_type() in ("CharField", "TextField"):
        return _escaped  # the parsed value is already text
    return lambda value: _escaped(str(value))


def _copy_column(field) -> tuple[str, Callable[[object], str], str]:
    """The field's name, its encoder, and its default (what an empty cell writes) as COPY text."""
    encode = _copy_encoder(field)
    default = field.get_default()
    return field.name, encode, NULL if default is None else encode(default)


_USER_COPY = tuple(_copy_column(field) for field in _USER_FIELDS)


def _staging_ddl() -> tuple[str, ...]:
    """The temporary staging tables: the profile columns of the spec in their fields' own SQL types."""
    user_columns = "".join(f", {connection.ops.quote_name(f.column)} {f.db_type(connection)}" for f in _USER_FIELDS)
    return (
        # %s: the profiles' id sequence, so staged profiles take their ids as they are copied in.
        "CREATE TEMP TABLE IF NOT EXISTS imports_staged_user (line integer,"
        f" id bigint NOT NULL DEFAULT nextval(%s::regclass){user_columns})",
        "CREATE TEMP TABLE IF NOT EXISTS imports_staged_identity"
        " (line integer, kind text, value text, normalized text, is_primary boolean)",
        "CREATE TEMP TABLE IF NOT EXISTS imports_staged_membership"
        " (line integer, organization_id bigint, is_default boolean)",
        "TRUNCATE imports_staged_user, imports_staged_identity, imports_staged_membership",
    )


def copy_text(row: UserRow) -> tuple[str, str]:
    """The COPY text lines of `row` for the staging tables: its profile (the spec's fields, in order), and its
    identities (the first of each kind primary). Values are escaped only when they hold a tab, backslash or line
    break (they rarely do)."""
    profile = row.profile
    cells = [str(row.line)]
    for name, encode, default in _USER_COPY:
        value = profile[name]
        cells.append(default if value is None else encode(value))
    user = "\t".join(cells) + "\n"
    identities = "".join(
        f"{row.line}\t{kind}\t{_escaped(value)}\t{_escaped(normalized)}\t{'t' if primary else 'f'}\n"
        for kind, value, normalized, primary in _identities(row)
    )
    return user, identities


def insert_by_copy(rows: list[UserRow], memberships: list[list[tuple[int, bool]]]) -> None:
    """`insert_profiles` on PostgreSQL: COPY into the staging tables, then one INSERT … SELECT per table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [EndUser._meta.db_table])
        sequence = cursor.fetchone()[0]
        for statement in _staging_ddl():
            cursor.execute(statement, [sequence] if "%s" in statement else None)
    texts = [row.copy_text or copy_text(row) for row in rows]  # computed by the checking worker when there is one
    membership_text = "".join(
        f"{row.line}\t{organization_id}\t{'t' if default else 'f'}\n"
        for row, row_memberships in zip(rows, memberships, strict=True)
        for organization_id, default in row_memberships
    )
    user_columns = ", ".join(connection.ops.quote_name(field.column) for field in _USER_FIELDS)
    with connection.connection.cursor() as cursor:
        for table, text in (
            (f"imports_staged_user (line, {user_columns})", "".join(t[0] for t in texts)),
            ("imports_staged_identity", "".join(t[1] for t in texts)),
            ("imports_staged_membership", membership_text),
        ):
            if text:
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(text)
    # The time of this process like the ORM's auto_now, not now(): that is when the (test's) transaction began.
    now = timezone.now()
    staged_user = {field.column: f"u.{connection.ops.quote_name(field.column)}" for field in _USER_FIELDS}
    user_insert, user_params = _insert_select(EndUser(source=EndUserSource.IMPORT), {"id": "u.id", **staged_user}, now)
    identity_insert, identity_params = _insert_select(
        Identity(),
        {"user_id": "u.id", "kind": "i.kind", "value": "i.value", "normalized": "i.normalized",
         "is_primary": "i.is_primary"},
        now,
    )  # fmt: skip
    membership_insert, membership_params = _insert_select(
        Membership(), {"user_id": "u.id", "organization_id": "m.organization_id", "is_default": "m.is_default"}, now
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{user_insert} FROM imports_staged_user u", user_params)
        cursor.execute(
            f"{identity_insert} FROM imports_staged_identity i JOIN imports_staged_user u USING (line)"
            # In key order: the unique (kind, normalized) index is bigger than the buffer cache, and random
            # inserts would each fetch a page; ordered ones sweep the index once.
            " ORDER BY i.kind, i.normalized",
            identity_params,
        )
        cursor.execute(
            f"{membership_insert} FROM imports_staged_membership m JOIN imports_staged_user u USING (line)",
            membership_params,
        )


def _insert_select(template: Model, staged: dict[str, str], now) -> tuple[str, list]:
    """`INSERT INTO <table> (<columns>) SELECT <values>` writing every concrete column (generated ones aside): the
    staged SQL expression given for it, else the value the ORM would write for `template` (defaults; `now` for
    auto_now and auto_now_add), like `profiles.services.intake_sql`."""
    quote = connection.ops.quote_name
    columns, values, params = [], [], []
    for field in template._meta.concrete_fields:
        if getattr(field, "generated", False) or (field.primary_key and field.column not in staged):
            continue
        columns.append(quote(field.column))
        if field.column in staged:
            values.append(staged[field.column])
            continue
        values.append("%s")
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            params.append(field.get_db_prep_save(now, connection=connection))
        else:
            params.append(field.get_db_prep_save(field.pre_save(template, add=True), connection=connection))
    return f"INSERT INTO {quote(template._meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(values)}", params
