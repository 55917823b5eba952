"""Database facts that pages and commands need without scanning big tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

# Below this many rows an exact COUNT(*) is cheap.
EXACT_COUNT_BELOW = 100_000


def estimated_row_count(model: type[models.Model]) -> int:
    """An exact count on small tables, PostgreSQL's statistics estimate on big ones (no full COUNT(*))."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            row = cursor.fetchone()
        if row and row[0] >= EXACT_COUNT_BELOW:
            return int(row[0])
    return model.objects.count()


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write rows into `model`'s table with PostgreSQL's COPY (the fast path for bulk writes)."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row(row)
