"""Everything the desk holds about one person, as JSON: the right of access of the LGPD (Brazil, art. 18),
the GDPR (Spain, art. 15) and the LFPDPPP (Mexico, derechos ARCO).

One report gathers the profile and every place its data is copied to: its contact points and
conversations, organizations, the profiles merged into it and the merge snapshots that keep
their values, duplicate candidates (whose reasons quote contact points), import problems that
name it, and the channels' inbound log lines sent from its contact points. It lives with the
exports because it is one: read-only, admin-only, logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from imports.models import ImportIssue
from intake.models import InboundDelivery
from organizations.models import Membership
from profiles.models import Contact, DuplicateCandidate, EndUser, Identity, MergeRecord

PROFILE_FIELDS = [
    "id",
    "name",
    "external_id",
    "locale",
    "time_zone",
    "details",
    "notes",
    "tags",
    "source",
    "suspended",
    "created_at",
    "updated_at",
    "merged_into_id",
]


def subject_access_report(user: EndUser) -> dict[str, Any]:
    """What the desk holds about `user` and the profiles merged into it, JSON-ready (dates as ISO 8601)."""
    merged_away = list(EndUser.objects.filter(merged_into=user).order_by("pk").values(*PROFILE_FIELDS))
    ids = [user.pk, *(profile["id"] for profile in merged_away)]
    identities = list(
        Identity.objects.filter(user_id__in=ids)
        .order_by("pk")
        .values("user_id", "kind", "value", "normalized", "is_primary", "verified", "created_at")
    )
    senders = {identity["value"] for identity in identities} | {identity["normalized"] for identity in identities}
    senders |= {identity["normalized"].lstrip("+") for identity in identities}  # WhatsApp ids: digits, no "+"
    report = {
        "generated_at": timezone.now(),
        "profile": EndUser.objects.filter(pk=user.pk).values(*PROFILE_FIELDS).get(),
        "profiles_merged_into_it": merged_away,
        "contact_points": identities,
        "contacts": list(
            Contact.objects.filter(requester_id__in=ids)
            .order_by("created_at", "pk")
            .values(
                "id",
                "channel",
                "subject",
                "summary",
                "status",
                "created_at",
                "source_ref",
                "via_identity__value",
                "organization__name",
            )
        ),
        "organizations": list(
            Membership.objects.filter(user_id__in=ids)
            .order_by("pk")
            .values("organization__name", "is_default", "created_at")
        ),
        "merges": [
            {
                "id": record.pk,
                "created_at": record.created_at,
                "survivor_id": record.survivor_id,
                "merged_ids": record.merged_ids,
                "values_kept_for_undo": {
                    "survivor_before": record.survivor_before,
                    "others_before": record.others_before,
                    "identities": record.identities,
                },
                "undone_at": record.undone_at,
            }
            for record in MergeRecord.objects.filter(_merges_of(ids)).order_by("pk")
        ],
        "duplicate_candidates": list(
            DuplicateCandidate.objects.filter(Q(low_id__in=ids) | Q(high_id__in=ids))
            .order_by("pk")
            .values("low_id", "high_id", "score", "reasons", "status", "reviewed_at")
        ),
        "import_problems": [
            {"import": issue.job_id, "line": issue.line, "column": issue.column, "message": issue.message}
            for issue in ImportIssue.objects.filter(_naming(ids)).order_by("job_id", "line")
        ],
        "inbound_log": list(
            InboundDelivery.objects.filter(sender__in=sorted(senders))
            .order_by("received_at", "pk")
            .values("channel__name", "received_at", "outcome", "source_ref", "sender", "detail")
        ),
    }
    return _jsonable(report)


def _merges_of(ids: list[int]) -> Q:
    """Merges into these profiles, and merges that took one of them away (undone since, or it would be a
    tombstone here): their snapshots keep its values for undo."""
    return Q(survivor_id__in=ids) | Q(pk__in=_rows_listing(MergeRecord.objects.all(), "merged_ids", ids))


def _naming(ids: list[int]) -> Q:
    return Q(pk__in=_rows_listing(ImportIssue.objects.exclude(profile_ids=[]), "profile_ids", ids))


def _rows_listing(queryset, field: str, ids: list[int]) -> list[int]:
    """Primary keys of rows whose JSON list `field` holds any of `ids`: PostgreSQL's jsonb containment (@>), an
    index-free scan in Python on SQLite, which has no such lookup (its desks are small)."""
    if connection.vendor == "postgresql":
        condition = Q(pk__in=[])
        for pk in ids:
            condition |= Q(**{f"{field}__contains": [pk]})
        return list(queryset.filter(condition).values_list("pk", flat=True))
    wanted = set(ids)
    return [pk for pk, listed in queryset.values_list("pk", field).iterator() if wanted & set(listed or [])]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
