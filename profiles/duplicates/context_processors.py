"""Template context every page gets: the open duplicate candidates for the navigation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from profiles.duplicates.selectors import open_candidate_count


def duplicates(request: HttpRequest) -> dict:
    """`open_duplicates`: counted (one query) only when a page's navigation shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"open_duplicates": SimpleLazyObject(open_candidate_count)}
