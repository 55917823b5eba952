"""Who may see what: every page is for signed-in staff only.

End users never log in here. A view opts out (the login page, token-authenticated
APIs) with Django's `login_not_required` decorator.
"""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied


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
