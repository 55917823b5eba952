"""Importing end users from a CSV file in Zendesk's format: preview (dry run) or apply, chunk by chunk.

For each row, in file order:

1. the row is checked on its own (imports.rows): every contact point normalized, role,
   lengths, field count — problems make it *invalid*, naming the column;
2. a row repeating an earlier line is invalid, and an identifier (external id, email,
   phone, handle) already on an earlier line is a *conflict* naming that line;
3. it is matched against the live profiles: by external_id, email, phone or handle
   (a merged-away owner stands for its survivor). Identifiers pointing at two
   different profiles are a conflict naming both; one profile is *updated* (cells
   present overwrite, identities are added, tags united, the organization joined) or
   *unchanged* when nothing would change; no profile means *create* (source import,
   joining the organization named and those auto-assigning its email domains). A new
   profile without a name is named after its contact point, as intake names one, and
   the row carries a *warning* (applied, never counted invalid).

Applying commits chunk by chunk (each chunk all or nothing, each update in its own
savepoint), so a killed process leaves every committed row valid and the job says
up to which line. Running the same file again changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower

from imports.checking import MIN_POOL_CHUNK, checked_chunks
from imports.collection import collected_per_chunk, end_of_chunk
from imports.columns import FIELD_COLUMNS, FIELDS
from imports.csvfile import ALL_USER_COLUMNS, USER_KEY_COLUMNS, CsvSource
from imports.overlap import ChunkWriter
from imports.pgarrays import int_array, pg_rows, text_array
from imports.rows import Problem, RowIdentity, UserRow
from imports.seen import PostgresSeenIndex, SeenIndex, open_seen_index
from imports.services import writers
from intake.inbound import derive_name
from organizations.models import Membership, Organization
from organizations.services.auto_assign import auto_assign_targets
from organizations.services.memberships import save_membership
from organizations.services.organizations import create_organization
from profiles.duplicates import hooks
from profiles.identities import PHONE_KINDS, IdentityKind, value_label
from profiles.models import EndUser, Identity
from profiles.services.identities import add_identity
from profiles.services.profiles import update_profile
from zdusers.errors import DomainError

DEFAULT_CHUNK_SIZE = 20_000
_LABELS = {"external_id": "external id", "tel": "phone number", "email": "email"}
_JSON_FIELDS = {name for name in FIELDS if EndUser._meta.get_field(name).get_internal_type() == "JSONField"}


@dataclass
class Outcome:
    """What happened to (or, in a preview, would happen to) the rows of one chunk."""

    first_line: int
    last_line: int
    bytes_read: int
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    invalid: int = 0
    organizations_created: int = 0
    warned: int = 0  # rows applied (or to be applied) with a warning: counted apart, never invalid
    problems: list[tuple[int, Problem]] = field(default_factory=list)
    # What a person should know about rows that are applied all the same (a new profile named after its contact
    # point): kept apart from `problems`, which are the rows refused.
    warnings: list[tuple[int, Problem]] = field(default_factory=list)


@dataclass
class _Profile:
    """A live profile as a row sees it: its own fields (those of the spec), contact-point keys and organizations."""

    id: int
    fields: dict[str, object]
    keys: set[tuple[str, str]] = field(default_factory=set)
    organization_ids: set[int] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.fields["name"]

    @property
    def external_id(self) -> str | None:
        return self.fields["external_id"]


def open_user_file(stream: BinaryIO) -> CsvSource:
    """Read the header of an end-user file; raises FileProblem for an empty, headerless or non-UTF-8 start."""
    return CsvSource(stream, known_columns=ALL_USER_COLUMNS, key_columns=USER_KEY_COLUMNS)


def import_users(
    *,
    source: CsvSource,
    apply: bool,
    create_organizations: bool = True,
    start_after_line: int = 0,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_chunk: Callable[[Outcome], None] = lambda outcome: None,
    overlap_writes: bool | None = None,
) -> None:
    """Preview (`apply` false: nothing written) or apply the rows of `source`, calling `on_chunk` per chunk.

    When applying, `on_chunk` runs inside the chunk's transaction, so what it records
    (progress, problems) commits with the rows. Rows up to `start_after_line` were
    applied by an earlier run: they are read again only to know their identifiers.
    Raises FileProblem when the file cannot be read further (chunks before stay).
    `overlap_writes`: write each chunk on a second connection while the next is
    prepared (None: when applying a file of several big chunks on PostgreSQL).
    """
    planned_organizations: set[str] = set()  # lower-cased names a preview would create
    writer = None
    with open_seen_index() as seen, collected_per_chunk(), ExitStack() as stack:
        # Big files are checked in worker processes while this one plans the next chunk.
        for chunk in checked_chunks(source, chunk_size):
            lines = [line for line, _ in chunk.checked]
            outcome = Outcome(first_line=lines[0], last_line=lines[-1], bytes_read=chunk.bytes_read)
            if outcome.last_line <= start_after_line:
                _find_repeats(chunk.checked, seen, outcome)  # only to remember the identifiers
                continue
            if writer is None:
                if overlap_writes is None:
                    overlap_writes = apply and connection.vendor == "postgresql" and _fills(chunk, chunk_size)
                writer = stack.enter_context(ChunkWriter(threaded=overlap_writes))
            plan = _plan(chunk.checked, seen, outcome, apply, create_organizations, planned_organizations)
            writer.write(partial(_write, plan, outcome, apply, on_chunk))
            del chunk, outcome, plan
            end_of_chunk()


def _fills(chunk, chunk_size: int) -> bool:
    """A chunk as big as a writer thread pays for (the file has more to come than a small upload)."""
    return len(chunk.checked) == chunk_size >= MIN_POOL_CHUNK


@dataclass
class _Plan:
    """What a chunk's rows will do, decided from a read of the database: the writer acts on it."""

    creates: list[UserRow] = field(default_factory=list)
    # line → warning of the creates named after a contact point, reported once the profile is (or would be) created
    named_after_contact: dict[int, Problem] = field(default_factory=dict)
    # (row, id of the profile it updates, the first of the row's keys found on that profile)
    updates: list[tuple[UserRow, int, tuple[str, str]]] = field(default_factory=list)
    conflicting_owners: list[list[int]] = field(default_factory=list)  # for the duplicate queue, once committed


