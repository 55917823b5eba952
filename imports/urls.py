from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="list"),
    path("imports/new/", views.new_import, name="new"),
    path("imports/<int:pk>/", views.detail, name="detail"),
    path("imports/<int:pk>/progress.json", views.progress, name="progress"),
    path("imports/<int:pk>/apply/", views.apply, name="apply"),
    path("imports/<int:pk>/problems.csv", views.report_csv, name="report_csv"),
    path("users/export.csv", views.export_selection, name="export_selection"),
    path("users/<int:pk>/subject-access.json", views.subject_access, name="subject_access"),
    path("imports/export/end-users.csv", views.export_endusers, name="export_endusers"),
    path("imports/export/organizations.csv", views.export_organizations, name="export_organizations"),
]
