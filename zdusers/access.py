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