def _plan(checked, seen, outcome, apply, create_organizations, planned_organizations) -> _Plan:
    """Sort the chunk's rows into problems, creates and updates. Reads the database, never writes to it."""
    outcome.rows = len(checked)
    rows = _find_repeats(checked, seen, outcome)
    rows = _resolve_organizations(rows, outcome, apply, create_organizations, planned_organizations)
    owners = _owners(rows)
    plan = _Plan()
    conflicting = []
    for row in rows:
        row_owners = owners[row.line]
        distinct = list(dict.fromkeys(row_owners.values()))
        if len(distinct) > 1:
            conflicting.append((row, row_owners))
            plan.conflicting_owners.append(distinct)
        elif distinct:
            matched_by = next((key for key in row_owners if key[0] != "external_id"), next(iter(row_owners)))
            plan.updates.append((row, distinct[0], matched_by))
        elif row.name is None and not row.identities:
            outcome.problems.append(
                (
                    row.line,
                    Problem(
                        "name",
                        "a new profile needs a name or a contact point to be named after (email, phone, handle); "
                        "this row has only an external id, which matches nobody",
                    ),
                )
            )
        else:
            if row.name is None:
                plan.named_after_contact[row.line] = name_after_contact(row)
            plan.creates.append(row)
    if conflicting:
        names = _names({owner for _, row_owners in conflicting for owner in row_owners.values()})
        outcome.problems.extend((row.line, _conflict(row_owners, names)) for row, row_owners in conflicting)
    return plan


def name_after_contact(row: UserRow) -> Problem:
    """Name a nameless new profile as intake names a profile known only by a contact point, and say so.

    A customer file often lists a contact by number or address alone; refusing the row would lose the person,
    while intake would create them under a derived name. The row is applied, with a warning naming the name.
    """
    point = naming_identity(row.identities)
    name = derive_name(point.kind, point.normalized)
    row.profile["name"] = name
    row.copy_text = None  # built without the name (maybe by a checking worker): build it again when written
    return Problem("name", f"no name: the profile is named after its {value_label(point.kind)}, “{name}”")


