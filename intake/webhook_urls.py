"""Webhooks that channel providers call directly, under /webhooks/ (each authenticates its own way)."""

from django.urls import path

from intake import webhooks

app_name = "webhooks"

urlpatterns = [
    path("whatsapp/<slug:slug>/", webhooks.whatsapp, name="whatsapp"),
]
