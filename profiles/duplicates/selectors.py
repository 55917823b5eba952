"""Read queries of the duplicates review queue and of its compare page.

The queue lists DuplicateCandidate rows in queue order (score, highest first, then
id); the compare page shows a candidate's group — the pair plus every profile
linked to it by open candidates — side by side, in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext

from organizations.models import Membership
from profiles.duplicates import matching
from profiles.identities import IdentityKind
from profiles.models import CandidateStatus, Contact, DuplicateCandidate, EndUser, Identity
from profiles.selectors import MEMBER_IDS_INLINE_LIMIT

GROUP_LIMIT = 10  # profiles on one compare page: what the merge page accepts
NAV_COUNT_LIMIT = 10_000  # above this the navigation says "10,000+" instead of counting on

QUEUE_ORDER = ("-score", "id")


# --- the queue ---------------------------------------------------------------------------------


def live_pairs_q() -> Q:
    """Both profiles of the pair are live (not merged away): only such pairs can be reviewed."""
    return Q(low__merged_into__isnull=True, high__merged_into__isnull=True)


def queue_queryset(*, status: str | None = CandidateStatus.OPEN) -> QuerySet[DuplicateCandidate]:
    """Candidates of `status` (any status when None) in queue order, with both profiles joined.

    Open candidates whose profile was merged away are left out: a merge closes them, and
    until it has (a failed after-merge hook) they would show a tombstone. Closed candidates
    are history, and are listed whatever became of their profiles.
    """
    queryset = DuplicateCandidate.objects.select_related("low", "high")
    if status:
        queryset = queryset.filter(status=status)
    if status == CandidateStatus.OPEN:
        queryset = queryset.filter(live_pairs_q())
    return queryset.order_by(*QUEUE_ORDER)


def candidate_member_q(organization_ids: list[int]) -> Q:
    """Candidates with a profile in any of the organizations (as profiles.selectors.member_of_q phrases it)."""
    members = Membership.objects.filter(organization_id__in=organization_ids)
    user_ids = list(members.values_list("user_id", flat=True)[: MEMBER_IDS_INLINE_LIMIT + 1])
    if len(user_ids) <= MEMBER_IDS_INLINE_LIMIT:
        return Q(low_id__in=user_ids) | Q(high_id__in=user_ids)
    return Q(Exists(members.filter(user=OuterRef("low_id")))) | Q(Exists(members.filter(user=OuterRef("high_id"))))


LIKELY, POSSIBLE = "likely", "possible"
TIERS = {LIKELY: "Likely", POSSIBLE: "Possible"}


def tier_q(tier: str) -> Q:
    """Candidates of a tier: likely from the queue's threshold up, possible below it (kept from a lower one)."""
    likely = Q(score__gte=matching.default_threshold())
    return likely if tier == LIKELY else ~likely


def reason_kind_q(kind: str) -> Q:
    """Candidates with positive evidence of `kind` (reason_kinds is " name phone ": a portable contains)."""
    return Q(reason_kinds__contains=f" {kind} ")


