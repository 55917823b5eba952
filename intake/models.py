"""Channels that deliver straight to the desk (provider webhooks) and the log of what each delivered."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone

# A short token or secret is guessable; Meta's app secrets and Twilio's auth tokens are 32 hex characters.
MIN_SECRET_CHARS = 8


class Provider(models.TextChoices):
    """Who calls the webhook, which decides its URL, its payload and how it proves who it is."""

    WHATSAPP = "whatsapp", "WhatsApp Cloud API"
    TWILIO = "twilio", "Twilio SMS and Voice"
    EMAIL = "email", "Inbound email"


# What the provider's console calls the secret each checks its requests with (labels in the admin and docs).
SECRET_LABELS = {
    Provider.WHATSAPP: "App secret",
    Provider.TWILIO: "Auth token",
    Provider.EMAIL: "Forwarding password",
}


class WebhookChannel(models.Model):
    """One provider account pointed at `/webhooks/<provider>/<slug>/`.

    Each provider proves who it is with a secret shared with the desk: Meta signs each POST with the app
    secret (X-Hub-Signature-256) and answers its GET handshake with the verify token; Twilio signs with the
    account's auth token (X-Twilio-Signature); a mail forwarder sends the forwarding password by HTTP Basic
    authentication. The secret is needed in clear to check signatures, so it is stored as given; the admin
    takes it once and shows only its last four characters.
    """

    provider = models.CharField(max_length=20, choices=Provider.choices)
    name = models.CharField(max_length=100, help_text="Which number, app or mailbox, e.g. “Support line Brazil”.")
    slug = models.SlugField(max_length=50, help_text="The last part of the callback URL: /webhooks/<provider>/<slug>/.")
    verify_token = models.CharField(
        max_length=255,
        blank=True,
        help_text="WhatsApp only: any string you choose; type the same one into Meta's “Verify token” field.",
    )
    secret = models.CharField(max_length=255, help_text="What the provider signs or authenticates requests with.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "webhook channel"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "slug"], name="webhookchannel_provider_slug_unique"),
            models.CheckConstraint(condition=Q(provider__in=Provider.values), name="webhookchannel_provider_known"),
            models.CheckConstraint(condition=~Q(name=""), name="webhookchannel_name_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="webhookchannel_slug_not_empty"),
            models.CheckConstraint(
                condition=~Q(provider=Provider.WHATSAPP) | GreaterThanOrEqual(Length("verify_token"), MIN_SECRET_CHARS),
                name="webhookchannel_verify_token_min_length",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("secret"), MIN_SECRET_CHARS),
                name="webhookchannel_secret_min_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_provider_display()})"

    @property
    def callback_path(self) -> str:
        """Where the provider must send its requests (the path; the desk's host goes before it)."""
        return reverse(f"webhooks:{self.provider}", kwargs={"slug": self.slug})

    @property
    def secret_label(self) -> str:
        return SECRET_LABELS.get(self.provider, "Secret")

    @property
    def secret_hint(self) -> str:
        """What may be shown of the secret: that it is set, and its last four characters."""
        return f"set, ends in …{self.secret[-4:]}" if self.secret else "not set"


class DeliveryOutcome(models.TextChoices):
    """What became of one item a provider delivered (a message, a call, an email) or of a refused request."""

    RECORDED = "recorded", "Recorded"
    REPLAYED = "replayed", "Replayed"  # already recorded: the provider delivered it again
    SKIPPED = "skipped", "Skipped"  # the item was unusable (no sender, impossible number, ...)
    IGNORED = "ignored", "Ignored"  # not a customer's message: statuses, auto-replies, bounces
    REFUSED = "refused", "Refused"  # the request itself: bad signature, too large, not JSON


class InboundDelivery(models.Model):
    """One line of a channel's inbound log, so a desk can debug its connector without reading server logs.

    Only the latest `intake.services.inbound_log.KEPT_PER_CHANNEL` lines of each channel are kept.
    """

    channel = models.ForeignKey(WebhookChannel, on_delete=models.CASCADE, related_name="deliveries")
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=DeliveryOutcome.choices)
    source_ref = models.CharField(max_length=255, blank=True, help_text="The provider's id of the message or call.")
    sender = models.CharField(max_length=255, blank=True, help_text="The contact point as the provider sent it.")
    detail = models.CharField(max_length=500, blank=True, help_text="Why, or what the message said.")
    contact = models.ForeignKey("profiles.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "inbound delivery"
        verbose_name_plural = "inbound deliveries"
        ordering = ["-id"]
        indexes = [models.Index(fields=["channel", "-id"], name="inbounddelivery_channel_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=DeliveryOutcome.values), name="inbounddelivery_outcome_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.source_ref or ''}".strip()
