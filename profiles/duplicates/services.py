"""Duplicate candidates in the database: the full scan, the incremental check, and what reviewers decide.

The matching itself (keys, scores, reasons) is profiles.duplicates.matching; this
module feeds it facts from the database and keeps DuplicateCandidate rows in step:

- the full scan lives in profiles/duplicates/scan.py and uses the facts, scoring and
  upsert here;
- `check_profile()`: the same for one profile, after it was created or changed.
- `dismiss()`, `after_merge()`: a reviewer's "not a duplicate", and what a merge closes.

A pair marked "not a duplicate" or merged is never re-opened; an open pair whose
profile is merged away or deleted disappears (deletes cascade; merges close it).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Membership
from profiles.duplicates import frequencies, matching
from profiles.duplicates.calibration import Calibration
from profiles.duplicates.matching import ProfileFacts, Score
from profiles.duplicates.rarity import NameFrequencies
from profiles.duplicates.training import current_calibration
from profiles.errors import ProfileError
from profiles.identities import PHONE_KINDS, IdentityKind
from profiles.models import CandidateStatus, DuplicateCandidate, EndUser, Identity, MatchKey

logger = logging.getLogger(__name__)

IN_CHUNK = 5_000  # ids per IN (...) list: well under SQLite's variable limit


class CandidateClosed(ProfileError):
    """The candidate was reviewed or its profiles merged since the page was shown."""


# --- facts from the database -----------------------------------------------------------------


def load_facts(user_ids: Iterable[int]) -> dict[int, ProfileFacts]:
    """ProfileFacts of the live profiles among `user_ids` (3 queries per 5,000 ids; one id array on PostgreSQL)."""
    ids = sorted(set(user_ids))
    if connection.vendor == "postgresql":
        return _read_facts("{column} = ANY(%s)", [ids]) if ids else {}
    facts = {}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        facts.update(_read_facts("{column} IN (" + ", ".join(["%s"] * len(chunk)) + ")", chunk))
    return facts


def facts_in_range(first_id: int, last_id: int, only: set[int]) -> dict[int, ProfileFacts]:
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


def score_pairs(
    pairs: Iterable[tuple[int, int]],
    facts: dict[int, ProfileFacts],
    names: NameFrequencies | None = None,
    calibration: Calibration | None = None,
) -> dict[tuple[int, int], Score]:
    """Score the proposed pairs of live profiles, names by their rarity in the desk (`names`, or read for
    `facts`), with the weights in force (`calibration`, or read); keep the likely and possible duplicates."""
    threshold = matching.possible_threshold()
    names = frequencies.for_facts(facts.values()) if names is None else names
    calibration = current_calibration() if calibration is None else calibration
    scored = {}
    for low, high in pairs:
        if low in facts and high in facts:
            result = matching.score(facts[low], facts[high], names, calibration)
            if result.score >= threshold:
                scored[(low, high)] = result
    return scored


def upsert_candidates(scored: dict[tuple[int, int], Score], *, scan_id: int | None = None) -> int:
    """Create or refresh open candidates for `scored` pairs (low, high); reviewed pairs stay as decided.

    Returns how many new candidates were created.
    """
    if not scored:
        return 0
    existing = {}  # (low, high) → (pk, status, score, reasons, found_in_scan): values, not model instances
    for pk, low, high, *rest in _candidates_of(sorted({low for low, _ in scored})):
        if (low, high) in scored:
            existing[(low, high)] = (pk, *rest)
    now = timezone.now()
    fresh, changed, seen_again = [], [], []
    for (low, high), result in scored.items():
        columns = _columns(result, now)
        if (low, high) not in existing:
            fresh.append(DuplicateCandidate(low_id=low, high_id=high, found_in_scan=scan_id, **columns))
            continue
        pk, status, score, reasons, found_in_scan = existing[(low, high)]
        if status != CandidateStatus.OPEN:
            continue
        if score == columns["score"] and reasons == columns["reasons"]:
            seen_again.append(pk)  # a rescan finds most pairs as they were: one UPDATE for all
        else:
            changed.append(DuplicateCandidate(pk=pk, found_in_scan=scan_id or found_in_scan, **columns))
    # Another check may have created the same pair meanwhile: the unique pair keeps one row.
    DuplicateCandidate.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    DuplicateCandidate.objects.bulk_update(
        changed, ["score", "reasons", "reason_kinds", "found_in_scan", "updated_at"], batch_size=1000
    )
    if scan_id is not None:
        for start in range(0, len(seen_again), IN_CHUNK):
            DuplicateCandidate.objects.filter(pk__in=seen_again[start : start + IN_CHUNK]).update(found_in_scan=scan_id)
    return len(fresh)


def _candidates_of(lows: list[int]) -> Iterable[tuple]:
    """(pk, low, high, status, score, reasons, found_in_scan) of the candidates whose low profile is in `lows`:
    one id array on PostgreSQL (building IN lists of 5,000 ids cost a rescan more than the database did)."""
    fields = ("pk", "low_id", "high_id", "status", "score", "reasons", "found_in_scan")
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(DuplicateCandidate._meta.db_table)
        columns = ", ".join(("id", *fields[1:]))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table} WHERE low_id = ANY(%s)", [lows])
            # Django reads jsonb as text and decodes it in the field: so here.
            return [(*row[:5], json.loads(row[5]), row[6]) for row in cursor.fetchall()]
    rows = []
    for start in range(0, len(lows), IN_CHUNK):
        rows += DuplicateCandidate.objects.filter(low_id__in=lows[start : start + IN_CHUNK]).values_list(*fields)
    return rows


def _columns(result: Score, now: datetime) -> dict:
    return {
        "score": result.score,
        "reasons": [reason.as_dict() for reason in result.reasons],
        "reason_kinds": " " + " ".join(result.kinds) + " ",
        "updated_at": now,
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
        old_keys = _delete_keys_of(user_id)
        if facts is None:
            frequencies.count_changes(removed=frequencies.name_keys(old_keys), added=())
            _close_open_candidates_of([user_id])
            return 0
        keys = matching.blocking_keys(facts)
        MatchKey.objects.bulk_create([MatchKey(user_id=user_id, key=key, name=name) for key, name in keys.items()])
        frequencies.count_changes(removed=frequencies.name_keys(set(old_keys)), added=frequencies.name_keys(keys))
        mates = _block_mates(user_id, keys)
        others = load_facts({*mates, *with_ids} - {user_id})
        names = frequencies.for_facts([facts, *others.values()])
        calibration = current_calibration()
        threshold = matching.possible_threshold()
        scored = {}
        for other in others.values():
            result = matching.score(facts, other, names, calibration)
            if other.id in with_ids and extra_reasons:
                result = _with_reasons(result, calibration.weigh(extra_reasons))
            if result.score >= threshold:
                scored[(min(user_id, other.id), max(user_id, other.id))] = result
        upsert_candidates(scored)
        # Open pairs of this profile that no longer score are gone.
        stale = DuplicateCandidate.objects.filter(Q(low_id=user_id) | Q(high_id=user_id), status=CandidateStatus.OPEN)
        stale = [c.pk for c in stale.only("pk", "low_id", "high_id") if (c.low_id, c.high_id) not in scored]
        DuplicateCandidate.objects.filter(pk__in=stale).delete()
        return len(scored)


def _delete_keys_of(user_id: int) -> list[str]:
    """Delete the profile's blocking keys and say which they were (one statement: DELETE … RETURNING)."""
    table = connection.ops.quote_name(MatchKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE user_id = %s RETURNING key", [user_id])
        return [key for (key,) in cursor.fetchall()]


def _block_mates(user_id: int, keys: dict[str, str]) -> set[int]:
    """Profiles sharing an evidence or name key, and the alike-named ones sharing a population key.

    Name and population blocks are read only up to their size limit (a 13,000-member organization
    or a crowd of Maria Silvas is not read whole).
    """
    blocks = _capped_blocks([key for key in keys if not matching.is_population_key(key)])
    for key in filter(matching.is_population_key, keys):
        if _population_over_limit(key):
            continue
        for other_id, name in MatchKey.objects.filter(key=key).values_list("user_id", "name"):
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


def _capped_blocks(keys: list[str]) -> defaultdict[str, list[tuple[int, str]]]:
    """The members of each evidence or name key, read only one past its size limit, in one statement:
    a block past its limit is skipped anyway, and "n:maria silva" may hold thousands."""
    blocks = defaultdict(list)
    if not keys:
        return blocks
    table = connection.ops.quote_name(MatchKey._meta.db_table)
    select = f"SELECT * FROM (SELECT key, user_id, name FROM {table} WHERE key = %s LIMIT %s) AS block_{{}}"
    params = [value for key in keys for value in (key, matching.max_block_size(key) + 1)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(select.format(n) for n in range(len(keys))), params)
        for key, other_id, name in cursor.fetchall():
            blocks[key].append((other_id, name))
    return blocks


def _population_over_limit(key: str) -> bool:
    """Whether more than MAX_POPULATION_BLOCK profiles share the population key `key` (then it says nothing).
    Counted on the (key, user) index alone, without reading the rows (a 13,000-member organization: 0.7 ms
    instead of 10 ms to read 5,001 rows, on a table the full scan left vacuumed)."""
    limit = matching.MAX_POPULATION_BLOCK
    return MatchKey.objects.filter(key=key).values("user_id")[limit : limit + 1].exists()


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


CONFLICT_REASON = matching.Reason(
    "conflict",
    "a contact point given in a conversation of one belongs to the other",
    matching.WEIGHTS["conflict"],
    "conflict",
)


def check_profile_after_intake(*, user_id: int, conflicting_ids: Sequence[int] = (), quietly: bool = True) -> None:
    """check_profile() for a profile intake created or changed; `conflicting_ids` own a contact point given in
    one of its conversations (strong evidence, added to those pairs' scores). `quietly`: log a failure instead
    of raising it (the caller has committed and has nothing to undo)."""
    extra = (CONFLICT_REASON,) if conflicting_ids else ()
    check = check_profile_quietly if quietly else check_profile
    check(user_id=user_id, with_ids=tuple(conflicting_ids), extra_reasons=extra)


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
            frequencies.forget(list(merged_ids))
    except Exception:  # the merge is committed; the queue hides pairs with a merged-away profile anyway
        logger.exception("closing the duplicate candidates of merge into %s failed", survivor_id)
    check_profile_quietly(user_id=survivor_id)


def after_unmerge(*, user_ids: Sequence[int]) -> None:
    """Restored profiles get their keys and candidates back (pairs marked merged stay closed)."""
    for user_id in user_ids:
        check_profile_quietly(user_id=user_id)
