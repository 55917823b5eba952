from django.urls import path

from profiles import views

app_name = "profiles"

urlpatterns = [
    path("users/", views.DirectoryView.as_view(), name="directory"),
    path("duplicates/", views.duplicates, name="duplicates"),
]
