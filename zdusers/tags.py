"""Tags as Zendesk writes them: lower-case words, no spaces, each once, sorted."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms

from zdusers.errors import DomainError

_SEPARATORS = re.compile(r"[\s,]+")
_MAX_TAG_LENGTH = 80
# Tags are labels to filter by; a profile or organization with more than this is carrying notes in its tags.
MAX_TAGS = 50


class TooManyTags(DomainError):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"At most {MAX_TAGS} tags, and this gives {count:,}: tags are labels to filter by; "
            "write the rest in the notes."
        )


def normalize_tags(raw: str | Iterable[str] | None) -> list[str]:
    """Split on spaces or commas, lower-case, drop empties and repeats, sort.

    Tags longer than 80 characters are cut: they are labels, not notes.
    """
    if raw is None:
        return []
    words = _SEPARATORS.split(raw) if isinstance(raw, str) else [w for item in raw for w in _SEPARATORS.split(item)]
    return sorted({w.strip().lower().lstrip("#")[:_MAX_TAG_LENGTH] for w in words if w.strip().lstrip("#")})


def checked_tags(raw: str | Iterable[str] | None) -> list[str]:
    """normalize_tags() for what a person or a file gives: refused (TooManyTags) beyond MAX_TAGS."""
    tags = normalize_tags(raw)
    if len(tags) > MAX_TAGS:
        raise TooManyTags(len(tags))
    return tags


def tags_from_form(raw: str | None) -> list[str]:
    """checked_tags() for a form's clean_tags(): the refusal becomes the field's error."""
    try:
        return checked_tags(raw)
    except TooManyTags as error:
        raise forms.ValidationError(error.message) from None
