"""Project-level models: the API tokens integrations use to post to `/api/`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    """A bearer token for an integration (a channel connector, a script).

    The token itself is shown once when it is created and never stored: only its
    SHA-256 (to authenticate) and its first characters (to tell tokens apart).
    A revoked token stays, so its last use can still be read.
    """

    name = models.CharField(max_length=100, help_text="Who uses it, e.g. “WhatsApp connector (production)”.")
    prefix = models.CharField(max_length=16, editable=False, help_text="The token's first characters.")
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_name_not_empty"),
            models.CheckConstraint(condition=~Q(hashed_key=""), name="apitoken_hashed_key_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
