"""The review queue's pages; profiles/urls.py serves them in the `profiles` namespace."""

from django.urls import path

from profiles.duplicates import views

urlpatterns = [
    path("duplicates/", views.QueueView.as_view(), name="duplicates"),
    path("duplicates/how/", views.how, name="duplicates_how"),
    path("duplicates/how/train/", views.train_weights, name="duplicates_train"),
    path("duplicates/how/defaults/", views.default_weights, name="duplicates_default_weights"),
    path("duplicates/<int:pk>/", views.compare, name="duplicate"),
    path("duplicates/<int:pk>/dismiss/", views.dismiss, name="duplicate_dismiss"),
]