def naming_identity(identities: list[RowIdentity]) -> RowIdentity:
    """The contact point a nameless profile is named after: the first email (it usually holds a person's name),
    else the first phone or WhatsApp number, else the first other identity."""
    for kinds in ({IdentityKind.EMAIL}, PHONE_KINDS):
        for identity in identities:
            if identity.kind in kinds:
                return identity
    return identities[0]


def _write(plan: _Plan, outcome: Outcome, apply: bool, on_chunk: Callable[[Outcome], None]) -> None:
    """Carry out `plan` (when applying: in one transaction with `on_chunk`); count what happened."""
    with transaction.atomic() if apply else nullcontext():
        _carry_out(plan, outcome, apply)
        if apply:
            for first, *others in plan.conflicting_owners:
                transaction.on_commit(partial(hooks.after_identity_conflicts, user_id=first, owner_ids=others))
        on_chunk(outcome)


def _carry_out(plan: _Plan, outcome: Outcome, apply: bool) -> None:
    if apply:
        rows = [*plan.creates, *(row for row, _, _ in plan.updates)]
        _create_organizations([row for row in rows if row.organization and not row.organization_id], outcome)
    _create(plan.creates, outcome, apply)
    _warn_named_after_contact(plan, outcome)
    # Read now, not when planned: an earlier chunk, written meanwhile, may have changed these profiles.
    profiles = _profiles({profile_id for _, profile_id, _ in plan.updates})
    for row, profile_id, matched_by in plan.updates:
        _update(row, profiles[profile_id], matched_by, outcome, apply)
    outcome.problems.sort(key=lambda item: item[0])
    outcome.invalid = len({line for line, problem in outcome.problems if not problem.conflict})
    outcome.conflicts = len({line for line, problem in outcome.problems if problem.conflict})
    outcome.warnings.sort(key=lambda item: item[0])
    outcome.warned = len({line for line, _ in outcome.warnings})


def _warn_named_after_contact(plan: _Plan, outcome: Outcome) -> None:
    """The warnings of the nameless creates, but not of a row refused when written (a key taken meanwhile)."""
    if not plan.named_after_contact:
        return
    refused = {line for line, _ in outcome.problems}
    outcome.warnings.extend(
        (line, warning) for line, warning in plan.named_after_contact.items() if line not in refused
    )


def _find_repeats(checked, seen: SeenIndex | PostgresSeenIndex, outcome: Outcome) -> list[UserRow]:
    """Rows that passed their own checks and repeat nothing earlier; the others become problems."""
    hashes = []
    for _, row in checked:
        if isinstance(row, UserRow):
            hashes.append(row.fingerprint)
            hashes.extend(row.key_hashes)
    earlier = seen.first_lines(hashes)
    new: list[tuple[int, int]] = []
    rows = []
    for line, row in checked:
        if not isinstance(row, UserRow):
            outcome.problems.extend((line, problem) for problem in row)
            continue
        first = earlier.get(row.fingerprint)
        if first is not None:
            outcome.problems.append((line, Problem("", f"the row repeats line {first}")))
            continue
        earlier[row.fingerprint] = line
        new.append((row.fingerprint, line))
        clash = None
        for position, h in enumerate(row.key_hashes):
            if clash is None and h in earlier:
                namespace, key, column = row.identifiers()[position]
                clash = Problem(
                    column,
                    f"the {_LABELS.get(namespace, namespace)} {key} is already on line {earlier[h]}: one row per "
                    "person (merge the two rows, or correct the one that is wrong)",
                    conflict=True,
                )
            elif h not in earlier:
                earlier[h] = line
                new.append((h, line))
        if clash is not None:
            outcome.problems.append((line, clash))
            continue
        rows.append(row)
    seen.add(new)
    return rows


def _resolve_organizations(rows, outcome, apply, create_organizations, planned) -> list[UserRow]:
    """Organization names → ids on each row (`row.organization_id`). A missing one is refused, counted as
    planned (preview), or left for `_create_organizations` when the chunk is written."""
    found = _organization_ids({row.organization for row in rows if row.organization})
    kept = []
    for row in rows:
        row.organization_id = None
        if row.organization:
            lower = row.organization.lower()
            if lower not in found:
                if not create_organizations:
                    outcome.problems.append(
                        (
                            row.line,
                            Problem(
                                "organization",
                                f"no organization is called {row.organization!r}: create it first, or allow "
                                "creating the organizations named in the file",
                            ),
                        )
                    )
                    continue
                if not apply and lower not in planned:
                    planned.add(lower)
                    outcome.organizations_created += 1
            row.organization_id = found.get(lower)
        kept.append(row)
    return kept


