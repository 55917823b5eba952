"""Webhooks that channel providers call directly, under /webhooks/ (each authenticates its own way)."""

from django.urls import path

from intake.webhooks import twilio, whatsapp

app_name = "webhooks"

urlpatterns = [
    path("twilio/<slug:slug>/", twilio.twilio, name="twilio"),
    path("whatsapp/<slug:slug>/", whatsapp.whatsapp, name="whatsapp"),
]
