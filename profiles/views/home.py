"""The landing page after login."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organizations.models import Organization
from profiles.models import EndUser, Identity
from zdusers.db import estimated_row_count


def home(request: HttpRequest) -> HttpResponse:
    """The landing page after login: where to go, with rough sizes of each area."""
    stats = {
        "end_users": estimated_row_count(EndUser),
        "identities": estimated_row_count(Identity),
        "organizations": estimated_row_count(Organization),
    }
    return render(request, "home.html", {"stats": stats})
