"""Read queries of the merge page, of the merge history `/merges/` and of one merge record's page.

The merge page shows the selected profiles side by side (`merge_preview`). A
record's page shows what comes from the MergeRecord's JSON (see its docstring
for the layout) plus a fixed number of look-ups for what the JSON only names by
id: profile names, identity values, contacts, organizations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from organizations.models import Membership, Organization
from profiles.identities import IdentityKind
from profiles.models import FIELD_LABELS, MERGE_FIELDS, Contact, EndUser, Identity, MergeRecord

CONTACTS_SHOWN = 50  # a merge may move thousands of contacts: the record page lists the first ones


# The JSON the history table needs (merged ids and what moved); the field snapshots, with whole notes, are not.
_HISTORY_DEFERRED = ("survivor_before", "survivor_after", "others_before", "survivor_primaries", "field_choices")


def can_see_merges(user: User) -> bool:
    """Whoever may merge or undo a merge may read the merge history."""
    return user.has_perm("profiles.merge_enduser") or user.has_perm("profiles.unmerge_enduser")


# --- the merge page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceOption:
    profile: EndUser
    value: Any
    checked: bool


@dataclass(frozen=True)
class FieldChoice:
    """A single-valued field on which the profiles differ: one option per distinct value, the default checked."""

    field: str
    label: str
    options: list[ChoiceOption]


@dataclass(frozen=True)
class MergePreview:
    """The profiles of a merge side by side (by id, each with `identity_count`, `contact_count` and its
    memberships with their organizations) as they would be merged into `survivor_id`."""

    profiles: list[EndUser]
    survivor_id: int
    fields: list[FieldChoice]
    organizations: list[Organization]  # every organization one of the profiles belongs to, once
    moves: dict[str, int]  # what moves to the survivor: profiles, identities, contacts, organizations

    @property
    def survivor(self) -> EndUser:
        return next(profile for profile in self.profiles if profile.pk == self.survivor_id)

    @property
    def others(self) -> list[EndUser]:
        return [profile for profile in self.profiles if profile.pk != self.survivor_id]

    @property
    def any_suspended(self) -> bool:
        return any(profile.suspended for profile in self.profiles)


def merge_preview(profile_ids: list[int], survivor_id: int | None = None) -> MergePreview | None:
    """The merge page's data for these profiles (tombstones included: the merge refuses them, with a reason).

    The survivor is `survivor_id` when it is one of them, else the most contacted (the lowest id among
    equals). None when one of the profiles does not exist (any more). Three queries, whatever the sizes.
    """
    profiles = list(
        EndUser.objects.filter(pk__in=profile_ids)
        .annotate(identity_count=Count("identities", distinct=True), contact_count=Count("contacts", distinct=True))
        .prefetch_related("memberships__organization")
        .order_by("pk")
    )
    if not profiles or len(profiles) != len(set(profile_ids)):
        return None
    if survivor_id not in {profile.pk for profile in profiles}:
        survivor_id = max(profiles, key=lambda p: (p.contact_count, -p.pk)).pk
    others = [profile for profile in profiles if profile.pk != survivor_id]
    return MergePreview(
        profiles=profiles,
        survivor_id=survivor_id,
        fields=_conflicting_fields(profiles, survivor_id),
        organizations=list(
            {m.organization_id: m.organization for profile in profiles for m in profile.memberships.all()}.values()
        ),
        moves={
            "profiles": len(others),
            "identities": sum(profile.identity_count for profile in others),
            "contacts": sum(profile.contact_count for profile in others),
            "organizations": sum(len(profile.memberships.all()) for profile in others),
        },
    )


def _conflicting_fields(profiles: list[EndUser], survivor_id: int) -> list[FieldChoice]:
    """Fields whose values differ. The default is the survivor's value, or the most recently created
    profile's non-empty value when the survivor has none."""
    rows = []
    for field in MERGE_FIELDS:
        values = {p.pk: getattr(p, field) for p in profiles}
        if len({str(v) for v in values.values()}) <= 1:
            continue
        default = survivor_id
        if values[survivor_id] in ("", None):
            filled = [p for p in profiles if values[p.pk] not in ("", None)]
            default = max(filled, key=lambda p: p.created_at).pk if filled else survivor_id
        # One option per distinct value (two profiles in America/Manaus are one choice): the default's own
        # option for its value, the first profile's for the others.
        by_value: dict[str, EndUser] = {}
        for p in sorted(profiles, key=lambda p: p.pk != default):
            by_value.setdefault(str(values[p.pk]), p)
        kept = {p.pk for p in by_value.values()}
        options = [
            ChoiceOption(profile=p, value=values[p.pk], checked=p.pk == default) for p in profiles if p.pk in kept
        ]
        rows.append(FieldChoice(field=field, label=FIELD_LABELS[field], options=options))
    return rows


