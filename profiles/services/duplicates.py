"""Duplicate candidates in the database: the full scan, the incremental check, and what reviewers decide.

The matching itself (keys, scores, reasons) is profiles.services.matching; this
module feeds it facts from the database and keeps DuplicateCandidate rows in step:

- `scan()`: the full (or `since`/organization-limited) scan, in two resumable
  phases — blocking keys per profile id range into MatchKey, then blocks in key
  order, scored batch by batch. Each batch commits and records how far it got in
  the DuplicateScan, so a killed scan continues where it stopped.
- `check_profile()`: the same for one profile, after it was created or changed.
- `dismiss()`, `after_merge()`: a reviewer's "not a duplicate", and what a merge closes.

A pair marked "not a duplicate" or merged is never re-opened; an open pair whose
profile is merged away or deleted disappears (deletes cascade; merges close it).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Membership, Organization
from profiles.errors import ProfileError
from profiles.identities import PHONE_KINDS, IdentityKind
from profiles.models import CandidateStatus, DuplicateCandidate, DuplicateScan, EndUser, Identity, MatchKey
from profiles.services import matching
from profiles.services.matching import ProfileFacts, Score
from zdusers.db import copy_rows

logger = logging.getLogger(__name__)

KEYS_BATCH = 20_000  # profiles per committed step of the keys phase
BLOCK_ROWS_BATCH = 200_000  # MatchKey rows per committed step of the pairs phase
_IN_CHUNK = 5_000  # ids per IN (...) list: well under SQLite's variable limit


class CandidateClosed(ProfileError):
    """The candidate was reviewed or its profiles merged since the page was shown."""


@dataclass
class ScanProgress:
    phase: str
    done: int
    total: int | None


# --- facts from the database -----------------------------------------------------------------


def load_facts(user_ids: Iterable[int]) -> dict[int, ProfileFacts]:
    """ProfileFacts of the live profiles among `user_ids` (3 queries per 5,000 ids; one id array on PostgreSQL)."""
    ids = sorted(set(user_ids))
    if connection.vendor == "postgresql":
        return _read_facts("{column} = ANY(%s)", [ids]) if ids else {}
    facts = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        facts.update(_read_facts("{column} IN (" + ", ".join(["%s"] * len(chunk)) + ")", chunk))
    return facts


def _facts_in_range(first_id: int, last_id: int, only: set[int]) -> dict[int, ProfileFacts]:
    """Facts of the live profiles in `only`, read by id range (faster than a list of ids)."""
    facts = _read_facts("{column} BETWEEN %s AND %s", [first_id, last_id])
    return {pk: profile for pk, profile in facts.items() if pk in only}


def _read_facts(condition: str, params: list) -> dict[int, ProfileFacts]:
    """Three plain reads (profiles, identities, memberships) under `condition` on the profile id column.

    Raw SQL: this runs over a million profiles in a full scan, where model instances or even
    values_list() rows cost more than the database does.
    """
    qn = connection.ops.quote_name
    tables = {model: qn(model._meta.db_table) for model in (EndUser, Identity, Membership)}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name, external_id FROM {tables[EndUser]}"
            f" WHERE {condition.format(column='id')} AND merged_into_id IS NULL",
            params,
        )
        profiles = {pk: (name, external_id) for pk, name, external_id in cursor.fetchall()}
        if not profiles:
            return {}
        cursor.execute(
            f"SELECT user_id, kind, normalized, verified FROM {tables[Identity]}"
            f" WHERE {condition.format(column='user_id')}",
            params,
        )
        identities = cursor.fetchall()
        cursor.execute(
            f"SELECT user_id, organization_id FROM {tables[Membership]} WHERE {condition.format(column='user_id')}",
            params,
        )
        memberships = cursor.fetchall()
    emails, phones, handles, organizations = (defaultdict(list) for _ in range(4))
    for user_id, kind, normalized, verified in identities:
        if kind == IdentityKind.EMAIL:
            emails[user_id].append((normalized, bool(verified)))
        elif kind in PHONE_KINDS:
            phones[user_id].append(normalized)
        else:
            handles[user_id].append((kind, normalized))
    for user_id, organization_id in memberships:
        organizations[user_id].append(organization_id)
    return {
        pk: ProfileFacts(
            id=pk,
            name=name,
            emails=tuple(sorted(emails[pk])),
            phones=tuple(sorted(set(phones[pk]))),
            handles=tuple(sorted(handles[pk])),
            organization_ids=tuple(sorted(organizations[pk])),
            external_id=external_id,
        )
        for pk, (name, external_id) in profiles.items()
    }


# --- the full scan -------------------------------------------------------------------------------


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

    A full scan on PostgreSQL rebuilds the table: emptied once, its indexes dropped while millions
    of rows are copied in and built again at the end (far faster than updating them row by row).
    Meanwhile incremental checks still work, only slower (no index to find a key).
    """
    rebuild = subset is None and connection.vendor == "postgresql"
    if rebuild:
        _drop_key_indexes(truncate=run.keys_done_through == 0)
    profiles = EndUser.objects.all() if subset is None else EndUser.objects.filter(subset).distinct()
    total = profiles.filter(pk__gt=run.keys_done_through).count() + run.profiles_keyed
    while True:
        remaining = profiles.filter(pk__gt=run.keys_done_through).order_by("pk")
        ids = list(remaining.values_list("pk", flat=True)[:KEYS_BATCH])
        if not ids:
            break
        with transaction.atomic():
            if subset is None and not rebuild:  # a contiguous range: tombstones and deleted ids lose their keys
                MatchKey.objects.filter(user_id__gt=run.keys_done_through, user_id__lte=ids[-1]).delete()
            elif subset is not None:
                for start in range(0, len(ids), _IN_CHUNK):
                    MatchKey.objects.filter(user_id__in=ids[start : start + _IN_CHUNK]).delete()
            facts = _facts_in_range(ids[0], ids[-1], set(ids))
            _write_keys(
                (user_id, key, name[:255])
                for user_id, profile in facts.items()
                for key, name in matching.blocking_keys(profile).items()
            )
            run.keys_done_through = ids[-1]
            run.profiles_keyed += len(ids)
            run.save(update_fields=["keys_done_through", "profiles_keyed"])
        if progress:
            progress(ScanProgress("keys", run.profiles_keyed, total))
    if rebuild:
        _create_key_indexes()
    run.phase = DuplicateScan.Phase.PAIRS
    run.save(update_fields=["phase"])


