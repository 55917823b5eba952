"""Who may see what: every page is for signed-in staff only.

End users never log in here. A view opts out (the login page, token-authenticated
APIs) with Django's `login_not_required` decorator.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _


class StaffRequiredMiddleware(LoginRequiredMiddleware):
    """Redirect anonymous visitors to the login page; refuse signed-in non-staff."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        response = super().process_view(request, view_func, view_args, view_kwargs)
        if response is not None:
            return response
        if not getattr(view_func, "login_required", True):
            return None
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied("This desk is for support staff only.")
        return None


class NoStoreMiddleware:
    """Pages and files shown to signed-in staff carry customers' data: no browser or proxy cache keeps them.

    `Cache-Control: no-store` (and `private`) on every response to a signed-in user that does not set its own
    caching (Django's login view already sends its own "no-store"); static files are served before this by
    WhiteNoise. Also a Permissions-Policy that turns off the browser features the desk never uses.
    """

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response


class SessionTimeoutMiddleware:
    """Sign staff out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_ABSOLUTE_TIMEOUT
    seconds after they signed in, whatever they do (a desk's screens are shared and left open).

    The session remembers when it started and when it was last seen; "last seen" is written at most once a
    minute, so an agent clicking around does not write the session on every page.
    """

    STARTED, SEEN = "zd_started", "zd_seen"
    SEEN_RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        started, seen = session.setdefault(self.STARTED, now), session.get(self.SEEN, now)
        if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            return self._signed_out(request, _("You were signed out: sessions last %(hours)s hours. Sign in again."))
        if now - seen > settings.SESSION_IDLE_TIMEOUT:
            return self._signed_out(
                request, _("You were signed out after %(minutes)s minutes without activity. Sign in again.")
            )
        if now - seen >= self.SEEN_RESOLUTION or self.SEEN not in session:
            session[self.SEEN] = now
        return self.get_response(request)

    def _signed_out(self, request, message: str):
        path = request.get_full_path()
        logout(request)  # a new, empty session: the message below goes with it
        messages.info(
            request,
            message
            % {
                "hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600,
                "minutes": settings.SESSION_IDLE_TIMEOUT // 60,
            },
        )
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': path})}")
