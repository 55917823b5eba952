"""Organizations, the email domains they own and the end users who belong to them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse


class Organization(models.Model):
    """A company or group of end users; the unit of segmentation and reporting."""

    name = models.CharField(max_length=255)
    details = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("manage_organizations", "Can manage organizations, their domains and members")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organization_name_unique_ci",
                violation_error_message="An organization with this name already exists (names ignore case).",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="organization_name_not_empty"),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                name="organization_external_id_unique",
                violation_error_message="Another organization already has this external id.",
            ),
            models.CheckConstraint(condition=~Q(external_id=""), name="organization_external_id_null_not_blank"),
        ]
        indexes = [
            # The list sorted by creation, both ways, without sorting every organization for deep pages.
            models.Index(fields=["created_at", "id"], name="organization_created"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.pk])


class OrganizationDomain(models.Model):
    """An email domain owned by one organization; with auto_assign, new end users of it join."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)
    auto_assign = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(condition=Q(domain=Lower("domain")), name="organizationdomain_lower_case"),
            models.CheckConstraint(condition=~Q(domain=""), name="organizationdomain_not_empty"),
        ]

    def __str__(self) -> str:
        return self.domain


class Membership(models.Model):
    """An end user's membership of an organization; exactly one of a user's memberships is the default."""

    # Both lookups are served by the two composite indexes below, not by single-column ones.
    user = models.ForeignKey("profiles.EndUser", on_delete=models.CASCADE, related_name="memberships", db_index=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    is_default = models.BooleanField("default", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_user_organization_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_default=True),
                name="membership_one_default",
                violation_error_message="This end user already has a default organization.",
            ),
        ]
        indexes = [
            # Members of an organization; a user's memberships use the unique pair's index.
            models.Index(fields=["organization", "user"], name="membership_org_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization}"


# Routing's models belong to this app (one schema); they live with their feature.
from organizations.routing.models import (  # noqa: E402, F401
    ContactRoute,
    RouteChange,
    RouteKind,
    RoutingRule,
    RoutingState,
    Team,
)