def _drop_key_indexes(*, truncate: bool) -> None:
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if truncate:
            cursor.execute(f"TRUNCATE {qn(MatchKey._meta.db_table)}")
        for index in MatchKey._meta.indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {qn(index.name)}")


def _create_key_indexes() -> None:
    with connection.cursor() as cursor:  # run the deferred foreign-key checks now: CREATE INDEX refuses pending ones
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with transaction.atomic(), connection.schema_editor() as editor:
        for index in MatchKey._meta.indexes:
            editor.add_index(MatchKey, index)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(MatchKey._meta.db_table)}")


def _write_keys(rows: Iterable[tuple[int, str, str]]) -> None:
    if connection.vendor == "postgresql":
        copy_rows(MatchKey, ("user_id", "key", "name"), rows)
    else:
        MatchKey.objects.bulk_create((MatchKey(user_id=u, key=k, name=n) for u, k, n in rows), batch_size=2000)


def _score_blocks(run: DuplicateScan, subset: Q | None, progress) -> None:
    """Phase 2: blocks (keys shared by 2+ profiles) in key order, a batch at a time, scored and upserted."""
    batches = _all_blocks(run.pairs_done_through) if subset is None else _blocks_of(subset, run.pairs_done_through)
    done = 0
    for last_key, blocks, rows in batches:
        pairs = {pair for key, members in blocks.items() for pair in matching.pairs_in_block(key, members)}
        scored = _score(pairs, load_facts({user_id for pair in pairs for user_id in pair}))
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
# The rows of the keys in (after, end) shared by 2 to MAX_POPULATION_BLOCK profiles: most keys belong
# to one profile, and the database drops those instead of sending millions of rows to be grouped here.
_MEMBERS_SQL = (
    "SELECT key, user_id, name FROM ("
    " SELECT key, user_id, name, count(*) OVER (PARTITION BY key) AS size"
    f" FROM (SELECT DISTINCT key, user_id, name FROM {_TABLE} WHERE key > %s {{until}}) AS batch"
    ") AS counted WHERE size BETWEEN 2 AND %s ORDER BY key, user_id"
)


def _all_blocks(after: str) -> Iterator[Batch]:
    """Every block after key `after`, batch by batch in key order (by index range; no GROUP BY over the table)."""
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
                cursor.execute(_MEMBERS_SQL.format(until=""), [after, matching.MAX_POPULATION_BLOCK])
            else:
                cursor.execute(_MEMBERS_SQL.format(until="AND key < %s"), [after, end, matching.MAX_POPULATION_BLOCK])
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


def _blocks_of(subset: Q, after: str) -> Iterator[Batch]:
    """The blocks of the keys that the `subset` profiles have, in key order."""
    keys = sorted(
        set(
            MatchKey.objects.filter(user__in=EndUser.objects.filter(subset), key__gt=after).values_list(
                "key", flat=True
            )
        )
    )
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = keys[start : start + _IN_CHUNK]
        blocks = defaultdict(list)
        rows = MatchKey.objects.filter(key__in=chunk).order_by("key", "user_id").values_list("key", "user_id", "name")
        for key, user_id, name in rows:
            blocks[key].append((user_id, name))
        yield chunk[-1], _worth_scoring(blocks), len(chunk)


