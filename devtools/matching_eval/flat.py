"""The flat CSV form of an evaluation set: one row per profile, readable by our harness and by outside tools.

Columns `id,group,scenario,name,emails,phones,external_id,organizations`; a cell
with several values joins them with ";". Phones are E.164 and emails lower-case
already, so a tool that knows nothing of our normalizers (Splink, a spreadsheet)
compares the same keys we do.

What the flat form cannot say, and how it reads back:

- no verification flag: every email loads as verified;
- no handles, and WhatsApp numbers are phones (one key space in the matcher anyway);
- no look-alike sets or variations: `lookalike` is None, `variations` empty;
- two profiles may share a contact point. The JSONL set forbids it because the
  product attaches an identity to one profile; a public set such as FEBRL4 keeps
  a person's unchanged fields on both records, and a WhatsApp number of one
  profile may be the phone of another (hn_family_phone) once both are "phones".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from devtools.matching_eval.dataset import Dataset, DatasetError, Labels, assemble
from profiles.duplicates.matching import ProfileFacts
from profiles.errors import InvalidIdentity
from profiles.identities import normalize_email, normalize_phone

COLUMNS = ("id", "group", "scenario", "name", "emails", "phones", "external_id", "organizations")
SEPARATOR = ";"


def parse_flat(lines: Iterable[str], *, source: str = "<data>") -> Dataset:
    """The evaluation set in flat CSV `lines`; a malformed row raises `DatasetError` naming its line."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise DatasetError(f"{source} holds no profiles.")
    if tuple(header) != COLUMNS:
        raise DatasetError(f"{source} line 1: the header must be {','.join(COLUMNS)} (got {','.join(header)}).")
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        where = f"{source} line {reader.line_num}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise DatasetError(f"{where}: expected {len(COLUMNS)} cells, got {len(row)}.")
        rows.append((reader.line_num, dict(zip(COLUMNS, row, strict=True))))
    if not rows:
        raise DatasetError(f"{source} holds no profiles.")
    names = sorted({o for _, row in rows for o in _values(row["organizations"])})
    organization_ids = {name: index for index, name in enumerate(names, start=1)}
    facts: list[ProfileFacts] = []
    labels: dict[int, Labels] = {}
    lines_of: dict[int, int] = {}
    for number, row in rows:
        where = f"{source} line {number}"
        try:
            profile_facts, profile_labels = _profile(row, organization_ids)
        except (_Malformed, InvalidIdentity) as error:
            raise DatasetError(f"{where}: {error}") from None
        if profile_facts.id in lines_of:
            raise DatasetError(
                f"{where}: id {profile_facts.id} is used twice (also on line {lines_of[profile_facts.id]})."
            )
        lines_of[profile_facts.id] = number
        facts.append(profile_facts)
        labels[profile_facts.id] = profile_labels
    return assemble(source, facts, labels, organization_ids)


def dumps_flat(dataset: Dataset) -> str:
    """`dataset` as flat CSV text (LF line ends), profiles in the dataset's order."""
    organization_names = {index: name for name, index in dataset.organization_ids.items()}
    rows = []
    for facts in dataset.facts:
        label = dataset.labels[facts.id]
        organizations = [organization_names[index] for index in facts.organization_ids]
        for value in [*(email for email, _ in facts.emails), *facts.phones, *organizations]:
            if SEPARATOR in value:
                raise DatasetError(f"profile {facts.id}: {value!r} contains {SEPARATOR!r}, the flat form's separator.")
        rows.append(
            [
                facts.id,
                label.group,
                label.scenario,
                facts.name,
                SEPARATOR.join(email for email, _ in facts.emails),
                SEPARATOR.join(facts.phones),
                facts.external_id or "",
                SEPARATOR.join(organizations),
            ]
        )
    return dumps_rows(rows)


def dumps_rows(rows: Iterable[Sequence[object]]) -> str:
    """The header and `rows` (cells in `COLUMNS` order, multi-valued ones already joined) as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


class _Malformed(Exception):
    pass


def _profile(row: dict[str, str], organization_ids: dict[str, int]) -> tuple[ProfileFacts, Labels]:
    text = row["id"].strip()
    if not text.isdigit() or int(text) < 1:
        raise _Malformed(f"'id' must be a positive integer (got {row['id']!r}).")
    profile_id = int(text)
    group = row["group"].strip()
    if not group:
        raise _Malformed("'group' must not be empty.")
    emails = []
    for value in _values(row["emails"]):
        email = normalize_email(value)
        if email != value:
            raise _Malformed(f"the email {value!r} is not written as its key {email!r} (lower-case, trimmed).")
        emails.append((email, True))
    phones = []
    for value in _values(row["phones"]):
        if not value.startswith("+"):
            raise _Malformed(f"the phone {value!r} is not E.164 (it must start with +).")
        phone = normalize_phone(value)
        if phone != value:
            raise _Malformed(f"the phone {value!r} is not written in E.164 ({phone}).")
        phones.append(phone)
    facts = ProfileFacts(
        id=profile_id,
        name=row["name"].strip(),
        emails=tuple(emails),
        phones=tuple(dict.fromkeys(phones)),
        organization_ids=tuple(organization_ids[o] for o in _values(row["organizations"])),
        external_id=row["external_id"].strip() or None,
    )
    return facts, Labels(profile_id, group, row["scenario"].strip(), None, ())


def _values(cell: str) -> list[str]:
    return [value.strip() for value in cell.split(SEPARATOR) if value.strip()]
