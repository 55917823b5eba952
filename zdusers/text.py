"""Names as they are stored and compared: one Unicode form, nothing invisible, single spaces.

"São Bento Ltda" typed on a Mac (decomposed, NFD), pasted from a web page with a zero-width
space, or wrapped in a right-to-left override looks the same on screen and is three
different strings to a database: a unique name would be stored three times, a search would
miss two of them, and a name of nothing but invisible characters would pass as a name. Every
path that stores a person's or an organization's name (forms, services, intake, imports)
and the directory search pass it through `clean_name`.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that change nothing a reader sees: zero-width space, soft hyphen, word joiner and
# invisible operators, byte-order mark, and the bidirectional marks, embeddings, overrides and isolates
# (a right-to-left override can make "gpj.exe" read "exe.jpg"). Zero-width (non-)joiners stay: they shape
# emoji sequences and Persian or Indic words.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean_name(text: str | None) -> str:
    """`text` in NFC, without invisible or direction-changing characters, its whitespace runs made one space
    and trimmed ("" when nothing visible is left)."""
    if not text:
        return ""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", text)).split())


def without_invisible(text: str) -> str:
    """`text` in NFC without invisible characters, its spacing kept (a search query, whose quotes matter)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
