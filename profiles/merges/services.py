"""Merge duplicate profiles into one survivor, and undo a merge: atomic, audited, nothing lost.

`merge()` moves every identity, contact and membership of the merged-away
profiles to the survivor, unites the tags, appends the notes, applies the chosen
value of each single-valued field and turns the others into tombstones
(`merged_into` = survivor) that keep their row. A MergeRecord lists exactly what
moved and every value overwritten, so `unmerge()` can put it all back. An external
id a tombstone gives up is kept as a RetiredExternalId, so searching it still
finds the survivor.

Locking: every profile involved is locked FOR UPDATE in ascending primary-key
order before anything is read or written, so two merges sharing profiles never
deadlock: the second waits for the first, then sees its result (a tombstone, and
refuses) or works on the committed rows. Intake inserts a contact under FOR
SHARE on its requester's row (`intake_sql.insert_contact`), so a contact
arriving during a merge either is moved by it or lands on the survivor.
Contacts and identities move with set-based UPDATEs, never row by row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from organizations.models import Membership
from profiles.duplicates import services as duplicates
from profiles.errors import (
    CannotRestoreExactly,
    ConflictingExternalIds,
    InvalidFieldChoice,
    MergeAlreadyUndone,
    MergeError,
    MergeIntoItself,
    MergeIntoTombstone,
    MergeSizeInvalid,
    SurvivorMergedSince,
    SuspendedNotConfirmed,
    TombstoneMerged,
)
from profiles.models import (
    DEFAULT_ORGANIZATION,
    MERGE_FIELDS,
    Contact,
    EndUser,
    Identity,
    MergeRecord,
    RetiredExternalId,
)
from zdusers.tags import normalize_tags

# How many profiles one merge combines, survivor included.
MIN_PROFILES = 2
MAX_PROFILES = 10

_RECORDED_FIELDS = (*MERGE_FIELDS, "tags", "notes")


@transaction.atomic
def merge(
    *,
    survivor: EndUser,
    others: Sequence[EndUser],
    field_choices: Mapping[str, int] | None = None,
    actor: User | None,
    confirm_suspended: bool = False,
) -> MergeRecord:
    """Merge `others` into `survivor` (2 to 10 profiles in all) and return the MergeRecord.

    `field_choices` maps a field of MERGE_FIELDS to the id of the profile whose value
    wins; without a choice the survivor's value stays, or, when it is empty, the first
    non-empty value among `others` (in the order given). `suspended` is never "empty":
    the survivor's flag stays unless chosen. `field_choices["default_organization"]`
    is the id of the organization that becomes the survivor's default; otherwise the
    survivor's default stays (or, when it had none, the first merged-away default).

    Guarantees: all or nothing; nothing is deleted except a merged-away membership of an
    organization the survivor already has (recorded); the survivor keeps its primary
    identities and a moved identity of a kind it already has becomes non-primary; the
    others become tombstones that keep their rows, with their external ids cleared (the
    survivor may take one; the record keeps them). Refusals raise a MergeError before
    anything is written. After commit `after_merge(record)` runs.
    """
    choices = _clean_choices(field_choices or {})
    other_ids = [other.pk for other in others]
    _check_request(survivor.pk, other_ids, choices)
    ids = [survivor.pk, *other_ids]
    locked = {user.pk: user for user in EndUser.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    missing = [pk for pk in ids if pk not in locked]
    if missing:
        raise MergeError(f"Profile #{missing[0]} does not exist (any more); reload and choose again.")
    survivor, others = locked[survivor.pk], [locked[pk] for pk in other_ids]
    _check_profiles(survivor, others, choices, confirm_suspended)

    # kind → the survivor's primary identity of that kind; None for a kind it has without a primary.
    survivor_primaries: dict[str, int | None] = {}
    for kind, pk, is_primary in Identity.objects.filter(user_id=survivor.pk).values_list("kind", "pk", "is_primary"):
        if is_primary or kind not in survivor_primaries:
            survivor_primaries[kind] = pk if is_primary else None
    identities = _move_identities(survivor.pk, other_ids, survivor_primaries)
    contacts = _move_contacts(survivor.pk, other_ids)
    memberships = _move_memberships(survivor.pk, other_ids, choices.get(DEFAULT_ORGANIZATION))

    survivor_before = _fields(survivor)
    others_before = {str(other.pk): _fields(other) for other in others}
    # Tombstones first: the survivor may take an external id that must be free when it is saved.
    EndUser.objects.filter(pk__in=other_ids).update(merged_into_id=survivor.pk, external_id=None)
    now = timezone.now()
    for field, value in _winning_values(survivor, others, choices).items():
        setattr(survivor, field, value)
    survivor.tags = normalize_tags([*survivor.tags, *(tag for other in others for tag in other.tags)])
    survivor.notes = survivor.notes + _appended_notes(survivor.notes, others, now)
    survivor.save(update_fields=[*_RECORDED_FIELDS, "updated_at"])

    record = MergeRecord.objects.create(
        survivor=survivor,
        merged_ids=other_ids,
        field_choices=choices,
        survivor_before=survivor_before,
        survivor_after=_fields(survivor),
        others_before=others_before,
        identities=identities,
        survivor_primaries=survivor_primaries,
        contacts=contacts,
        memberships=memberships,
        actor=actor,
    )
    RetiredExternalId.objects.bulk_create(
        RetiredExternalId(external_id=other.external_id, user=other, merge_record=record)
        for other in others
        if other.external_id and other.external_id != survivor.external_id
    )
    transaction.on_commit(partial(after_merge, record))
    return record


def after_merge(record: MergeRecord) -> None:
    """Runs after a merge commits: the duplicate candidates among the merged profiles are closed as merged,
    the merged-away profiles' other open candidates go and the survivor is checked again."""
    duplicates.after_merge(
        survivor_id=record.survivor_id, merged_ids=[int(pk) for pk in record.merged_ids], actor=record.actor
    )