def _create_organizations(rows: list[UserRow], outcome: Outcome) -> None:
    """Create the organizations these rows name that do not exist, and set `organization_id` on the rows.
    Looked up again first: the chunk written just before may have created some of them."""
    found = _organization_ids({row.organization for row in rows})
    for row in rows:
        lower = row.organization.lower()
        if lower not in found:
            found[lower] = create_organization(name=row.organization).pk
            outcome.organizations_created += 1
        row.organization_id = found[lower]


def _organization_ids(names: set[str]) -> dict[str, int]:
    """Lower-cased name → id of the organizations called any of `names` (case-insensitively)."""
    found: dict[str, int] = {}
    for batch in _batches(sorted({name.lower() for name in names})):
        for pk, name in (
            Organization.objects.alias(lower_name=Lower("name")).filter(lower_name__in=batch).values_list("pk", "name")
        ):
            found[name.lower()] = pk
    return found


def _owners(rows: list[UserRow]) -> dict[int, dict[tuple[str, str], int]]:
    """Per line: each identifier of the row that a live profile has → that profile's id (survivors for tombstones)."""
    external_ids = [row.external_id for row in rows if row.external_id]
    wanted: dict[str, set[str]] = {}
    for row in rows:
        for identity in row.identities:
            wanted.setdefault(identity.key[0], set()).add(identity.normalized)
    by_external_id: dict[str, tuple[int, int | None]] = {}
    by_key: dict[tuple[str, str], tuple[int, int | None]] = {}
    if connection.vendor == "postgresql":
        # One array parameter per lookup (index scans on the unique keys), not a 5,000-item IN list to bind.
        users, identities = EndUser._meta.db_table, Identity._meta.db_table
        if external_ids:
            for external_id, pk, merged_into in pg_rows(
                f"SELECT external_id, id, merged_into_id FROM {users} WHERE external_id = ANY(%s::text[])",
                [text_array(external_ids)],
            ):
                by_external_id[external_id] = (pk, merged_into)
        # Every contact point at once, through the index on the normalized value alone: one probe a value
        # (phone keys would cost two on the (kind, normalized) key, one per phone kind); kinds sorted out here.
        # No join to the profiles: statistics lag during a big import, and a hash join would read them all.
        values = set().union(*wanted.values()) if wanted else set()
        owned = []
        for kind, normalized, pk in pg_rows(
            f"SELECT kind, normalized, user_id FROM {identities} WHERE normalized = ANY(%s::text[])",
            [text_array(values)],
        ):
            namespace = "tel" if kind in PHONE_KINDS else kind
            if normalized in wanted.get(namespace, ()):
                owned.append((namespace, normalized, pk))
        ids = int_array({pk for _, _, pk in owned})
        query = f"SELECT id, merged_into_id FROM {users} WHERE id = ANY(%s::bigint[])"
        merged_into = dict(pg_rows(query, [ids])) if owned else {}  # a file of new people owns nothing
        for namespace, normalized, pk in owned:
            by_key.setdefault((namespace, normalized), (pk, merged_into[pk]))
        return _owners_by_line(rows, by_external_id, by_key)
    for batch in _batches(external_ids):
        for pk, external_id, merged_into in EndUser.objects.filter(external_id__in=batch).values_list(
            "pk", "external_id", "merged_into_id"
        ):
            by_external_id[external_id] = (pk, merged_into)
    for namespace, values in wanted.items():
        kinds = list(PHONE_KINDS) if namespace == "tel" else [namespace]
        for batch in _batches(sorted(values)):
            for normalized, pk, merged_into in Identity.objects.filter(
                kind__in=kinds, normalized__in=batch
            ).values_list("normalized", "user_id", "user__merged_into_id"):
                by_key.setdefault((namespace, normalized), (pk, merged_into))
    return _owners_by_line(rows, by_external_id, by_key)