# --- the history --------------------------------------------------------------------------------


def merge_history() -> QuerySet[MergeRecord]:
    """Every merge, newest first, with its actor, undoer and kept profile joined.

    Newest first by id: ids grow with time, and the primary key's index serves the
    order (there is no index on created_at).
    """
    return (
        MergeRecord.objects.select_related("actor", "undone_by", "survivor").defer(*_HISTORY_DEFERRED).order_by("-pk")
    )


def involving_profile_q(profile_id: int) -> Q:
    """Merges that kept `profile_id` or merged it away.

    `others_before` is keyed by exactly the merged-away ids (as strings); `has_key` is a
    JSON lookup both SQLite and PostgreSQL support, where `merged_ids__contains` is not.
    """
    return Q(survivor_id=profile_id) | Q(others_before__has_key=str(profile_id))


def profile_names(profile_ids: list[int]) -> dict[int, str]:
    """The current names of these profiles (tombstones included), one query."""
    return dict(EndUser.objects.filter(pk__in=profile_ids).values_list("pk", "name"))


def membership_count(record: MergeRecord) -> int:
    """Memberships the merge moved (not those dropped because the survivor was in that organization already)."""
    return len(record.memberships.get("moved", []))


# --- one record ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRef:
    """A profile the merge involved: its id, its name now and, for a merged-away one, its name at the merge."""

    pk: int
    name: str
    name_before: str = ""

    @property
    def renamed(self) -> bool:
        return bool(self.name_before) and self.name_before != self.name


@dataclass(frozen=True)
class MovedIdentity:
    pk: int
    kind: str
    kind_label: str
    value: str
    normalized: str
    source: ProfileRef
    was_primary: bool
    demoted: bool  # primary on its profile, no longer primary after the merge (the survivor had one of that kind)
    exists: bool  # False when deleted since the merge


@dataclass(frozen=True)
class FieldValue:
    profile: ProfileRef
    value: Any
    won: bool


@dataclass(frozen=True)
class FieldRow:
    """One single-valued field: the kept profile's value before, each merged-away value, the result."""

    name: str
    label: str
    before: Any
    others: list[FieldValue]
    after: Any
    changed: bool  # the kept profile's value changed
    how: str  # how the result was decided, in words

    @property
    def overwritten(self) -> bool:
        """Changed from a value (not merely filled in where the kept profile had none)."""
        return self.changed and self.before not in ("", None)


@dataclass(frozen=True)
class ContactsFrom:
    source: ProfileRef
    count: int


@dataclass(frozen=True)
class MovedMembership:
    organization_id: int
    organization_name: str
    source: ProfileRef
    was_default: bool


@dataclass
class MergeRecordPage:
    record: MergeRecord
    survivor: ProfileRef
    merged: list[ProfileRef]
    identities: list[MovedIdentity]
    contacts_from: list[ContactsFrom]
    contact_count: int
    contacts: list[Contact]  # the first CONTACTS_SHOWN moved, in the record's order
    memberships_moved: list[MovedMembership]
    memberships_deleted: list[MovedMembership]
    default_before: str  # the kept profile's default organization before and after ("" for none)
    default_after: str
    fields: list[FieldRow]
    tags_before: list[str]
    tags_after: list[str]
    tags_added: list[str]
    notes_appended: str

    @property
    def contacts_capped(self) -> bool:
        return self.contact_count > len(self.contacts)


