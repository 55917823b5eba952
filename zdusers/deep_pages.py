"""Deep pages without reading every row before them: the page's ids first, then only those rows.

`OFFSET 500000 LIMIT 26` makes the database walk 500,000 rows in order. Walked through a covering index
(an index-only scan of the sort key and the id) that costs tens of milliseconds; walked through the table,
fetching every row's columns only to skip it, over a second. A queryset of `DeepPagingQuerySet` sliced deep
(as a paginator does for page 20,000) therefore becomes `WHERE id IN (SELECT id … ORDER BY … OFFSET … LIMIT …)`:
the same rows in the same order, with annotations and prefetches computed for the page's rows alone.
"""

from __future__ import annotations

from django.db.models import QuerySet

# Below this offset the plain query reads few enough rows; from here the page's ids are selected first.
DEEP_OFFSET = 500


class DeepPagingQuerySet(QuerySet):
    def __getitem__(self, k):
        if self._slices_deep(k):
            page_ids = QuerySet.__getitem__(self.values("pk"), k)
            return self.filter(pk__in=page_ids)
        return super().__getitem__(k)

    def _slices_deep(self, k) -> bool:
        return (
            isinstance(k, slice)
            and k.step is None
            and k.stop is not None
            and (k.start or 0) >= DEEP_OFFSET
            and self._result_cache is None
            and self._fields is None  # a values() queryset is the inner query itself
            and not self.query.is_sliced
            and not self.query.distinct  # DISTINCT cannot order by columns it does not select
            and not self.query.combinator
        )
