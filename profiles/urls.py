from django.urls import path

from profiles.views import create, directory, log_contact, merge, profile
from profiles.views import duplicates as duplicates_views
from profiles.views import merges as merges_views

app_name = "profiles"

urlpatterns = [
    path("users/", directory.DirectoryView.as_view(), name="directory"),
    path("users/export.csv", directory.export_csv, name="export"),
    path("users/bulk/", directory.bulk_action, name="bulk"),
    path("users/new/", create.create, name="create"),
    path("users/match/", create.match, name="match"),
    path("users/<int:pk>/", profile.detail, name="detail"),
    path("users/<int:pk>/edit/", profile.edit, name="edit"),
    path("users/<int:pk>/identities/", profile.identity_add, name="identity_add"),
    path("users/<int:pk>/identities/<int:identity_pk>/edit/", profile.identity_edit, name="identity_edit"),
    path("users/<int:pk>/identities/<int:identity_pk>/remove/", profile.identity_remove, name="identity_remove"),
    path(
        "users/<int:pk>/identities/<int:identity_pk>/primary/", profile.identity_make_primary, name="identity_primary"
    ),
    path("users/<int:pk>/log/", log_contact.log_contact, name="log_contact"),
    path("calls/new/", log_contact.log_call, name="log_call"),
    path("merge/", merge.confirm, name="merge"),
    path("merge/<int:record_pk>/undo/", merge.undo, name="unmerge"),
    path("merges/", merges_views.HistoryView.as_view(), name="merges"),
    path("merges/<int:pk>/", merges_views.record, name="merge_record"),
    path("duplicates/", duplicates_views.QueueView.as_view(), name="duplicates"),
    path("duplicates/<int:pk>/", duplicates_views.compare, name="duplicate"),
    path("duplicates/<int:pk>/dismiss/", duplicates_views.dismiss, name="duplicate_dismiss"),
]
