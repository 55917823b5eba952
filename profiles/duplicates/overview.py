"""What an admin reads on "How duplicates are found": the rules in force (and what reviewers taught them),
the desk's name counts, the last full scan, and the reviewers' verdicts so far — the queue's precision as
people judged it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from profiles.duplicates import frequencies, matching, rarity
from profiles.duplicates.calibration import DEFAULT_CALIBRATION, Calibration
from profiles.duplicates.rules import RuleRow, rule_rows
from profiles.models import CandidateStatus, DuplicateCandidate, DuplicateScan, MatchingModel, NameFrequency

BAND = 10  # verdicts are shown by score band of this width
COMMON_NAMES_SHOWN = 10
# A likely threshold is suggested when this many reviewed pairs score at or above it and this share of them
# were merged: the queue's default view should be right 19 times in 20 by the reviewers' own judgement.
MIN_REVIEWED_FOR_THRESHOLD = 30
TARGET_PRECISION = 0.95


@dataclass(frozen=True)
class Verdicts:
    """Reviewed pairs of a score range (`low` to `high`): merged (a duplicate) and marked "not a duplicate"."""

    low: int
    high: int
    merged: int
    dismissed: int

    @property
    def reviewed(self) -> int:
        return self.merged + self.dismissed

    @property
    def precision(self) -> float | None:
        return self.merged / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class SuggestedThreshold:
    """The lowest score from which the reviewers' verdicts reach TARGET_PRECISION (None: they do not yet)."""

    threshold: int | None
    reviewed: int  # reviewed pairs scoring at or above it (or in all, when there is no suggestion)
    merged: int


@dataclass(frozen=True)
class Overview:
    likely_threshold: int
    possible_threshold: int
    external_ids_are_one_system: bool
    rules: list[RuleRow]
    model: MatchingModel | None  # the latest trained model (or return to the defaults), if any
    desk_size: int
    words_counted: int
    names_counted: int
    common_names: list[tuple[str, int]]
    last_scan: DuplicateScan | None
    likely_verdicts: Verdicts
    possible_verdicts: Verdicts
    bands: list[Verdicts]
    suggested: SuggestedThreshold
    name_rule: dict[str, int]


def overview() -> Overview:
    """Everything the page shows, read in a handful of queries (none grows with the desk but the counts)."""
    likely, possible = matching.default_threshold(), matching.possible_threshold()
    reviewed = DuplicateCandidate.objects.filter(status__in=[CandidateStatus.MERGED, CandidateStatus.DISMISSED])
    # Counted by the database: at most 101 scores by 2 verdicts come back, however many pairs were reviewed.
    closed = Counter(
        {
            (score, status): n
            for score, status, n in reviewed.values("score", "status")
            .annotate(n=Count("id"))
            .values_list("score", "status", "n")
        }
    )
    model = MatchingModel.objects.select_related("trained_by").first()
    # Words and whole names counted, in one pass over the table rather than one per kind.
    counted = dict(NameFrequency.objects.values("kind").annotate(n=Count("id")).values_list("kind", "n").order_by())
    return Overview(
        likely_threshold=likely,
        possible_threshold=possible,
        external_ids_are_one_system=settings.ZDUSERS_EXTERNAL_IDS_ARE_ONE_SYSTEM,
        rules=rule_rows(Calibration(model.multipliers) if model else DEFAULT_CALIBRATION),
        model=model,
        desk_size=frequencies.desk_size(),
        words_counted=counted.get(NameFrequency.Kind.WORD, 0),
        names_counted=counted.get(NameFrequency.Kind.NAME, 0),
        common_names=list(
            NameFrequency.objects.filter(kind=NameFrequency.Kind.NAME)
            .order_by("-profiles", "term")
            .values_list("term", "profiles")[:COMMON_NAMES_SHOWN]
        ),
        last_scan=DuplicateScan.objects.filter(
            phase=DuplicateScan.Phase.DONE, since__isnull=True, organization__isnull=True
        )
        .order_by("-finished_at")
        .first(),
        likely_verdicts=_verdicts(likely, 100, closed),
        possible_verdicts=_verdicts(possible, likely - 1, closed),
        bands=[_verdicts(low, high, closed) for low, high in _bands(possible)],
        suggested=suggested_threshold(closed, possible),
        name_rule={
            "typical": rarity.SAME_NAME_TYPICAL,
            "per_halving": rarity.POINTS_PER_HALVING,
            "floor": rarity.SAME_NAME_FLOOR,
            "cap": rarity.SAME_NAME_CAP,
            "crowd": matching.MAX_NAME_BLOCK,
        },
    )


def suggested_threshold(closed: Counter, possible: int) -> SuggestedThreshold:
    """The lowest reviewed score, not below the possible tier, from which at least MIN_REVIEWED_FOR_THRESHOLD
    reviewed pairs were merged TARGET_PRECISION of the time (counting every reviewed pair at or above it)."""
    best = None
    # Only scores reviewers actually saw: below the lowest of them the evidence says nothing more.
    for threshold in sorted({score for score, _ in closed if score >= possible}, reverse=True):
        verdicts = _verdicts(threshold, 100, closed)
        if verdicts.reviewed >= MIN_REVIEWED_FOR_THRESHOLD and verdicts.precision >= TARGET_PRECISION:
            best = SuggestedThreshold(threshold, verdicts.reviewed, verdicts.merged)
    if best is not None:
        return best
    everything = _verdicts(0, 100, closed)
    return SuggestedThreshold(None, everything.reviewed, everything.merged)


def _bands(possible: int) -> list[tuple[int, int]]:
    """Score bands from 100 down to the possible tier (90 to 100, 80 to 89 ...), the last starting at `possible`."""
    bands, high = [], 100
    for low in range(90, -1, -BAND):
        if high < possible:
            break
        bands.append((max(low, possible), high))
        high = low - 1
    return bands


def _verdicts(low: int, high: int, closed: Counter) -> Verdicts:
    def count(status: str) -> int:
        return sum(n for (score, verdict), n in closed.items() if verdict == status and low <= score <= high)

    return Verdicts(low, high, count(CandidateStatus.MERGED), count(CandidateStatus.DISMISSED))