# --- merge: checks --------------------------------------------------------------------------------------


def _clean_choices(field_choices: Mapping[str, int]) -> dict[str, int]:
    """The choices with ids as integers (a form may hand over strings)."""
    try:
        return {field: int(value) for field, value in field_choices.items()}
    except (TypeError, ValueError):
        raise InvalidFieldChoice("Each field choice must be the id of a profile (or of an organization).") from None


def _check_request(survivor_id: int, other_ids: list[int], choices: dict[str, int]) -> None:
    """Refusals that need no database read."""
    if survivor_id in other_ids:
        raise MergeIntoItself("A profile cannot be merged into itself: choose another survivor or leave it out.")
    if len(set(other_ids)) != len(other_ids):
        raise MergeIntoItself("The same profile is listed twice among the profiles to merge.")
    count = len(other_ids) + 1
    if not MIN_PROFILES <= count <= MAX_PROFILES:
        raise MergeSizeInvalid(
            f"A merge combines {MIN_PROFILES} to {MAX_PROFILES} profiles at once; {count} were given."
        )
    allowed = {survivor_id, *other_ids}
    for field, profile_id in choices.items():
        if field == DEFAULT_ORGANIZATION:
            continue
        if field not in MERGE_FIELDS:
            raise InvalidFieldChoice(
                f"{field!r} cannot be chosen in a merge; the choices are: {', '.join(MERGE_FIELDS)}."
            )
        if profile_id not in allowed:
            raise InvalidFieldChoice(
                f"The value of {field} must come from one of the merged profiles, not #{profile_id}."
            )


def _check_profiles(survivor: EndUser, others: list[EndUser], choices: dict[str, int], confirm: bool) -> None:
    """Refusals about the locked, current rows."""
    if survivor.is_tombstone:
        raise MergeIntoTombstone(
            f"{survivor.name} (#{survivor.pk}) was merged into profile #{survivor.merged_into_id}; "
            "merge into that profile instead."
        )
    for other in others:
        if other.is_tombstone:
            raise TombstoneMerged(
                f"{other.name} (#{other.pk}) was already merged into profile #{other.merged_into_id}; leave it out."
            )
    suspended = [user for user in (survivor, *others) if user.suspended]
    if suspended and not confirm:
        names = ", ".join(f"{user.name} (#{user.pk})" for user in suspended)
        raise SuspendedNotConfirmed(f"{names} {'is' if len(suspended) == 1 else 'are'} suspended; confirm to merge.")
    external_ids = sorted({user.external_id for user in (survivor, *others) if user.external_id})
    if len(external_ids) > 1 and "external_id" not in choices:
        raise ConflictingExternalIds(
            f"The profiles have different external ids ({', '.join(external_ids)}); choose the one to keep."
        )
    organization_id = choices.get(DEFAULT_ORGANIZATION)
    if organization_id is not None:
        ids = [survivor.pk, *(other.pk for other in others)]
        if not Membership.objects.filter(user_id__in=ids, organization_id=organization_id).exists():
            raise InvalidFieldChoice(
                f"None of the merged profiles belongs to organization #{organization_id}; "
                "the default organization must be one of theirs."
            )


# --- merge: moving rows ---------------------------------------------------------------------------------


