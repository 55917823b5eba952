"""Read the evaluation set: `ProfileFacts` for the matcher, the labels and the true duplicate pairs for scoring it.

Every contact point goes through `profiles.identities.normalize` (national phone
numbers read as Brazilian, `PHONE_REGION`), exactly as the product stores them;
organization names get integer ids in sorted order, stable for a given file. A
line that is not a well-formed profile raises `DatasetError` naming the line.
A `.csv` file is read as the flat form instead (`flat.py`), which outside tools
read too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.test.utils import override_settings

from devtools.matching_eval import PHONE_REGION
from profiles.duplicates.matching import ProfileFacts
from profiles.errors import InvalidIdentity
from profiles.identities import IdentityKind, normalize

# Messaging identities a profile's "handles" may hold (email, phone and WhatsApp have their own fields).
HANDLE_KINDS = tuple(
    kind for kind in IdentityKind.values if kind not in (IdentityKind.EMAIL, IdentityKind.PHONE, IdentityKind.WHATSAPP)
)


class DatasetError(Exception):
    """The data file cannot be read as an evaluation set; the message names the file and line."""


@dataclass(frozen=True)
class Labels:
    """What the set knows about one profile beyond its facts."""

    id: int
    group: str
    scenario: str
    lookalike: str | None
    variations: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    source: str
    facts: tuple[ProfileFacts, ...]
    labels: dict[int, Labels]
    true_pairs: frozenset[tuple[int, int]]
    organization_ids: dict[str, int]

    def group_sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for label in self.labels.values():
            sizes[label.group] = sizes.get(label.group, 0) + 1
        return sizes


def parse(lines: Iterable[str], *, source: str = "<data>") -> Dataset:
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(
                f"{source} line {number}: not valid JSON ({error.msg} at column {error.colno})."
            ) from None
        if not isinstance(record, dict):
            raise DatasetError(f"{source} line {number}: expected a JSON object, got {type(record).__name__}.")
        records.append((number, record))
    if not records:
        raise DatasetError(f"{source} holds no profiles.")
    # Checked one by one below; here only collected, so that ids follow the sorted names.
    organizations = sorted(
        {
            name
            for _, record in records
            if isinstance(record.get("organizations"), list)
            for name in record["organizations"]
            if isinstance(name, str)
        }
    )
    organization_ids = {name: index for index, name in enumerate(organizations, start=1)}
    facts: list[ProfileFacts] = []
    labels: dict[int, Labels] = {}
    owners: dict[tuple[str, str], tuple[int, int]] = {}  # (kind, key) -> (profile id, line)
    lines_of: dict[int, int] = {}
    with override_settings(ZDUSERS_DEFAULT_PHONE_REGION=PHONE_REGION):
        for number, record in records:
            where = f"{source} line {number}"
            try:
                profile_facts, profile_labels, keys = _profile(record, organization_ids)
            except _Malformed as error:
                raise DatasetError(f"{where}: {error}") from None
            except InvalidIdentity as error:
                raise DatasetError(f"{where}: {error}") from None
            if profile_facts.id in lines_of:
                raise DatasetError(
                    f"{where}: id {profile_facts.id} is used twice (also on line {lines_of[profile_facts.id]})."
                )
            lines_of[profile_facts.id] = number
            for key in keys:
                if key in owners:
                    other, other_line = owners[key]
                    raise DatasetError(
                        f"{where}: the {key[0]} {key[1]} also belongs to profile {other} (line {other_line}); "
                        "an identity belongs to one profile."
                    )
                owners[key] = (profile_facts.id, number)
            facts.append(profile_facts)
            labels[profile_facts.id] = profile_labels
    return assemble(source, facts, labels, organization_ids)


def assemble(
    source: str, facts: list[ProfileFacts], labels: dict[int, Labels], organization_ids: dict[str, int]
) -> Dataset:
    """The `Dataset` of checked profiles: every two profiles of one group are a true pair."""
    members: dict[str, list[int]] = {}
    for label in labels.values():
        members.setdefault(label.group, []).append(label.id)
    true_pairs = frozenset(pair for ids in members.values() for pair in combinations(sorted(ids), 2))
    return Dataset(source, tuple(facts), labels, true_pairs, organization_ids)


class _Malformed(Exception):
    pass


def _profile(
    record: dict[str, Any], organization_ids: dict[str, int]
) -> tuple[ProfileFacts, Labels, list[tuple[str, str]]]:
    profile_id = record.get("id")
    if not isinstance(profile_id, int) or isinstance(profile_id, bool) or profile_id < 1:
        raise _Malformed("'id' must be a positive integer.")
    group = _str(record, "group")
    if not group:
        raise _Malformed("'group' must not be empty.")
    name = _str(record, "name")
    emails = record.get("emails", [])
    if not isinstance(emails, list) or not all(
        isinstance(e, dict) and isinstance(e.get("value"), str) and isinstance(e.get("verified"), bool) for e in emails
    ):
        raise _Malformed("'emails' must be a list of objects with a text 'value' and a true/false 'verified'.")
    handles = record.get("handles", {})
    if not isinstance(handles, dict):
        raise _Malformed("'handles' must be an object mapping a network to a list of handles.")
    for kind in handles:
        if kind not in HANDLE_KINDS:
            raise _Malformed(f"unknown handle network {kind!r} (choose from {', '.join(HANDLE_KINDS)}).")
    external_id = record.get("external_id")
    if external_id is not None and (not isinstance(external_id, str) or not external_id.strip()):
        raise _Malformed("'external_id' must be a non-empty text or null.")
    lookalike = record.get("lookalike")
    if lookalike is not None and not isinstance(lookalike, str):
        raise _Malformed("'lookalike' must be a text or null.")

    keys: list[tuple[str, str]] = []
    email_facts = []
    for email in emails:
        key = normalize(IdentityKind.EMAIL, email["value"])
        keys.append((IdentityKind.EMAIL.value, key))
        email_facts.append((key, email["verified"]))
    numbers: list[str] = []
    for kind in (IdentityKind.PHONE, IdentityKind.WHATSAPP):
        for value in _list_of_str(record, "phones" if kind == IdentityKind.PHONE else "whatsapp", []):
            key = normalize(kind, value)
            keys.append((kind.value, key))
            numbers.append(key)
    handle_facts = []
    for kind in sorted(handles):
        for value in _list_of_str(handles, kind, []):
            key = normalize(kind, value)
            keys.append((kind, key))
            handle_facts.append((kind, key))
    facts = ProfileFacts(
        id=profile_id,
        name=name,
        emails=tuple(email_facts),
        phones=tuple(dict.fromkeys(numbers)),  # a line can be both the phone and the WhatsApp of one profile
        handles=tuple(handle_facts),
        organization_ids=tuple(organization_ids[o] for o in _list_of_str(record, "organizations", [])),
        external_id=external_id,
    )
    labels = Labels(
        profile_id, group, _str(record, "scenario"), lookalike, tuple(_list_of_str(record, "variations", []))
    )
    return facts, labels, keys


def _str(record: dict[str, Any], field: str) -> str:
    value = record.get(field)
    if not isinstance(value, str):
        raise _Malformed(f"'{field}' must be a text." if field in record else f"'{field}' is missing.")
    return value


def _list_of_str(record: dict[str, Any], field: str, default: Any) -> list[str]:
    value = record.get(field, default)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Malformed(f"'{field}' must be a list of texts.")
    return value
