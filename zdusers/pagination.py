"""A paginator that never counts a big table row by row.

On PostgreSQL the planner's row estimate (EXPLAIN) stands in for COUNT(*) when
it says the result is large; small results are counted exactly. Other databases
count exactly (the SQLite demo is small).
"""

from __future__ import annotations

import json
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import PageNotAnInteger, Paginator
from django.db import connections
from django_tables2 import LazyPaginator

# Databases keep OFFSET in a signed 64-bit integer; a page beyond it is no page at all.
MAX_OFFSET = 2**62


class BoundedLazyPaginator(LazyPaginator):
    """django-tables2's count-free paginator, with page numbers bounded: `?page=99999999999999999999` is read
    as "not a page number" (the table shows its first page) instead of an OFFSET the database refuses."""

    def validate_number(self, number):
        number = super().validate_number(number)
        if number * self.per_page > MAX_OFFSET:
            raise PageNotAnInteger("That page number is too large.")
        return number


# Below this estimate an exact COUNT(*) is cheap enough and nicer to read.
EXACT_COUNT_LIMIT = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        try:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # queryset.none(), or a filter that can match nothing: no SQL to explain
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate < EXACT_COUNT_LIMIT:
            return super().count
        return estimate
