"""The profiles app's pages; its duplicates and merges features bring their own URL lists, in the same namespace."""

from django.urls import path

from profiles.duplicates.urls import urlpatterns as duplicates_urls
from profiles.merges.urls import urlpatterns as merges_urls
from profiles.views import directory, profile

app_name = "profiles"

urlpatterns = [
    path("users/", directory.DirectoryView.as_view(), name="directory"),
    path("users/bulk/", directory.bulk_action, name="bulk"),
    path("users/<int:pk>/", profile.detail, name="detail"),
    path("users/<int:pk>/edit/", profile.edit, name="edit"),
    path("users/<int:pk>/identities/", profile.identity_add, name="identity_add"),
    path("users/<int:pk>/identities/<int:identity_pk>/edit/", profile.identity_edit, name="identity_edit"),
    path("users/<int:pk>/identities/<int:identity_pk>/remove/", profile.identity_remove, name="identity_remove"),
    path(
        "users/<int:pk>/identities/<int:identity_pk>/primary/", profile.identity_make_primary, name="identity_primary"
    ),
    *duplicates_urls,
    *merges_urls,
]
