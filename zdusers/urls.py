"""Root URLs: staff login, the Django admin and each app's pages, included by name (the kernel imports no app)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

admin.site.site_header = "zdusers administration"
admin.site.site_title = "zdusers admin"
admin.site.index_title = "Power-user tools"

urlpatterns = [
    path("", include("profiles.home_urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Django's set_language (what `include("django.conf.urls.i18n")` mounts at i18n/setlang/), open to the
    # login page as well: it only sets the language cookie and redirects to a same-host `next`; CSRF-checked.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", include("intake.api_urls")),
    path("webhooks/", include("intake.webhook_urls")),
    path("", include("profiles.urls")),
    path("", include("intake.urls")),
    path("", include("organizations.urls")),
    path("", include("imports.urls")),
]
