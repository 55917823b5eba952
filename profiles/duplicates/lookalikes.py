"""Profiles that look like another one: the profile page's "possible duplicates" and match-on-create."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext
from rapidfuzz import fuzz

from organizations.models import Membership
from profiles.db_functions import fold_in_python, fold_value, folded_name_contains
from profiles.duplicates.selectors import queue_queryset, shown_reasons
from profiles.errors import InvalidIdentity
from profiles.identities import PHONE_KINDS, IdentityKind, normalize_email, normalize_phone, phone_variants
from profiles.models import DuplicateCandidate, EndUser, Identity

# rapidfuzz token_sort_ratio on folded names at or above which a name is "similar".
SIMILAR_NAME_SCORE = 88
SIMILAR_NAME_CANDIDATES = 200


@dataclass
class Match:
    """Another profile that may be the same customer, and why we think so."""

    user: EndUser
    reasons: list[str] = field(default_factory=list)
    blocking: bool = False  # the same contact point: saving would be refused
    candidate: DuplicateCandidate | None = None  # an open candidate of the review queue: scored, with a compare page


def possible_duplicates(user: EndUser, identities: list[Identity], memberships: list[Membership]) -> list[Match]:
    """The profile's open duplicate candidates (strongest first), then other live profiles sharing a phone line
    (also as WhatsApp or in another written form) or name + organization that no candidate covers yet.
    """
    matches: dict[int, Match] = {}
    for candidate in [] if user.is_tombstone else open_candidates_of(user):
        other = candidate.high if candidate.low_id == user.pk else candidate.low
        reasons = [reason.text for reason in shown_reasons(candidate.reasons, positive_only=True, limit=3)]
        matches[other.pk] = Match(user=other, reasons=reasons, candidate=candidate)
    covered = set(matches)  # the queue's scored explanation beats the ad-hoc one below
    phone_keys: dict[str, str] = {}
    for identity in identities:
        if identity.kind in PHONE_KINDS:
            phone_keys[identity.normalized] = f"same number {identity.normalized}"
            for variant in phone_variants(identity.normalized):
                phone_keys.setdefault(variant, f"{variant} is another way of writing {identity.normalized}")
    if phone_keys:
        sharing = (
            Identity.objects.filter(kind__in=PHONE_KINDS, normalized__in=list(phone_keys))
            .exclude(user=user)
            .filter(user__merged_into__isnull=True)
            .select_related("user")[:20]
        )
        for identity in sharing:
            if identity.user_id in covered:
                continue
            _add(matches, identity.user, f"{phone_keys[identity.normalized]} ({identity.get_kind_display()})")
    organization_ids = [m.organization_id for m in memberships]
    if organization_ids:
        namesakes = (
            EndUser.objects.filter(name_folded=fold_value(user.name), merged_into__isnull=True)
            .filter(memberships__organization_id__in=organization_ids)
            .exclude(pk=user.pk)
            .distinct()[:20]
        )
        for namesake in namesakes:
            if namesake.pk in covered:
                continue
            _add(matches, namesake, "same name in the same organization")
    return list(matches.values())


def open_candidates_of(user: EndUser, *, limit: int = 20) -> list[DuplicateCandidate]:
    """The open candidates pairing `user` with another live profile, in queue order (one query)."""
    return list(
        queue_queryset()
        .filter(Q(low_id=user.pk) | Q(high_id=user.pk))
        .only("pk", "low", "high", "score", "reasons", "low__name", "high__name")[:limit]
    )


def profiles_matching_new(*, name: str = "", email: str = "", phone: str = "") -> list[Match]:
    """Existing live profiles a new profile with these details might duplicate.

    Owners of the same email or phone are blocking matches; similar names are
    warnings. Values that cannot be normalized are ignored here (the form reports them).
    """
    matches: dict[int, Match] = {}
    keys, e164 = Q(), None
    with suppress(InvalidIdentity):  # an invalid email is the form's to report, not a match
        keys |= Q(kind=IdentityKind.EMAIL, normalized=normalize_email(email)) if email.strip() else Q()
    with suppress(InvalidIdentity):
        e164 = normalize_phone(phone) if phone.strip() else None
    if e164:
        keys |= Q(kind__in=PHONE_KINDS, normalized__in=[e164, *phone_variants(e164)])
    if keys:
        for identity in Identity.objects.filter(keys).select_related("user", "user__merged_into")[:20]:
            owner = identity.user.merged_into or identity.user
            # Phone and WhatsApp share one key: the same E.164 number is the same line, whichever kind holds it.
            same_key = identity.kind == IdentityKind.EMAIL or (
                identity.kind in PHONE_KINDS and identity.normalized == e164
            )
            reason = gettext("has %(kind)s %(value)s") % {
                "kind": gettext(identity.get_kind_display()).lower(),
                "value": identity.normalized,
            }
            _add(
                matches,
                owner,
                reason if same_key else reason + " " + gettext("(the same line written another way)"),
                blocking=same_key,
            )
    for similar, score in similar_names(name):
        _add(matches, similar, gettext("similar name (%(score)d%% alike)") % {"score": round(score)})
    return sorted(matches.values(), key=lambda m: (not m.blocking, m.user.name))[:10]


def similar_names(name: str) -> list[tuple[EndUser, float]]:
    """Live profiles whose name is close to `name` (accents, case and word order ignored)."""
    folded = fold_in_python(" ".join(name.split())) or ""
    words = [w for w in folded.split() if len(w) >= 3]
    if not words:
        return []
    anchor = max(words, key=len)  # the longest word narrows candidates best (trigram-indexed)
    candidates = EndUser.objects.filter(folded_name_contains(anchor), merged_into__isnull=True).only("pk", "name")
    scored = []
    for candidate in candidates[:SIMILAR_NAME_CANDIDATES]:
        score = fuzz.token_sort_ratio(folded, fold_in_python(candidate.name))
        if score >= SIMILAR_NAME_SCORE:
            scored.append((candidate, score))
    return sorted(scored, key=lambda pair: -pair[1])[:5]


def _add(matches: dict[int, Match], user: EndUser, reason: str, *, blocking: bool = False) -> None:
    match = matches.setdefault(user.pk, Match(user=user))
    match.reasons.append(reason)
    match.blocking = match.blocking or blocking
