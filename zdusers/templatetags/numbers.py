"""Number formatting for every page (no queries here)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """1234567 → "1,234,567"; anything that is not a number is shown unchanged."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
