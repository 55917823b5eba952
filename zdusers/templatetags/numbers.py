"""Number formatting for every page (no queries here)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def thousands(value) -> str:
    """1234567 → "1,234,567" in English, "1.234.567" in Portuguese and Spanish (the active language's
    separator, grouped even with USE_THOUSAND_SEPARATOR off); anything that is not a number is shown unchanged."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return number_format(number, force_grouping=True)
