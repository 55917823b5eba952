"""The merge page, undo and the merge history; profiles/urls.py serves them in the `profiles` namespace."""

from django.urls import path

from profiles.merges import views

urlpatterns = [
    path("merge/", views.confirm, name="merge"),
    path("merge/<int:record_pk>/undo/", views.undo, name="unmerge"),
    path("merges/", views.HistoryView.as_view(), name="merges"),
    path("merges/<int:pk>/", views.record, name="merge_record"),
]
