"""A paginator that never counts a big table row by row.

On PostgreSQL the planner's row estimate (EXPLAIN) stands in for COUNT(*) when
it says the result is large; small results are counted exactly. Other databases
count exactly (the SQLite demo is small).
"""

from __future__ import annotations

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

# Below this estimate an exact COUNT(*) is cheap enough and nicer to read.
EXACT_COUNT_LIMIT = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate < EXACT_COUNT_LIMIT:
            return super().count
        return estimate