def _worth_scoring(blocks: dict[str, list[tuple[int, str]]]) -> dict[str, list[tuple[int, str]]]:
    """Blocks of 2+ profiles within the size limits (a key shared by hundreds says nothing)."""
    return {key: members for key, members in blocks.items() if 2 <= len(members) <= matching.max_block_size(key)}


def _score(pairs: Iterable[tuple[int, int]], facts: dict[int, ProfileFacts]) -> dict[tuple[int, int], Score]:
    """Score the proposed pairs of live profiles; keep those at or above the threshold."""
    threshold = matching.default_threshold()
    scored = {}
    for low, high in pairs:
        if low in facts and high in facts:
            result = matching.score(facts[low], facts[high])
            if result.score >= threshold:
                scored[(low, high)] = result
    return scored


def upsert_candidates(scored: dict[tuple[int, int], Score], *, scan_id: int | None = None) -> int:
    """Create or refresh open candidates for `scored` pairs (low, high); reviewed pairs stay as decided.

    Returns how many new candidates were created.
    """
    if not scored:
        return 0
    lows = sorted({low for low, _ in scored})
    existing = {}
    for start in range(0, len(lows), _IN_CHUNK):
        for candidate in DuplicateCandidate.objects.filter(low_id__in=lows[start : start + _IN_CHUNK]):
            if (candidate.low_id, candidate.high_id) in scored:
                existing[(candidate.low_id, candidate.high_id)] = candidate
    fresh, changed, seen_again = [], [], []
    for (low, high), result in scored.items():
        candidate = existing.get((low, high))
        if candidate is None:
            fresh.append(DuplicateCandidate(low_id=low, high_id=high, found_in_scan=scan_id, **_columns(result)))
        elif candidate.status != CandidateStatus.OPEN:
            continue
        elif candidate.score == result.score and candidate.reasons == _columns(result)["reasons"]:
            seen_again.append(candidate.pk)  # a rescan finds most pairs as they were: one UPDATE for all
        else:
            for name, value in _columns(result).items():
                setattr(candidate, name, value)
            candidate.found_in_scan = scan_id or candidate.found_in_scan
            changed.append(candidate)
    # Another check may have created the same pair meanwhile: the unique pair keeps one row.
    DuplicateCandidate.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    DuplicateCandidate.objects.bulk_update(
        changed, ["score", "reasons", "reason_kinds", "found_in_scan", "updated_at"], batch_size=1000
    )
    if scan_id is not None:
        for start in range(0, len(seen_again), _IN_CHUNK):
            DuplicateCandidate.objects.filter(pk__in=seen_again[start : start + _IN_CHUNK]).update(
                found_in_scan=scan_id
            )
    return len(fresh)


def _columns(result: Score) -> dict:
    return {
        "score": result.score,
        "reasons": [reason.as_dict() for reason in result.reasons],
        "reason_kinds": " " + " ".join(result.kinds) + " ",
        "updated_at": timezone.now(),
    }


# --- one profile -------------------------------------------------------------------------------


def check_profile(*, user_id: int, extra_reasons: Sequence[matching.Reason] = (), with_ids: Sequence[int] = ()) -> int:
    """Re-key one profile and compare it with the profiles sharing its keys; returns the open candidates it has.

    `with_ids` are compared whatever the keys say, with `extra_reasons` added to their score
    (intake's "the email given in this chat belongs to that profile"). A tombstone or a deleted
    profile loses its keys and open candidates.
    """
    with transaction.atomic():
        facts = load_facts([user_id]).get(user_id)
        MatchKey.objects.filter(user_id=user_id).delete()
        if facts is None:
            _close_open_candidates_of([user_id])
            return 0
        keys = matching.blocking_keys(facts)
        MatchKey.objects.bulk_create([MatchKey(user_id=user_id, key=key, name=name) for key, name in keys.items()])
        mates = _block_mates(user_id, keys)
        others = load_facts({*mates, *with_ids} - {user_id})
        threshold = matching.default_threshold()
        scored = {}
        for other in others.values():
            result = matching.score(facts, other)
            if other.id in with_ids and extra_reasons:
                result = _with_reasons(result, extra_reasons)
            if result.score >= threshold:
                scored[(min(user_id, other.id), max(user_id, other.id))] = result
        upsert_candidates(scored)
        # Open pairs of this profile that no longer score are gone.
        stale = DuplicateCandidate.objects.filter(Q(low_id=user_id) | Q(high_id=user_id), status=CandidateStatus.OPEN)
        stale = [c.pk for c in stale.only("pk", "low_id", "high_id") if (c.low_id, c.high_id) not in scored]
        DuplicateCandidate.objects.filter(pk__in=stale).delete()
        return len(scored)