def organization_names(user_ids: list[int]) -> dict[int, list[str]]:
    """Organization names per profile (default first), for the profiles on one queue page."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        Membership.objects.filter(user_id__in=user_ids)
        .order_by("user_id", "-is_default", "organization__name")
        .values_list("user_id", "organization__name")
    )
    for user_id, name in rows:
        names[user_id].append(name)
    return names


def next_candidate(candidate: DuplicateCandidate, *, backwards: bool = False) -> DuplicateCandidate | None:
    """The open candidate after (or before) `candidate` in queue order, whatever its own status now.

    Two index ranges rather than one OR: first the same score further along, then the next score. The
    OR form cannot bound the (status, -score, id) index, and going back from deep in a queue of 90,000
    pairs it read them all (170 ms; now under 1 ms).
    """
    queryset = queue_queryset().select_related(None).only("pk", "score")
    if backwards:
        same_score = queryset.filter(score=candidate.score, pk__lt=candidate.pk).order_by("-id")
        further = queryset.filter(score__gt=candidate.score).order_by("score", "-id")
    else:
        same_score = queryset.filter(score=candidate.score, pk__gt=candidate.pk).order_by("id")
        further = queryset.filter(score__lt=candidate.score)
    return same_score.first() or further.first()


@dataclass(frozen=True)
class ShownReason:
    kind: str
    text: str
    weight: int

    @property
    def sign(self) -> str:
        return "minus" if self.weight < 0 else "plus"

    @property
    def signed(self) -> str:
        return f"\u2212{-self.weight}" if self.weight < 0 else f"+{self.weight}"


def shown_reasons(stored, *, positive_only: bool = False, limit: int | None = None) -> list[ShownReason]:
    """A candidate's stored reasons in the scorer's order (only the positive ones, strongest first, when asked),
    tolerating odd stored data: not a list, not a dict, missing keys, a weight that is not a number."""
    reasons = []
    for item in stored if isinstance(stored, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            weight = int(item.get("weight") or 0)
        except (TypeError, ValueError):
            weight = 0
        if positive_only and weight <= 0:
            continue
        reasons.append(ShownReason(str(item.get("kind", "")), str(item.get("text", "")), weight))
    if positive_only:
        reasons.sort(key=lambda reason: -reason.weight)
    return reasons[:limit] if limit is not None else reasons


# --- the navigation count ----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenCount:
    value: int
    capped: bool  # there are more than `value`

    def __str__(self) -> str:
        return f"{self.value:,}+" if self.capped else f"{self.value:,}"


def open_candidate_count(tier: str = LIKELY) -> OpenCount:
    """Open candidates of a tier, counted on the queue index and never past NAV_COUNT_LIMIT (one query).

    Pairs with a merged-away profile are counted until after_merge closes them: joining
    both profiles for every page view would cost more than that rare, brief difference.
    """
    open_ = DuplicateCandidate.objects.filter(tier_q(tier), status=CandidateStatus.OPEN).order_by()
    counted = open_[: NAV_COUNT_LIMIT + 1].count()
    return OpenCount(min(counted, NAV_COUNT_LIMIT), counted > NAV_COUNT_LIMIT)


# --- the compare page --------------------------------------------------------------------------


def candidate_group(candidate: DuplicateCandidate, *, limit: int = GROUP_LIMIT) -> tuple[list[int], list]:
    """The pair and the live profiles open candidates connect to it (A~B~C), at most `limit`.

    Breadth first from the pair, strongest links first, one query per step; a likely pair is joined
    through likely links only (a possible link is weaker evidence than the pair on screen). Returns
    the profile ids in the order they joined and the open candidates among them (queue order).
    """
    likely = matching.default_threshold()
    weakest = likely if candidate.score >= likely else matching.possible_threshold()
    ids = [candidate.low_id, candidate.high_id]
    links: dict[int, DuplicateCandidate] = {}
    frontier = set(ids)
    while frontier and len(ids) < limit:
        found = (
            queue_queryset()
            .filter(Q(low_id__in=frontier) | Q(high_id__in=frontier), score__gte=weakest)
            .select_related(None)
            .only("pk", "low_id", "high_id", "score", "reasons")[:200]
        )
        frontier = set()
        for link in found:
            for user_id in (link.low_id, link.high_id):
                if user_id not in ids and len(ids) < limit:
                    ids.append(user_id)
                    frontier.add(user_id)
            if link.low_id in ids and link.high_id in ids:
                links[link.pk] = link
    members = set(ids)
    edges = sorted(
        (link for link in links.values() if link.low_id in members and link.high_id in members),
        key=lambda link: (-link.score, link.pk),
    )
    return ids, edges


@dataclass
class Cell:
    values: list[str]  # what the cell lists (one line each); empty: nothing recorded
    primary: set[str] = field(default_factory=set)  # values to mark "primary"


@dataclass
class Row:
    label: str
    cells: list[Cell]
    compare: bool = True  # facts like dates and counts always differ: not highlighted

    @property
    def differs(self) -> bool:
        if not self.compare or len(self.cells) < 2:
            return False
        return len({tuple(sorted(v.casefold() for v in cell.values)) for cell in self.cells}) > 1


@dataclass
class LatestContact:
    channel: str
    created_at: object
    subject: str
    count: int


@dataclass
class Comparison:
    profiles: list[EndUser]
    rows: list[Row]
    latest: list[list[LatestContact]]  # per profile, one per channel, newest first
    contact_totals: list[int]

    @property
    def ids(self) -> list[int]:
        return [profile.pk for profile in self.profiles]


def comparison(user_ids: list[int]) -> Comparison:
    """The live profiles among `user_ids`, field by field, in the given order (4 queries)."""
    by_id = {user.pk: user for user in EndUser.objects.filter(pk__in=user_ids, merged_into__isnull=True)}
    profiles = [by_id[user_id] for user_id in user_ids if user_id in by_id]
    ids = [profile.pk for profile in profiles]
    identities: dict[int, dict[str, list[Identity]]] = {pk: defaultdict(list) for pk in ids}
    kinds: list[str] = []
    for identity in Identity.objects.filter(user_id__in=ids).order_by("kind", "-is_primary", "pk"):
        identities[identity.user_id][identity.kind].append(identity)
        if identity.kind not in kinds:
            kinds.append(identity.kind)
    organizations = organization_names(ids)
    # The newest contact of each profile and channel, with the channel's count: one windowed query.
    per_channel = [F("requester_id"), F("channel")]
    newest = (
        Contact.objects.filter(requester_id__in=ids)
        .annotate(
            rank=Window(RowNumber(), partition_by=per_channel, order_by=[F("created_at").desc(), F("pk").desc()]),
            channel_count=Window(Count("pk"), partition_by=per_channel),
        )
        .filter(rank=1)
        .order_by("-created_at", "-pk")
    )
    latest: dict[int, list[LatestContact]] = {pk: [] for pk in ids}
    for contact in newest:
        latest[contact.requester_id].append(
            LatestContact(
                channel=contact.get_channel_display(),
                created_at=contact.created_at,
                subject=str(contact),
                count=contact.channel_count,
            )
        )

    def row(label: str, values, *, compare: bool = True) -> Row:
        return Row(label, [Cell([v for v in value if v]) for value in values], compare=compare)

    rows = [
        row("Name", ([p.name] for p in profiles)),
        row("Source", ([gettext(p.get_source_display())] for p in profiles)),
        row("Created", ([p.created_at.strftime("%Y-%m-%d")] for p in profiles), compare=False),
        row("External id", ([p.external_id or ""] for p in profiles)),
        row("Locale", ([p.locale] for p in profiles)),
        row("Time zone", ([p.time_zone] for p in profiles)),
    ]
    for kind in kinds:
        rows.append(
            Row(
                IdentityKind(kind).label,
                [
                    Cell(
                        [i.value for i in identities[pk][kind]],
                        primary={i.value for i in identities[pk][kind] if i.is_primary},
                    )
                    for pk in ids
                ],
            )
        )
    rows.append(row("Organizations", (organizations.get(pk, []) for pk in ids)))
    rows.append(row("Tags", ([f"#{tag}" for tag in p.tags] for p in profiles)))
    return Comparison(
        profiles=profiles,
        rows=rows,
        latest=[latest[pk] for pk in ids],
        contact_totals=[sum(contact.count for contact in latest[pk]) for pk in ids],
    )
