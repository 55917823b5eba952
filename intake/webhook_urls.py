"""Webhooks that channel providers call directly, under /webhooks/ (each authenticates its own way)."""

from django.urls import path

from intake.webhooks import whatsapp

app_name = "webhooks"

urlpatterns = [
    path("whatsapp/<slug:slug>/", whatsapp.whatsapp, name="whatsapp"),
]
