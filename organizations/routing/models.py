"""Teams, routing rules and each contact's routing decision.

Registered under the organizations app (imported by organizations.models), as the duplicate
detection's models live in profiles: one schema, no extra app label. Invariants are constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from profiles.models import ContactChannel


class Team(models.Model):
    """A group of staff who serve some organizations' contacts; a person may be in several teams."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="routing_teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("manage_routing", "Can manage teams and routing rules, and re-route contacts")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="team_name_unique_ci",
                violation_error_message="A team with this name already exists (names ignore case).",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="team_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:team", args=[self.pk])


class RoutingRule(models.Model):
    """Conditions (all must hold) and the team a matching contact goes to; the lowest position matching wins.

    `by_organization` says the rule lists organizations (`organizations`): a rule whose listed
    organizations were all deleted then matches nothing rather than everything.
    """

    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="rules")
    by_organization = models.BooleanField(default=False)
    organizations = models.ManyToManyField("organizations.Organization", related_name="routing_rules", blank=True)
    organization_tag = models.CharField(max_length=80, blank=True)
    domain = models.CharField(
        max_length=253, blank=True, help_text="acme.com (and its subdomains) or a suffix such as .mx"
    )
    channel = models.CharField(max_length=16, blank=True, choices=ContactChannel.choices)
    enduser_tag = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                name="routingrule_position_unique",
                violation_error_message="Another rule already has this position.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="routingrule_name_unique_ci",
                violation_error_message="A rule with this name already exists (names ignore case).",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="routingrule_name_not_empty"),
            # A rule with no condition would route every contact: refused (the organizations are a flag here
            # because a check constraint cannot see the many-to-many table).
            models.CheckConstraint(
                condition=Q(by_organization=True)
                | ~Q(organization_tag="")
                | ~Q(domain="")
                | ~Q(channel="")
                | ~Q(enduser_tag=""),
                name="routingrule_has_a_condition",
                violation_error_message="A rule needs at least one condition.",
            ),
            models.CheckConstraint(
                condition=Q(channel="") | Q(channel__in=ContactChannel.values), name="routingrule_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RouteKind(models.TextChoices):
    RULE = "rule", "Routed by a rule"
    NO_MATCH = "no_match", "No rule matched"
    REASSIGNED = "reassigned", "Reassigned by an agent"
    REROUTED = "rerouted", "Re-routed by an admin"


class ContactRoute(models.Model):
    """The team a contact is routed to now, and why. One row per routed contact, keyed by the contact,
    so moving a contact to another profile (merge, un-merge) keeps its team without touching this table."""

    contact = models.OneToOneField("profiles.Contact", on_delete=models.CASCADE, primary_key=True, related_name="route")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="routes")
    team_name = models.CharField(max_length=120, blank=True, help_text="The team's name when routed.")
    rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="routes")
    rule_name = models.CharField(max_length=120, blank=True, help_text="The rule's name when it routed the contact.")
    kind = models.CharField(max_length=16, choices=RouteKind.choices)
    routed_at = models.DateTimeField()
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    # The first decision, kept when an agent or a re-route changes the team, so the profile timeline shows
    # both without reading the history table (RouteChange holds every step). Blank: routed after the fact.
    first_kind = models.CharField(max_length=16, blank=True)
    first_team_name = models.CharField(max_length=120, blank=True)
    first_rule_name = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RouteKind.values), name="contactroute_kind_valid"),
        ]
        indexes = [
            # "My teams' contacts" and a team's page: a team's contacts, newest arrival first, keyset by contact id.
            models.Index(fields=["team", "-contact"], name="contactroute_team_contact"),
        ]

    def __str__(self) -> str:
        return f"contact #{self.contact_id} → {self.team_name or 'no team'}"


class RouteChange(models.Model):
    """A change of a contact's team after its first routing (a reassignment or a re-route): append-only."""

    contact = models.ForeignKey("profiles.Contact", on_delete=models.CASCADE, related_name="route_changes")
    kind = models.CharField(max_length=16, choices=RouteKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    from_team_name = models.CharField(max_length=120, blank=True)
    from_rule_name = models.CharField(max_length=120, blank=True)
    from_kind = models.CharField(max_length=16, blank=True)
    to_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_team_name = models.CharField(max_length=120, blank=True)
    rule_name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["contact", "at"], name="routechange_contact_at")]

    def __str__(self) -> str:
        return f"contact #{self.contact_id}: {self.from_team_name or '—'} → {self.to_team_name or '—'}"


class RoutingState(models.Model):
    """One row: a stamp that changes whenever rules, teams or what they match change.

    Each process keeps the rules compiled with the stamp it read; one cheap read per routed
    contact tells it whether they are still current (`organizations.routing.rules`).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.CharField(max_length=32)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="routingstate_one_row")]

    def __str__(self) -> str:
        return self.stamp
