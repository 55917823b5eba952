"""The full duplicate scan: every live profile (or those changed `since` / in an organization), resumable.

Two phases, each committed step by step with how far it got in a DuplicateScan, so
a killed scan continues where it stopped: blocking keys per profile id range into
MatchKey, then the blocks in key order, scored batch by batch and upserted as
candidates (profiles.duplicates.services).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Organization
from profiles.duplicates import frequencies, matching
from profiles.duplicates.matching import ProfileFacts
from profiles.duplicates.services import IN_CHUNK, facts_in_range, load_facts, score_pairs, upsert_candidates
from profiles.duplicates.training import current_calibration
from profiles.models import CandidateStatus, DuplicateCandidate, DuplicateScan, EndUser, Identity, MatchKey
from zdusers.db import copy_rows
from zdusers.prefetch import prefetched

KEYS_BATCH = 20_000  # profiles per committed step of the keys phase
BLOCK_ROWS_BATCH = 200_000  # MatchKey rows per committed step of the pairs phase
# A full scan of at least this many profiles reads its next batch of blocks while scoring the current one. The
# reads then see committed keys only: smaller scans (and tests, in their transaction) read in turn.
PREFETCH_FROM = 50_000


@dataclass
class ScanProgress:
    phase: str
    done: int
    total: int | None


def scan(
    *,
    since: datetime | None = None,
    organization: Organization | None = None,
    restart: bool = False,
    progress: Callable[[ScanProgress], None] | None = None,
) -> DuplicateScan:
    """Find duplicate candidates among all live profiles, or those changed `since` / in `organization`.

    Resumes the last unfinished scan with the same limits unless `restart`. Upserts open
    candidates, never re-opens dismissed or merged pairs; a full scan (no limits) also
    closes open candidates that no longer score as duplicates. Returns the finished scan.
    """
    run = None if restart else _unfinished_scan(since, organization)
    if run is None:
        run = DuplicateScan.objects.create(since=since, organization=organization)
    subset = _subset(since, organization)
    if run.phase == DuplicateScan.Phase.KEYS:
        _refresh_keys(run, subset, progress)
    if run.phase == DuplicateScan.Phase.PAIRS:
        _score_blocks(run, subset, progress)
    return run


def _unfinished_scan(since: datetime | None, organization: Organization | None) -> DuplicateScan | None:
    return (
        DuplicateScan.objects.exclude(phase=DuplicateScan.Phase.DONE)
        .filter(since=since, organization=organization)
        .order_by("-pk")
        .first()
    )


def _subset(since: datetime | None, organization: Organization | None) -> Q | None:
    """Which profiles a limited scan starts from (None: all of them)."""
    conditions = Q()
    if since is not None:
        changed_identities = Identity.objects.filter(created_at__gte=since).values("user_id")
        conditions &= Q(updated_at__gte=since) | Q(created_at__gte=since) | Q(pk__in=changed_identities)
    if organization is not None:
        conditions &= Q(memberships__organization=organization)
    return conditions or None


def _refresh_keys(run: DuplicateScan, subset: Q | None, progress) -> None:
    """Phase 1: rewrite the MatchKey rows of every profile in scope, id range by id range.

    A full scan on PostgreSQL rebuilds the table: emptied once, its indexes and its foreign key to
    the profiles dropped while millions of rows are copied in, and made again at the end (far faster
    than maintaining them row by row: the foreign key alone checked and locked a profile per key row,
    21 of 29 seconds for 4.4M keys). Meanwhile incremental checks still work, only slower (no index to
    find a key); a profile deleted meanwhile loses its keys before the foreign key comes back.
    """
    rebuild = subset is None and connection.vendor == "postgresql"
    if rebuild:
        _drop_key_indexes(truncate=run.keys_done_through == 0)
    profiles = EndUser.objects.all() if subset is None else EndUser.objects.filter(subset).distinct()
    total = profiles.filter(pk__gt=run.keys_done_through).count() + run.profiles_keyed
    batches = _fact_batches(profiles, run.keys_done_through)
    if rebuild and total >= PREFETCH_FROM:
        batches = prefetched(batches)  # the next profiles' facts are read while this batch's keys are computed
    for ids, facts in batches:
        with transaction.atomic():
            if subset is None and not rebuild:  # a contiguous range: tombstones and deleted ids lose their keys
                MatchKey.objects.filter(user_id__gt=run.keys_done_through, user_id__lte=ids[-1]).delete()
            elif subset is not None:  # the names counted down here are counted up again with the new keys
                for start in range(0, len(ids), IN_CHUNK):
                    frequencies.forget(ids[start : start + IN_CHUNK])
            rows = [
                (user_id, key, name[:255])
                for user_id, profile in facts.items()
                for key, name in matching.blocking_keys(profile).items()
            ]
            _write_keys(rows)
            if subset is not None:  # a full scan counts every name afresh at the end of this phase
                frequencies.count_changes(removed=(), added=frequencies.name_keys(key for _, key, _ in rows))
            run.keys_done_through = ids[-1]
            run.profiles_keyed += len(ids)
            run.save(update_fields=["keys_done_through", "profiles_keyed"])
        if progress:
            progress(ScanProgress("keys", run.profiles_keyed, total))
    if rebuild:
        _create_key_indexes()
    if subset is None:
        frequencies.rebuild()
    run.phase = DuplicateScan.Phase.PAIRS
    run.save(update_fields=["phase"])


def _fact_batches(profiles: models.QuerySet, after: int) -> Iterator[tuple[list[int], dict[int, ProfileFacts]]]:
    """The ids and facts of `profiles` after id `after`, KEYS_BATCH at a time in id order (facts are of
    profiles, not keys: reading them ahead of a batch's key writes sees the same data)."""
    while True:
        ids = list(profiles.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:KEYS_BATCH])
        if not ids:
            return
        yield ids, facts_in_range(ids[0], ids[-1], set(ids))
        after = ids[-1]