def _move_identities(survivor_id: int, other_ids: list[int], survivor_primaries: dict[str, int | None]) -> list[dict]:
    """Move every identity of the others; keep one primary per kind (the survivor's, else the first other's)."""
    position = {pk: n for n, pk in enumerate(other_ids)}
    rows = sorted(
        Identity.objects.filter(user_id__in=other_ids).values("id", "user_id", "kind", "normalized", "is_primary"),
        key=lambda row: (position[row["user_id"]], row["id"]),
    )
    primary_kinds = {kind for kind, pk in survivor_primaries.items() if pk is not None}
    demoted = []
    for row in rows:
        if row["is_primary"]:
            if row["kind"] in primary_kinds:
                demoted.append(row["id"])
            else:
                primary_kinds.add(row["kind"])
    if demoted:
        Identity.objects.filter(pk__in=demoted).update(is_primary=False)
    if rows:
        Identity.objects.filter(user_id__in=other_ids).update(user_id=survivor_id)
    return rows


def _move_contacts(survivor_id: int, other_ids: list[int]) -> dict[str, list[int]]:
    contacts: dict[str, list[int]] = defaultdict(list)
    moving = Contact.objects.filter(requester_id__in=other_ids)
    for pk, requester_id in moving.order_by("pk").values_list("pk", "requester_id"):
        contacts[str(requester_id)].append(pk)
    if contacts:
        moving.update(requester_id=survivor_id)
    return dict(contacts)


def _membership_row(membership: dict) -> dict:
    return {**membership, "created_at": membership["created_at"].isoformat()}


def _move_memberships(survivor_id: int, other_ids: list[int], default_organization_id: int | None) -> dict:
    """Move the others' memberships; one of an organization the survivor (or an earlier other) has is deleted."""
    fields = ("id", "user_id", "organization_id", "is_default", "created_at")
    own = list(Membership.objects.filter(user_id=survivor_id).order_by("pk").values(*fields))
    position = {pk: n for n, pk in enumerate(other_ids)}
    theirs = sorted(
        Membership.objects.filter(user_id__in=other_ids).values(*fields),
        key=lambda row: (position[row["user_id"]], row["id"]),
    )
    organizations = {row["organization_id"] for row in own}
    moved, deleted = [], []
    for row in theirs:
        (deleted if row["organization_id"] in organizations else moved).append(row)
        organizations.add(row["organization_id"])
    default_before = next((row["id"] for row in own if row["is_default"]), None)
    if default_organization_id is not None:
        default_after = next(row["id"] for row in (*own, *moved) if row["organization_id"] == default_organization_id)
    elif default_before is not None or not moved:
        default_after = default_before
    else:
        default_after = next((row["id"] for row in moved if row["is_default"]), moved[0]["id"])
    if deleted:
        Membership.objects.filter(pk__in=[row["id"] for row in deleted]).delete()
    if default_before is not None and default_after != default_before:
        Membership.objects.filter(pk=default_before).update(is_default=False)
    if moved:
        Membership.objects.filter(pk__in=[row["id"] for row in moved]).update(user_id=survivor_id, is_default=False)
    if default_after is not None and default_after != default_before:
        Membership.objects.filter(pk=default_after).update(is_default=True)
    return {
        "moved": [_membership_row(row) for row in moved],
        "deleted": [_membership_row(row) for row in deleted],
        "survivor_default_before": default_before,
        "default_after": default_after,
    }


# --- merge: fields --------------------------------------------------------------------------------------


def _fields(user: EndUser) -> dict[str, Any]:
    return {field: getattr(user, field) for field in _RECORDED_FIELDS}


def _winning_values(survivor: EndUser, others: list[EndUser], choices: dict[str, int]) -> dict[str, Any]:
    by_id = {user.pk: user for user in (survivor, *others)}
    values = {}
    for field in MERGE_FIELDS:
        if field in choices:
            values[field] = getattr(by_id[choices[field]], field)
            continue
        value = getattr(survivor, field)
        if field != "suspended" and value in ("", None):
            value = next((v for other in others if (v := getattr(other, field)) not in ("", None)), value)
        values[field] = value
    return values


def _appended_notes(notes: str, others: list[EndUser], now) -> str:
    """The notes of the others, each under a line naming its profile and the merge date."""
    blocks = [
        f"Notes of {other.name} (#{other.pk}), merged on {timezone.localdate(now):%Y-%m-%d}:\n{other.notes.strip()}"
        for other in others
        if other.notes.strip()
    ]
    if not blocks:
        return ""
    return ("\n\n" if notes else "") + "\n\n".join(blocks)


