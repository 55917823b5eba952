"""Channels that deliver straight to the desk: a WhatsApp Cloud API webhook's configuration."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual

# A short token or secret is guessable; Meta's app secrets are 32 hex characters.
MIN_SECRET_CHARS = 8


class WhatsAppChannel(models.Model):
    """One WhatsApp Business app pointed at `/webhooks/whatsapp/<slug>/`.

    Meta proves who it is twice: the verify token answers its GET handshake when
    the callback URL is set, and every POST is signed with the app secret
    (X-Hub-Signature-256). The secret is needed in clear to compute the HMAC, so
    it is stored as given; the admin takes it once and shows only its last four
    characters.
    """

    name = models.CharField(max_length=100, help_text="Which number or app, e.g. “Support line Brazil”.")
    slug = models.SlugField(
        max_length=50, unique=True, help_text="The last part of the callback URL: /webhooks/whatsapp/<slug>/."
    )
    verify_token = models.CharField(
        max_length=255, help_text="Any string you choose; type the same one into Meta's “Verify token” field."
    )
    app_secret = models.CharField(
        max_length=255, help_text="The Meta app's secret (App settings → Basic), used to check each POST's signature."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "WhatsApp channel"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="whatsappchannel_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="whatsappchannel_slug_not_empty"),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("verify_token"), MIN_SECRET_CHARS),
                name="whatsappchannel_verify_token_min_length",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("app_secret"), MIN_SECRET_CHARS),
                name="whatsappchannel_app_secret_min_length",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def secret_hint(self) -> str:
        """What may be shown of the app secret: that it is set, and its last four characters."""
        return f"set, ends in …{self.app_secret[-4:]}" if self.app_secret else "not set"