def merge_record(pk: int) -> MergeRecord | None:
    """The record with its actor, undoer and kept profile; None when there is no such record."""
    return MergeRecord.objects.select_related("actor", "undone_by", "survivor").filter(pk=pk).first()


def merge_record_page(record: MergeRecord) -> MergeRecordPage:
    """Everything a merge moved and overwrote, in a fixed number of queries whatever its size."""
    merged_ids = [int(pk) for pk in record.merged_ids]
    others_before = record.others_before or {}
    names = profile_names(merged_ids)
    survivor = ProfileRef(record.survivor_id, record.survivor.name, record.survivor_before.get("name", ""))
    refs = {
        pk: ProfileRef(pk, names.get(pk, f"Profile #{pk}"), others_before.get(str(pk), {}).get("name", ""))
        for pk in merged_ids
    }
    refs[survivor.pk] = survivor
    merged = [refs[pk] for pk in merged_ids]

    contact_ids = [pk for pks in record.contacts.values() for pk in pks]
    shown_ids = contact_ids[:CONTACTS_SHOWN]
    by_id = {contact.pk: contact for contact in Contact.objects.filter(pk__in=shown_ids)}
    # Annotated for the template: where each shown contact came from.
    owner_of = {pk: int(owner) for owner, pks in record.contacts.items() for pk in pks[:CONTACTS_SHOWN]}
    contacts = []
    for pk in shown_ids:
        if pk in by_id:
            contact = by_id[pk]
            contact.merged_from = refs.get(owner_of[pk]) or ProfileRef(owner_of[pk], f"Profile #{owner_of[pk]}")
            contacts.append(contact)

    memberships_moved, memberships_deleted, default_before, default_after = _memberships(record, refs)
    tags_before = list(record.survivor_before.get("tags", []))
    tags_after = list(record.survivor_after.get("tags", []))
    notes_before = record.survivor_before.get("notes", "")
    notes_after = record.survivor_after.get("notes", "")
    return MergeRecordPage(
        record=record,
        survivor=survivor,
        merged=merged,
        identities=_identities(record, refs),
        contacts_from=[
            ContactsFrom(refs.get(int(owner)) or ProfileRef(int(owner), f"Profile #{owner}"), len(pks))
            for owner, pks in record.contacts.items()
        ],
        contact_count=len(contact_ids),
        contacts=contacts,
        memberships_moved=memberships_moved,
        memberships_deleted=memberships_deleted,
        default_before=default_before,
        default_after=default_after,
        fields=_fields(record, survivor, merged),
        tags_before=tags_before,
        tags_after=tags_after,
        tags_added=[tag for tag in tags_after if tag not in tags_before],
        notes_appended=notes_after[len(notes_before) :].strip() if notes_after.startswith(notes_before) else "",
    )


def _identities(record: MergeRecord, refs: dict[int, ProfileRef]) -> list[MovedIdentity]:
    rows = record.identities
    values = dict(Identity.objects.filter(pk__in=[row["id"] for row in rows]).values_list("pk", "value"))
    # As the merge decided: the survivor's primaries stay, then the first merged-away primary of each kind.
    primary_kinds = {kind for kind, pk in record.survivor_primaries.items() if pk is not None}
    labels = dict(IdentityKind.choices)
    moved = []
    for row in rows:
        demoted = False
        if row["is_primary"]:
            demoted = row["kind"] in primary_kinds
            primary_kinds.add(row["kind"])
        moved.append(
            MovedIdentity(
                pk=row["id"],
                kind=row["kind"],
                kind_label=labels.get(row["kind"], row["kind"]),
                value=values.get(row["id"], row["normalized"]),
                normalized=row["normalized"],
                source=refs.get(row["user_id"]) or ProfileRef(row["user_id"], f"Profile #{row['user_id']}"),
                was_primary=row["is_primary"],
                demoted=demoted,
                exists=row["id"] in values,
            )
        )
    return moved