def _block_mates(user_id: int, keys: dict[str, str]) -> set[int]:
    """Profiles sharing an evidence key, and the alike-named ones sharing a population key.

    Each block is read only up to its size limit (a 13,000-member organization is not read whole).
    """
    evidence = [key for key in keys if not matching.is_population_key(key)]
    blocks = defaultdict(list)
    for key, other_id, name in MatchKey.objects.filter(key__in=evidence).values_list("key", "user_id", "name"):
        blocks[key].append((other_id, name))
    for key in keys.keys() - set(evidence):
        rows = MatchKey.objects.filter(key=key).values_list("key", "user_id", "name")[
            : matching.MAX_POPULATION_BLOCK + 1
        ]
        for _, other_id, name in rows:
            blocks[key].append((other_id, name))
    mates = set()
    for key, members in blocks.items():
        others = [(other_id, name) for other_id, name in members if other_id != user_id]
        if len(members) > matching.max_block_size(key):
            continue
        if matching.is_population_key(key):
            mates |= matching.alike_names(keys[key], others)
        else:
            mates.update(other_id for other_id, _ in others)
    return mates


def _with_reasons(result: Score, extra: Sequence[matching.Reason]) -> Score:
    reasons = (*extra, *result.reasons)
    return Score(max(0, min(100, sum(r.weight for r in reasons))), reasons)


def _close_open_candidates_of(user_ids: Sequence[int]) -> None:
    DuplicateCandidate.objects.filter(
        Q(low_id__in=user_ids) | Q(high_id__in=user_ids), status=CandidateStatus.OPEN
    ).delete()


def check_profile_after_commit(user_id: int) -> None:
    """Run the incremental check once the current transaction commits (never for a rolled-back change).

    A form that adds three identities asks three times; the profile is checked once: the
    transaction's pending checks are one on_commit callback holding a set of ids.
    """
    # connection.run_on_commit holds this transaction's callbacks (sids, func, robust); it is
    # emptied on rollback, so no id outlives the transaction that asked for it.
    pending = next(
        (func for _, func, _ in connection.run_on_commit if isinstance(func, _PendingChecks) and not func.ran), None
    )
    if pending is None:
        pending = _PendingChecks()
        transaction.on_commit(pending)
    pending.user_ids.add(user_id)


class _PendingChecks:
    def __init__(self) -> None:
        self.user_ids: set[int] = set()
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        for user_id in sorted(self.user_ids):
            check_profile_quietly(user_id=user_id)


def check_profile_quietly(**kwargs) -> None:
    """check_profile() for hooks whose caller has already committed: a failure is logged, never raised."""
    try:
        check_profile(**kwargs)
    except Exception:  # the change is committed; the next scan will find the pair
        logger.exception("duplicate check failed for profile %s", kwargs.get("user_id"))


# --- decisions -----------------------------------------------------------------------------------


@transaction.atomic
def dismiss(*, candidate: DuplicateCandidate, actor: User | None) -> DuplicateCandidate:
    """Mark the pair "not a duplicate" (who and when): no scan or check will propose it again."""
    locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.status != CandidateStatus.OPEN:
        raise CandidateClosed(f"This pair was already closed ({locked.get_status_display().lower()}).")
    locked.status = CandidateStatus.DISMISSED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return locked


def after_merge(*, survivor_id: int, merged_ids: Sequence[int], actor: User | None) -> None:
    """A merge happened: pairs among the merged profiles are `merged`, other open pairs of the merged-away
    profiles go (the survivor is checked again and inherits what still applies)."""
    involved = [survivor_id, *merged_ids]
    try:
        with transaction.atomic():
            DuplicateCandidate.objects.filter(low_id__in=involved, high_id__in=involved).exclude(
                status=CandidateStatus.MERGED
            ).update(status=CandidateStatus.MERGED, reviewed_by=actor, reviewed_at=timezone.now())
            _close_open_candidates_of(list(merged_ids))
            MatchKey.objects.filter(user_id__in=merged_ids).delete()
    except Exception:  # the merge is committed; the queue hides pairs with a merged-away profile anyway
        logger.exception("closing the duplicate candidates of merge into %s failed", survivor_id)
    check_profile_quietly(user_id=survivor_id)


def after_unmerge(*, user_ids: Sequence[int]) -> None:
    """Restored profiles get their keys and candidates back (pairs marked merged stay closed)."""
    for user_id in user_ids:
        check_profile_quietly(user_id=user_id)
