"""The desk's name counts in the database (NameFrequency), for weighing names by rarity.

The counts follow the profiles' whole-name keys (`n:` MatchKey rows, one per named
profile): wherever those keys are rewritten — the incremental check, a limited scan,
a merge — the words and names they lose and gain are counted down and up here, in
the same transaction; a full scan rebuilds the table from the keys. Scoring reads
only the rows of the names in hand (`for_facts`), never the whole table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from profiles.duplicates import matching
from profiles.duplicates.matching import ProfileFacts
from profiles.duplicates.rarity import NameFrequencies, name_key
from profiles.models import EndUser, MatchKey, NameFrequency

NAME_PREFIX = "n:"
_IN_CHUNK = 5_000
# Below this many profiles (by the planner's estimate) the exact count is cheap enough.
_EXACT_COUNT_UNDER = 100_000


def for_facts(facts: Iterable[ProfileFacts]) -> NameFrequencies:
    """The counts of the words and whole names of `facts` (one read per 5,000 terms), and the desk's size."""
    words, names = set(), set()
    for profile in facts:
        tokens = matching.features(profile).tokens
        if tokens:
            words.update(tokens)
            names.add(name_key(tokens))
    counts = {NameFrequency.Kind.WORD: {}, NameFrequency.Kind.NAME: {}}
    for kind, term, profiles in _rows_of(sorted(words | names)):
        counts[kind][term] = profiles
    return NameFrequencies(
        profiles=desk_size(), tokens=counts[NameFrequency.Kind.WORD], names=counts[NameFrequency.Kind.NAME]
    )


def whole_desk() -> NameFrequencies:
    """Every word's count, and the counts of the whole names carried by more than two profiles, for a full
    scan. A name held by two is the pair's own (rarity.NameFrequencies.named_exactly says so); leaving those
    out keeps a million-profile desk's table to a few hundred thousand rows in memory."""
    words = dict(NameFrequency.objects.filter(kind=NameFrequency.Kind.WORD).values_list("term", "profiles"))
    names = dict(
        NameFrequency.objects.filter(kind=NameFrequency.Kind.NAME, profiles__gt=2).values_list("term", "profiles")
    )
    return NameFrequencies(profiles=desk_size(), tokens=words, names=names)


def _rows_of(terms: list[str]) -> Iterable[tuple[str, str, int]]:
    """(kind, term, profiles) of `terms`: one array on PostgreSQL (a scan batch asks for 100,000 terms)."""
    if not terms:
        return []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(NameFrequency._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT kind, term, profiles FROM {table} WHERE term = ANY(%s)", [terms])
            return cursor.fetchall()
    rows = []
    for start in range(0, len(terms), _IN_CHUNK):
        chunk = terms[start : start + _IN_CHUNK]
        rows += NameFrequency.objects.filter(term__in=chunk).values_list("kind", "term", "profiles")
    return rows


def desk_size() -> int:
    """Live profiles: PostgreSQL's estimate on a big desk (counting a million rows per check would cost
    more than the check), the exact count otherwise (one statement: the count runs only when needed)."""
    if connection.vendor != "postgresql":
        return EndUser.objects.filter(merged_into__isnull=True).count()
    table = connection.ops.quote_name(EndUser._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint"
            f" ELSE (SELECT count(*) FROM {table} WHERE merged_into_id IS NULL) END"
            " FROM pg_class WHERE oid = %s::regclass",
            [_EXACT_COUNT_UNDER, EndUser._meta.db_table],
        )
        return int(cursor.fetchone()[0])


def name_keys(keys: Iterable[str]) -> list[str]:
    return [key for key in keys if key.startswith(NAME_PREFIX)]


def forget(user_ids: Sequence[int]) -> None:
    """Delete the blocking keys of `user_ids` and count their names down (merged away, deleted, tombstoned)."""
    removed = list(
        MatchKey.objects.filter(user_id__in=user_ids, key__startswith=NAME_PREFIX).values_list("key", flat=True)
    )
    MatchKey.objects.filter(user_id__in=user_ids).delete()
    count_changes(removed=removed, added=())


def count_changes(*, removed: Iterable[str], added: Iterable[str]) -> None:
    """Count down the words and names of the `removed` whole-name keys and up those of the `added` ones.

    Runs in the caller's transaction: the one that rewrote the keys.
    """
    changes = _deltas(added, +1)
    changes.subtract(_deltas(removed, +1))
    up = sorted((kind, term, n) for (kind, term), n in changes.items() if n > 0)
    down = sorted((kind, term, -n) for (kind, term), n in changes.items() if n < 0)
    table = connection.ops.quote_name(NameFrequency._meta.db_table)
    with connection.cursor() as cursor:
        if up:
            # Sorted, so two checks never lock the same rows in opposite orders.
            cursor.execute(
                f"INSERT INTO {table} (kind, term, profiles) VALUES {', '.join(['(%s, %s, %s)'] * len(up))}"
                f" ON CONFLICT (term, kind) DO UPDATE SET profiles = {table}.profiles + excluded.profiles",
                [value for row in up for value in row],
            )
        if down:
            greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
            cursor.executemany(
                f"UPDATE {table} SET profiles = {greatest}(0, profiles - %s) WHERE kind = %s AND term = %s",
                [(n, kind, term) for kind, term, n in down],
            )


def _deltas(keys: Iterable[str], sign: int) -> Counter:
    deltas = Counter()
    for key in keys:
        name = key[len(NAME_PREFIX) :]
        deltas[(NameFrequency.Kind.NAME, name)] += sign
        for word in set(name.split(" ")):
            deltas[(NameFrequency.Kind.WORD, word)] += sign
    return deltas


def rebuild() -> None:
    """Count every word and whole name of the `n:` keys afresh (the end of a full scan's keys phase).

    On PostgreSQL the database counts (one INSERT … SELECT each: a million keys in seconds, nothing sent
    back and forth); elsewhere the keys are read and counted here.
    """
    with transaction.atomic():
        NameFrequency.objects.all().delete()
        if connection.vendor == "postgresql":
            _count_in_postgresql()
            return
        counts = Counter()
        keys = MatchKey.objects.filter(key__startswith=NAME_PREFIX).values_list("user_id", "key").distinct()
        for _, key in keys.iterator(chunk_size=20_000):
            counts.update(_deltas([key], +1))
        NameFrequency.objects.bulk_create(
            (NameFrequency(kind=kind, term=term, profiles=n) for (kind, term), n in counts.items() if n > 0),
            batch_size=2000,
        )


def _count_in_postgresql() -> None:
    table, keys = (connection.ops.quote_name(model._meta.db_table) for model in (NameFrequency, MatchKey))
    # The n: keys sort between "n:" and "n;" (";" follows ":"): an index range, not a LIKE over the table.
    names = f"SELECT DISTINCT user_id, substr(key, 3) AS name FROM {keys} WHERE key >= 'n:' AND key < 'n;'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, term, profiles)"
            f" SELECT 'name', name, count(*) FROM ({names}) AS n GROUP BY name"
        )
        cursor.execute(
            f"INSERT INTO {table} (kind, term, profiles) SELECT 'word', word, count(*) FROM ("
            f" SELECT DISTINCT user_id, unnest(string_to_array(name, ' ')) AS word FROM ({names}) AS n"
            ") AS w GROUP BY word"
        )
