"""Database facts that pages and commands need without scanning big tables."""

from __future__ import annotations

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
