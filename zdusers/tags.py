"""Tags as Zendesk writes them: lower-case words, no spaces, each once, sorted."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s,]+")
_MAX_TAG_LENGTH = 80


def normalize_tags(raw: str | Iterable[str] | None) -> list[str]:
    """Split on spaces or commas, lower-case, drop empties and repeats, sort.

    Tags longer than 80 characters are cut: they are labels, not notes.
    """
    if raw is None:
        return []
    words = _SEPARATORS.split(raw) if isinstance(raw, str) else [w for item in raw for w in _SEPARATORS.split(item)]
    return sorted({w.strip().lower().lstrip("#")[:_MAX_TAG_LENGTH] for w in words if w.strip().lstrip("#")})
