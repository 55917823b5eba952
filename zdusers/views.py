"""Pages that belong to no single app."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organizations.models import Organization
from profiles.models import EndUser, Identity


def home(request: HttpRequest) -> HttpResponse:
    """The landing page after login: where to go, with rough sizes of each area."""
    stats = {
        "end_users": _estimated_count(EndUser),
        "identities": _estimated_count(Identity),
        "organizations": _estimated_count(Organization),
    }
    return render(request, "home.html", {"stats": stats})


def _estimated_count(model) -> int:
    """An exact count on small tables, PostgreSQL's planner estimate on big ones (no full COUNT(*))."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            row = cursor.fetchone()
        if row and row[0] > 100_000:
            return int(row[0])
    return model.objects.count()