def _drop_key_indexes(*, truncate: bool) -> None:
    qn = connection.ops.quote_name
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending foreign-key checks
            if truncate:
                cursor.execute(f"TRUNCATE {qn(MatchKey._meta.db_table)}")
            for index in MatchKey._meta.indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {qn(index.name)}")
        if _has_user_foreign_key():  # not when resuming a rebuild that dropped it already
            with connection.schema_editor() as editor:
                editor.alter_field(MatchKey, _user_field(), _user_field(db_constraint=False))


def _create_key_indexes() -> None:
    with connection.cursor() as cursor:  # run any deferred foreign-key checks now: CREATE INDEX refuses pending ones
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    table, users = (connection.ops.quote_name(m._meta.db_table) for m in (MatchKey, EndUser))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} k WHERE NOT EXISTS (SELECT FROM {users} u WHERE u.id = k.user_id)")
        with connection.schema_editor() as editor:
            for index in MatchKey._meta.indexes:
                editor.add_index(MatchKey, index)
            if not _has_user_foreign_key():  # checked in one pass over the table when it is added
                editor.alter_field(MatchKey, _user_field(db_constraint=False), _user_field())
    with connection.cursor() as cursor:
        # VACUUM as well when it can run (not inside a transaction): it marks the pages all-visible, so the
        # incremental check counts a big block on the index alone (profiles.duplicates.services).
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {table}")


def _user_field(*, db_constraint: bool = True) -> models.ForeignKey:
    """MatchKey.user as the model declares it, or a copy without the database's foreign key."""
    field = MatchKey._meta.get_field("user")
    if db_constraint:
        return field
    unconstrained = copy.copy(field)
    unconstrained.db_constraint = False
    return unconstrained


def _has_user_foreign_key() -> bool:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, MatchKey._meta.db_table)
    return any(c["foreign_key"] and c["columns"] == ["user_id"] for c in constraints.values())


def _write_keys(rows: Iterable[tuple[int, str, str]]) -> None:
    if connection.vendor == "postgresql":
        copy_rows(MatchKey, ("user_id", "key", "name"), rows)
    else:
        MatchKey.objects.bulk_create((MatchKey(user_id=u, key=k, name=n) for u, k, n in rows), batch_size=2000)


def _score_blocks(run: DuplicateScan, subset: Q | None, progress) -> None:
    """Phase 2: blocks (keys shared by 2+ profiles) in key order, a batch at a time, scored and upserted."""
    batches = _all_blocks(run.pairs_done_through) if subset is None else _blocks_of(subset, run.pairs_done_through)
    if subset is None and connection.vendor == "postgresql" and run.profiles_keyed >= PREFETCH_FROM:
        batches = prefetched(batches)  # the next batch is read (on a second connection) while this one is scored
    # A full scan reads the desk's name counts once (a batch would ask for 100,000 of them); a limited one
    # reads those of each batch's profiles.
    names = frequencies.whole_desk() if subset is None else None
    calibration = current_calibration()
    done = 0
    for last_key, blocks, rows in batches:
        pairs = {pair for key, members in blocks.items() for pair in matching.pairs_in_block(key, members)}
        scored = score_pairs(pairs, load_facts({user_id for pair in pairs for user_id in pair}), names, calibration)
        compared = len(pairs)
        with transaction.atomic():
            run.candidates_found += upsert_candidates(scored, scan_id=run.pk)
            run.pairs_done_through = last_key
            run.pairs_compared += compared
            run.save(update_fields=["pairs_done_through", "pairs_compared", "candidates_found"])
        done += rows
        if progress:
            progress(ScanProgress("pairs", done, None))
    with transaction.atomic():
        if subset is None:  # everything was looked at: an open pair not found again no longer matches
            DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).exclude(found_in_scan=run.pk).delete()
        run.phase = DuplicateScan.Phase.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["phase", "finished_at"])
    if connection.vendor == "postgresql":
        # Thousands of new candidates: fresh statistics, or the queue's planner guesses a few hundred rows
        # and filters by reason with a sort over all of them (measured: 720 ms instead of 0.3 ms).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(DuplicateCandidate._meta.db_table)}")