def _owners_by_line(rows, by_external_id, by_key) -> dict[int, dict[tuple[str, str], int]]:
    survivors = _survivors({m for _, m in [*by_external_id.values(), *by_key.values()] if m is not None})
    owners: dict[int, dict[tuple[str, str], int]] = {}
    for row in rows:
        found: dict[tuple[str, str], int] = {}
        if row.external_id in by_external_id:
            pk, merged_into = by_external_id[row.external_id]
            found[("external_id", row.external_id)] = survivors.get(merged_into, merged_into) if merged_into else pk
        for identity in row.identities:
            if identity.key in by_key:
                pk, merged_into = by_key[identity.key]
                found[identity.key] = survivors.get(merged_into, merged_into) if merged_into else pk
        owners[row.line] = found
    return owners


def _survivors(merged_into_ids: set[int]) -> dict[int, int]:
    """For profiles that tombstones point at: the live profile at the end of the chain (usually themselves)."""
    resolved = {pk: pk for pk in merged_into_ids}
    for _ in range(50):  # a chain is as long as the merges made one after another; never a loop
        current = set(resolved.values())
        moved = {}
        for batch in _batches(sorted(current)):
            moved.update(
                EndUser.objects.filter(pk__in=batch, merged_into__isnull=False).values_list("pk", "merged_into")
            )
        if not moved:
            break
        resolved = {start: moved.get(target, target) for start, target in resolved.items()}
    return resolved


def _profiles(ids: set[int]) -> dict[int, _Profile]:
    profiles: dict[int, _Profile] = {}
    if connection.vendor == "postgresql" and ids:
        wanted = int_array(sorted(ids))
        columns = ", ".join(connection.ops.quote_name(EndUser._meta.get_field(name).column) for name in FIELDS)
        for pk, *values in pg_rows(
            f"SELECT id, {columns} FROM {EndUser._meta.db_table} WHERE id = ANY(%s::bigint[])", [wanted]
        ):
            # Django's connection loads jsonb as text (JSONField decodes it); so must we.
            values = [
                json.loads(v) if name in _JSON_FIELDS and isinstance(v, str) else v
                for name, v in zip(FIELDS, values, strict=True)
            ]
            profiles[pk] = _Profile(pk, dict(zip(FIELDS, values, strict=True)))
        query = "SELECT user_id, {} FROM {} WHERE user_id = ANY(%s::bigint[])"
        for user_id, kind, normalized in pg_rows(query.format("kind, normalized", Identity._meta.db_table), [wanted]):
            profiles[user_id].keys.add((kind, normalized))
        for user_id, organization_id in pg_rows(query.format("organization_id", Membership._meta.db_table), [wanted]):
            profiles[user_id].organization_ids.add(organization_id)
        return profiles
    for batch in _batches(sorted(ids)):
        for pk, *values in EndUser.objects.filter(pk__in=batch).values_list("id", *FIELDS):
            profiles[pk] = _Profile(pk, dict(zip(FIELDS, values, strict=True)))
        for user_id, kind, normalized in Identity.objects.filter(user_id__in=batch).values_list(
            "user_id", "kind", "normalized"
        ):
            profiles[user_id].keys.add((kind, normalized))
        for user_id, organization_id in Membership.objects.filter(user_id__in=batch).values_list(
            "user_id", "organization_id"
        ):
            profiles[user_id].organization_ids.add(organization_id)
    return profiles