# --- unmerge --------------------------------------------------------------------------------------------


@transaction.atomic
def unmerge(*, merge_record: MergeRecord, actor: User | None) -> MergeRecord:
    """Undo a merge: the merged-away profiles get back exactly their identities, contacts, memberships and fields.

    Changes made to the survivor since the merge are kept: identities, contacts and
    memberships it gained stay, and a field is reverted only when it still has the
    value the merge gave it (tags that came from the others are removed, the appended
    notes are cut out when still there). A kind left without a primary identity on
    the survivor gets back its previous primary (else its oldest); likewise its
    default membership.

    Refuses (UnmergeError, nothing written) when the record was undone already, when
    the survivor was merged away since ("undo that merge first"), or when exact
    restoration is impossible: a moved identity or contact was deleted or belongs to
    another profile now, an external id is taken meanwhile.
    """
    record = MergeRecord.objects.select_for_update().get(pk=merge_record.pk)
    if record.is_undone:
        raise MergeAlreadyUndone(f"Merge #{record.pk} was undone already on {record.undone_at:%Y-%m-%d %H:%M}.")
    other_ids = [int(pk) for pk in record.merged_ids]
    ids = sorted([record.survivor_id, *other_ids])
    locked = {user.pk: user for user in EndUser.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    survivor = locked[record.survivor_id]
    _check_undoable(record, survivor, [locked[pk] for pk in other_ids])

    _restore_identities(record, survivor.pk)
    _restore_contacts(record, survivor.pk)
    _restore_memberships(record, survivor.pk)
    _restore_fields(record, survivor, other_ids)

    record.undone_at, record.undone_by = timezone.now(), actor
    record.save(update_fields=["undone_at", "undone_by"])
    transaction.on_commit(partial(duplicates.after_unmerge, user_ids=ids))
    return record


def _check_undoable(record: MergeRecord, survivor: EndUser, others: list[EndUser]) -> None:
    if survivor.is_tombstone:
        later = next(
            (
                later
                for later in MergeRecord.objects.filter(survivor_id=survivor.merged_into_id, undone_at__isnull=True)
                if survivor.pk in later.merged_ids
            ),
            None,
        )
        which = f"merge #{later.pk}" if later else "that merge"
        raise SurvivorMergedSince(
            f"{survivor.name} (#{survivor.pk}) was merged into profile #{survivor.merged_into_id} since; "
            f"undo {which} first."
        )
    for other in others:
        if other.merged_into_id != survivor.pk:
            raise CannotRestoreExactly(
                f"{other.name} (#{other.pk}) is no longer merged into {survivor.name} (#{survivor.pk})."
            )
    moved = {row["id"]: row for row in record.identities}
    current = dict(Identity.objects.filter(pk__in=moved).values_list("pk", "user_id"))
    for pk, row in moved.items():
        if pk not in current:
            raise CannotRestoreExactly(
                f"The {row['kind']} {row['normalized']} was deleted since the merge, so profile #{row['user_id']} "
                "cannot get it back; add it again to the survivor first."
            )
        if current[pk] != survivor.pk:
            raise CannotRestoreExactly(
                f"The {row['kind']} {row['normalized']} belongs to profile #{current[pk]} now, "
                f"no longer to {survivor.name} (#{survivor.pk})."
            )
    contact_ids = [pk for pks in record.contacts.values() for pk in pks]
    current = dict(Contact.objects.filter(pk__in=contact_ids).values_list("pk", "requester_id"))
    for pk in contact_ids:
        if pk not in current:
            raise CannotRestoreExactly(f"Contact #{pk}, moved by this merge, was deleted since.")
        if current[pk] != survivor.pk:
            raise CannotRestoreExactly(f"Contact #{pk}, moved by this merge, belongs to profile #{current[pk]} now.")


def _restore_identities(record: MergeRecord, survivor_id: int) -> None:
    by_user: dict[int, list[int]] = defaultdict(list)
    for row in record.identities:
        by_user[row["user_id"]].append(row["id"])
    for user_id, pks in by_user.items():
        Identity.objects.filter(pk__in=pks).update(user_id=user_id, is_primary=False)
    primaries = [row["id"] for row in record.identities if row["is_primary"]]
    if primaries:
        Identity.objects.filter(pk__in=primaries).update(is_primary=True)
    # A kind whose primary went back keeps a primary on the survivor: its previous one, else its oldest;
    # unless the survivor had that kind without a primary before the merge (left as it was).
    kinds = {row["kind"] for row in record.identities}
    kinds -= {kind for kind, pk in record.survivor_primaries.items() if pk is None}
    left = defaultdict(list)
    for pk, kind, is_primary in (
        Identity.objects.filter(user_id=survivor_id, kind__in=kinds)
        .order_by("pk")
        .values_list("pk", "kind", "is_primary")
    ):
        left[kind].append((pk, is_primary))
    promoted = []
    for kind, rows in left.items():
        if not any(is_primary for _, is_primary in rows):
            previous = record.survivor_primaries.get(kind)
            promoted.append(previous if previous in {pk for pk, _ in rows} else rows[0][0])
    if promoted:
        Identity.objects.filter(pk__in=promoted).update(is_primary=True)


def _restore_contacts(record: MergeRecord, survivor_id: int) -> None:
    for user_id, pks in record.contacts.items():
        Contact.objects.filter(pk__in=pks, requester_id=survivor_id).update(requester_id=int(user_id))


def _restore_memberships(record: MergeRecord, survivor_id: int) -> None:
    """Moved memberships go back (re-created, same id, when removed since); deleted ones are re-created."""
    rows = [*record.memberships.get("moved", []), *record.memberships.get("deleted", [])]
    current = dict(Membership.objects.filter(pk__in=[row["id"] for row in rows]).values_list("pk", "user_id"))
    by_user: dict[int, list[int]] = defaultdict(list)
    recreate = []
    for row in rows:
        if row["id"] not in current:
            recreate.append(row)
        elif current[row["id"]] == survivor_id:
            by_user[row["user_id"]].append(row["id"])
        elif current[row["id"]] != row["user_id"]:
            raise CannotRestoreExactly(
                f"Membership #{row['id']} of profile #{row['user_id']} belongs to profile #{current[row['id']]} now."
            )
    try:
        with transaction.atomic():
            for user_id, pks in by_user.items():
                Membership.objects.filter(pk__in=pks).update(user_id=user_id, is_default=False)
            Membership.objects.bulk_create(
                Membership(id=row["id"], user_id=row["user_id"], organization_id=row["organization_id"])
                for row in recreate
            )
            for row in recreate:  # created_at is auto_now_add: put the original back afterwards
                Membership.objects.filter(pk=row["id"]).update(created_at=parse_datetime(row["created_at"]))
            defaults = [row["id"] for row in rows if row["is_default"]]
            if defaults:
                Membership.objects.filter(pk__in=defaults).update(is_default=True)
    except IntegrityError:
        raise CannotRestoreExactly(
            "A merged-away profile was given a membership of the same organization since the merge; remove it first."
        ) from None
    own = list(Membership.objects.filter(user_id=survivor_id).order_by("pk").values_list("pk", "is_default"))
    default_now = next((pk for pk, is_default in own if is_default), None)
    if own and default_now in (None, record.memberships.get("default_after")):
        previous = record.memberships.get("survivor_default_before")
        target = previous if previous in {pk for pk, _ in own} else own[0][0]
        if target != default_now:
            if default_now is not None:
                Membership.objects.filter(pk=default_now).update(is_default=False)
            Membership.objects.filter(pk=target).update(is_default=True)


def _restore_fields(record: MergeRecord, survivor: EndUser, other_ids: list[int]) -> None:
    before, after = record.survivor_before, record.survivor_after
    for field in MERGE_FIELDS:
        if before[field] != after[field] and getattr(survivor, field) == after[field]:
            setattr(survivor, field, before[field])
    if survivor.tags == after["tags"]:
        survivor.tags = before["tags"]
    else:  # edited since: only the tags the others brought go back with them
        gained = set(after["tags"]) - set(before["tags"])
        survivor.tags = [tag for tag in survivor.tags if tag not in gained]
    appended = after["notes"][len(before["notes"]) :]
    if survivor.notes == after["notes"]:
        survivor.notes = before["notes"]
    elif appended and appended in survivor.notes:
        survivor.notes = survivor.notes.replace(appended, "", 1)
    survivor.save(update_fields=[*_RECORDED_FIELDS, "updated_at"])
    wanted = {int(pk): fields["external_id"] for pk, fields in record.others_before.items() if fields["external_id"]}
    taken = EndUser.objects.filter(external_id__in=wanted.values()).exclude(pk__in=other_ids).first()
    if taken is not None:
        raise CannotRestoreExactly(
            f"The external id {taken.external_id} belongs to {taken.name} (#{taken.pk}) now; "
            "change it there before undoing this merge."
        )
    EndUser.objects.filter(pk__in=other_ids).update(merged_into_id=None)
    for pk, external_id in wanted.items():
        EndUser.objects.filter(pk=pk).update(external_id=external_id)
    record.retired_external_ids.all().delete()
