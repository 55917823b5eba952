"""Webhooks that channel providers call directly, under /webhooks/ (each authenticates its own way)."""

from django.urls import path

from intake.webhooks import email, twilio, whatsapp

app_name = "webhooks"

urlpatterns = [
    path("twilio/<slug:slug>/", twilio.twilio, name="twilio"),
    path("whatsapp/<slug:slug>/", whatsapp.whatsapp, name="whatsapp"),
    path("email/<slug:slug>/", email.inbound_email, name="email"),
    # Mailgun posts the raw MIME message only to a URL that ends with "mime" (docs/email.md).
    path("email/<slug:slug>/mime", email.inbound_email, name="email-mime"),
]