def _names(ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for batch in _batches(sorted(ids)):
        names.update(EndUser.objects.filter(pk__in=batch).values_list("pk", "name"))
    return names


def _conflict(row_owners: dict[tuple[str, str], int], names: dict[int, str]) -> Problem:
    by_owner: dict[int, list[str]] = {}
    for (namespace, key), owner in row_owners.items():
        by_owner.setdefault(owner, []).append(f"{_LABELS.get(namespace, namespace)} {key}")
    parts = [
        f"{', '.join(keys)} belong{'s' if len(keys) == 1 else ''} to {names[owner]} (#{owner})"
        for owner, keys in by_owner.items()
    ]
    return Problem(
        "",
        "the row points at different profiles: "
        + "; ".join(parts)
        + ". Nothing was changed; merge them or fix the row",
        conflict=True,
        profile_ids=tuple(by_owner),
    )


def _column_of(row: UserRow, key: tuple[str, str]) -> str:
    return next((i.column for i in row.identities if i.key == key), "")


# --- writing -----------------------------------------------------------------------------------------------


def _create(rows: list[UserRow], outcome: Outcome, apply: bool) -> None:
    if not apply:
        outcome.created += len(rows)
        return
    memberships = [_memberships(row, auto) for row, auto in zip(rows, _auto_assigned(rows), strict=True)]
    try:
        with transaction.atomic():
            writers.insert_profiles(rows, memberships)
        outcome.created += len(rows)
        return
    except IntegrityError:
        pass  # someone took one of these keys meanwhile: find which row, one by one
    for row, row_memberships in zip(rows, memberships, strict=True):
        try:
            with transaction.atomic():
                writers.insert_profiles([row], [row_memberships])
            outcome.created += 1
        except IntegrityError:
            outcome.problems.append(
                (
                    row.line,
                    Problem(
                        "",
                        "another profile took one of this row's identifiers while the file was imported; "
                        "import the file again to update it",
                        conflict=True,
                    ),
                )
            )


def _auto_assigned(rows: list[UserRow]) -> list[list[int]]:
    """Per row, the organizations its emails auto-assign to (`auto_assign_targets`), in the order of its emails."""
    targets = auto_assign_targets(i.normalized for row in rows for i in row.identities if i.kind == IdentityKind.EMAIL)
    if not targets:
        return [[] for _ in rows]
    return [
        list(
            dict.fromkeys(
                targets[i.normalized] for i in row.identities if i.kind == "email" and i.normalized in targets
            )
        )
        for row in rows
    ]


def _memberships(row: UserRow, auto_assigned: list[int]) -> list[tuple[int, bool]]:
    """(organization id, default) for a new profile: the organization named first, then the auto-assigned."""
    organization_ids = [row.organization_id] if row.organization_id else []
    organization_ids += [pk for pk in auto_assigned if pk not in organization_ids]
    return [(pk, position == 0) for position, pk in enumerate(organization_ids)]


def changes_for(row: UserRow, profile: _Profile) -> tuple[dict, list, int | None]:
    """What applying `row` would change on `profile`: field changes (each column's `update` rule), identities to
    add, organization to join."""
    changes = {}
    for column in FIELD_COLUMNS:
        name = column.field
        value, current = row.profile[name], profile.fields[name]
        if column.update == "union":
            united = sorted(set(current) | set(value))
            if united != sorted(current):
                changes[name] = united
        elif value is None:
            continue
        elif column.update == "fill":
            if not current:
                changes[name] = value
        elif value != current:
            changes[name] = value
    identities = [i for i in row.identities if (i.kind, i.normalized) not in profile.keys]
    organization_id = row.organization_id if row.organization_id not in profile.organization_ids else None
    return changes, identities, organization_id


def _update(row: UserRow, profile: _Profile, matched_by: tuple[str, str], outcome: Outcome, apply: bool) -> None:
    if row.external_id and profile.external_id and profile.external_id != row.external_id:
        # Matched by a contact point (matching by external id finds no other): name the one that matched.
        what = matched_by
        outcome.problems.append(
            (
                row.line,
                Problem(
                    _column_of(row, what),
                    f"the {_LABELS.get(what[0], what[0])} {what[1]} belongs to {profile.name} "
                    f"(#{profile.id}), whose external id is {profile.external_id}, not {row.external_id}",
                    conflict=True,
                    profile_ids=(profile.id,),
                ),
            )
        )
        return
    changes, identities, organization_id = changes_for(row, profile)
    if not changes and not identities and organization_id is None:
        outcome.unchanged += 1
        return
    if not apply:
        outcome.updated += 1
        return
    try:
        with transaction.atomic():
            user = EndUser.objects.get(pk=profile.id)
            if changes:
                user = update_profile(user=user, **changes)
            for identity in identities:
                add_identity(user=user, kind=identity.kind, value=identity.value)
            if organization_id is not None:
                save_membership(membership=Membership(user=user, organization_id=organization_id), make_default=False)
    except (DomainError, IntegrityError) as error:
        message = error.message if isinstance(error, DomainError) else "another change to this profile collided"
        outcome.problems.append((row.line, Problem("", f"not updated: {message}", conflict=True)))
        return
    outcome.updated += 1


def _batches(values: list) -> Iterator[list]:
    """Slices for `IN (…)` lookups: SQLite caps the number of query parameters."""
    size = 400 if connection.vendor == "sqlite" else 5_000
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