# (last key covered, {key: [(member id, name)]} of the blocks worth scoring, MatchKey rows read)
Batch = tuple[str, dict[str, list[tuple[int, str]]], int]


_TABLE = MatchKey._meta.db_table
# The key BLOCK_ROWS_BATCH rows further on: where this batch stops (that key is read whole next time).
_BATCH_END_SQL = f"SELECT key FROM {_TABLE} WHERE key > %s ORDER BY key LIMIT 1 OFFSET %s"
_FIRST_KEY_SQL = f"SELECT min(key) FROM {_TABLE} WHERE key > %s"
_LAST_KEY_BEFORE_SQL = f"SELECT max(key) FROM {_TABLE} WHERE key > %s AND key < %s"
# The rows of the keys in (after, end) shared by 2 profiles up to their prefix's limit: most keys belong to
# one profile, and the database drops those (and crowds) instead of sending millions of rows to be grouped here.
_MEMBERS_SQL = (
    "SELECT key, user_id, name FROM ("
    " SELECT key, user_id, name, count(*) OVER (PARTITION BY key) AS size"
    f" FROM (SELECT DISTINCT key, user_id, name FROM {_TABLE} WHERE key > %s {{until}}) AS batch"
    ") AS counted WHERE size BETWEEN 2 AND {limit} ORDER BY key, user_id"
)


def _all_blocks(after: str) -> Iterator[Batch]:
    """Every block after key `after`, batch by batch in key order (by index range; no GROUP BY over the table)."""
    limit, limits = _size_limit_sql()
    while True:
        with connection.cursor() as cursor:
            cursor.execute(_BATCH_END_SQL, [after, BLOCK_ROWS_BATCH])
            end = next(iter(cursor.fetchall()), (None,))[0]
            if end is not None:
                cursor.execute(_FIRST_KEY_SQL, [after])
                if cursor.fetchone()[0] == end:  # one key fills a whole batch: far past every size limit
                    after = end
                    continue
            if end is None:
                cursor.execute(_MEMBERS_SQL.format(until="", limit=limit), [after, *limits])
            else:
                cursor.execute(_MEMBERS_SQL.format(until="AND key < %s", limit=limit), [after, end, *limits])
            rows = cursor.fetchall()
        blocks = defaultdict(list)
        for key, user_id, name in rows:
            blocks[key].append((user_id, name))
        if end is None:
            yield (rows[-1][0] if rows else after), _worth_scoring(blocks), len(rows)
            return
        with connection.cursor() as cursor:  # the last key before `end`, singletons included
            cursor.execute(_LAST_KEY_BEFORE_SQL, [after, end])
            last = cursor.fetchone()[0] or after
        yield last, _worth_scoring(blocks), BLOCK_ROWS_BATCH
        after = last


def _size_limit_sql() -> tuple[str, list]:
    """matching.block_limits() as SQL: the database drops a crowd's name block (13 to 5,000 members) instead
    of sending its rows to be dropped here (in the demo desk: 3.9M of 8.5M key rows)."""
    limits = matching.block_limits()
    cases = " ".join("WHEN %s THEN %s" for _ in limits)
    params = [value for prefix, limit in limits.items() for value in (prefix, limit)]
    return f"CASE substr(key, 1, 2) {cases} ELSE %s END", [*params, matching.MAX_EVIDENCE_BLOCK]


def _blocks_of(subset: Q, after: str) -> Iterator[Batch]:
    """The blocks of the keys that the `subset` profiles have, in key order."""
    keys = sorted(
        set(
            MatchKey.objects.filter(user__in=EndUser.objects.filter(subset), key__gt=after).values_list(
                "key", flat=True
            )
        )
    )
    for start in range(0, len(keys), IN_CHUNK):
        chunk = keys[start : start + IN_CHUNK]
        blocks = defaultdict(list)
        rows = MatchKey.objects.filter(key__in=chunk).order_by("key", "user_id").values_list("key", "user_id", "name")
        for key, user_id, name in rows:
            blocks[key].append((user_id, name))
        yield chunk[-1], _worth_scoring(blocks), len(chunk)


def _worth_scoring(blocks: dict[str, list[tuple[int, str]]]) -> dict[str, list[tuple[int, str]]]:
    """Blocks of 2+ profiles within the size limits (a key shared by hundreds says nothing)."""
    return {key: members for key, members in blocks.items() if 2 <= len(members) <= matching.max_block_size(key)}
