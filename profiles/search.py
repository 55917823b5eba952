"""The directory's query language: free text that understands contact points, plus field terms.

    ana.souza@example.com          the profile owning that email
    (11) 98765-4321                the profile owning that phone (any format)
    @ana.souza                     profiles owning that messaging handle
    souza                          names containing it (accents and case ignored)
    name:"Ana Souza" org:acme tag:vip created>2026-01-01 created<2026-07-01

Terms combine with AND. `parse_query` raises SearchSyntaxError with a sentence
that says what is wrong and how to write it; it never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from profiles.errors import InvalidIdentity, ProfileError
from profiles.identities import IdentityKind, normalize_email, normalize_phone
from zdusers.text import without_invisible

FIELDS = ("name", "email", "phone", "org", "tag")
# name:x, email:"x y", created>2026-01-01, created<=2026-02-01
# A token is a run of non-spaces, where a double-quoted part may hold spaces: name:"Ana Souza".
_TOKEN = re.compile(r'[^\s"]*"[^"]*"\S*|\S+')
_TERM = re.compile(r"^(?P<key>[a-z_]+)(?P<op>:|>=|<=|>|<)(?P<value>.*)$", re.DOTALL)
MIN_NAME_LENGTH = 2
HANDLE_KINDS = tuple(k for k in IdentityKind.values if k not in ("email", "phone", "whatsapp"))


class SearchSyntaxError(ProfileError):
    """A query the directory cannot read; the message says how to fix it."""


@dataclass
class ParsedQuery:
    """What a directory query asks for; empty lists mean "no condition"."""

    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)  # normalized
    phones: list[str] = field(default_factory=list)  # E.164
    handles: list[str] = field(default_factory=list)  # without @, as typed (case folded by the selector)
    orgs: list[str] = field(default_factory=list)  # ids or names
    tags: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # free text: part of a name, or an exact external id
    created_after: date | None = None  # inclusive
    created_before: date | None = None  # exclusive

    @property
    def is_empty(self) -> bool:
        return not any((self.names, self.emails, self.phones, self.handles, self.orgs, self.tags, self.words)) and (
            self.created_after is None and self.created_before is None
        )

    @property
    def is_only_words(self) -> bool:
        """Free text and nothing else (no field terms)."""
        return bool(self.words) and ParsedQuery(words=self.words, created_after=None) == self

    @property
    def exact_contact_point(self) -> bool:
        """True when the whole query is one email or one phone number: a candidate for a direct hit."""
        return (len(self.emails) + len(self.phones) == 1) and not (
            self.names
            or self.words
            or self.handles
            or self.orgs
            or self.tags
            or self.created_after
            or self.created_before
        )


def parse_query(text: str) -> ParsedQuery:
    """Read a directory query; raise SearchSyntaxError naming the problem."""
    parsed = ParsedQuery()
    text = without_invisible(text or "").strip()  # names are stored so (zdusers.text); a pasted U+200B misses
    if not text:
        return parsed
    if len(text) > 500:
        raise SearchSyntaxError("The search is longer than 500 characters; shorten it.")
    if "\x00" in text:  # no database stores or compares the NUL character
        raise SearchSyntaxError("The search contains a NUL character (often from a bad copy and paste); retype it.")
    if text.count('"') % 2:
        raise SearchSyntaxError('A quote is not closed: write name:"Ana Souza" with a quote on both sides.')
    free_words: list[str] = []
    for token in (t.replace('"', "") for t in _TOKEN.findall(text)):
        term = _TERM.match(token)
        if term is None or "@" in term.group("key"):
            free_words.append(token)
            continue
        key, op = term.group("key"), term.group("op")
        if key == "created" or (op == ":" and key in FIELDS):
            _apply_term(parsed, key, op, term.group("value").strip())
        elif op == ":":
            raise SearchSyntaxError(
                f"Unknown field {key!r}. Use name:, email:, phone:, org:, tag:, created> or created<."
            )
        else:
            raise SearchSyntaxError(f"Only created compares with > or <; write {key}:value for other fields.")
    if free_words:
        _apply_free_text(parsed, " ".join(free_words))
    if parsed.created_after and parsed.created_before and parsed.created_after >= parsed.created_before:
        raise SearchSyntaxError("created> must be earlier than created<; no profile can match both.")
    return parsed


def _apply_term(parsed: ParsedQuery, key: str, op: str, value: str) -> None:
    if key == "created":
        if op == ":":
            raise SearchSyntaxError("Use created>2026-01-01 or created<2026-01-01 (a date after > or <).")
        day = _parse_date(value, f"created{op}")
        if op in (">", ">="):
            parsed.created_after = day if op == ">=" else date.fromordinal(day.toordinal() + 1)
        else:
            parsed.created_before = date.fromordinal(day.toordinal() + 1) if op == "<=" else day
        return
    if not value:
        raise SearchSyntaxError(f"{key}: needs a value, like {_EXAMPLES[key]}.")
    try:
        if key == "email":
            parsed.emails.append(normalize_email(value))
        elif key == "phone":
            parsed.phones.append(normalize_phone(value))
        elif key == "name":
            _check_name(value)
            parsed.names.append(value)
        elif key == "org":
            parsed.orgs.append(value)
        elif key == "tag":
            parsed.tags.append(value.lower().lstrip("#"))
    except InvalidIdentity as error:
        raise SearchSyntaxError(f"{key}: {error.message}") from None


_EXAMPLES = {
    "name": 'name:"Ana Souza"',
    "email": "email:ana@example.com",
    "phone": 'phone:"+55 11 98765-4321"',
    "org": "org:acme or org:42",
    "tag": "tag:vip",
}


def _apply_free_text(parsed: ParsedQuery, text: str) -> None:
    """Free text is an email, a phone number, a handle, or part of a name — decided by its shape."""
    if "@" in text.strip("@") and " " not in text:
        try:
            parsed.emails.append(normalize_email(text))
            return
        except InvalidIdentity as error:
            raise SearchSyntaxError(f"{error.message} To search names, leave out the @.") from None
    if text.startswith("@") and " " not in text:
        if len(text) < 2:
            raise SearchSyntaxError("Type the handle after the @, like @ana.souza.")
        parsed.handles.append(text[1:])
        return
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 6 and re.fullmatch(r"[\d\s()+.\-/]+", text):
        try:
            parsed.phones.append(normalize_phone(text))
        except InvalidIdentity as error:
            raise SearchSyntaxError(error.message) from None
        return
    _check_name(text)
    parsed.words.append(text)


def _check_name(value: str) -> None:
    if len(value.strip()) < MIN_NAME_LENGTH:
        raise SearchSyntaxError(f"Type at least {MIN_NAME_LENGTH} letters of a name.")


def _parse_date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SearchSyntaxError(f"{label} needs a date written like 2026-01-31 (got {value!r}).") from None