def _memberships(
    record: MergeRecord, refs: dict[int, ProfileRef]
) -> tuple[list[MovedMembership], list[MovedMembership], str, str]:
    memberships = record.memberships or {}
    moved_rows, deleted_rows = memberships.get("moved", []), memberships.get("deleted", [])
    default_ids = [pk for pk in (memberships.get("survivor_default_before"), memberships.get("default_after")) if pk]
    # The kept profile's own default is not in the record's rows: look its organization up (it may be gone).
    defaults = dict(
        Membership.objects.filter(pk__in=default_ids).values_list("pk", "organization_id") if default_ids else []
    )
    for row in (*moved_rows, *deleted_rows):
        defaults.setdefault(row["id"], row["organization_id"])
    organization_ids = {row["organization_id"] for row in (*moved_rows, *deleted_rows)} | set(defaults.values())
    names = dict(Organization.objects.filter(pk__in=organization_ids).values_list("pk", "name"))

    def entry(row: dict) -> MovedMembership:
        user_id = row["user_id"]
        return MovedMembership(
            organization_id=row["organization_id"],
            organization_name=names.get(row["organization_id"], f"Organization #{row['organization_id']}"),
            source=refs.get(user_id) or ProfileRef(user_id, f"Profile #{user_id}"),
            was_default=row["is_default"],
        )

    def default_name(membership_id: int | None) -> str:
        if not membership_id:
            return ""
        organization_id = defaults.get(membership_id)
        if organization_id is None:
            return "an organization since removed"
        return names.get(organization_id, f"Organization #{organization_id}")

    return (
        [entry(row) for row in moved_rows],
        [entry(row) for row in deleted_rows],
        default_name(memberships.get("survivor_default_before")),
        default_name(memberships.get("default_after")),
    )


def _fields(record: MergeRecord, survivor: ProfileRef, merged: list[ProfileRef]) -> list[FieldRow]:
    """The single-valued fields on which the profiles differed (a field all had alike changed nothing)."""
    before, after, others_before = record.survivor_before, record.survivor_after, record.others_before or {}
    choices = record.field_choices or {}
    rows = []
    for name in MERGE_FIELDS:
        if name not in before:
            continue
        own, result = before.get(name), after.get(name)
        others = [(ref, others_before.get(str(ref.pk), {}).get(name)) for ref in merged]
        if all(value == own for _, value in others) and own == result:
            continue
        chosen = choices.get(name)
        if chosen is not None:
            winner = chosen
            how = "chosen from the kept profile" if chosen == survivor.pk else f"chosen from #{chosen}"
        elif own == result:
            winner, how = survivor.pk, "the kept profile's value stayed"
        else:
            winner = next((ref.pk for ref, value in others if value == result), None)
            how = f"the kept profile had none: the first merged-away value, #{winner}'s" if winner else "changed"
        rows.append(
            FieldRow(
                name=name,
                label=FIELD_LABELS.get(name, name),
                before=own,
                others=[FieldValue(ref, value, ref.pk == winner) for ref, value in others],
                after=result,
                changed=own != result,
                how=how,
            )
        )
    return rows


def merge_that_absorbed(user: EndUser) -> MergeRecord | None:
    """The (not undone) merge that turned `user` into a tombstone, with its actor; None if unrecorded."""
    records = (
        MergeRecord.objects.filter(survivor_id=user.merged_into_id, undone_at__isnull=True)
        .select_related("actor")
        .only("pk", "merged_ids", "created_at", "actor__username", "actor__first_name", "actor__last_name")
        .order_by("-created_at", "-pk")
    )
    return next((record for record in records if user.pk in record.merged_ids), None)
