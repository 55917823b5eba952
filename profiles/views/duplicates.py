"""The duplicates review queue (filled by the duplicate detection issue)."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@permission_required("profiles.view_enduser", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/duplicates.html")
