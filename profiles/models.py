"""End users, their identities (contact points) and their contacts (tickets/conversations).

Every invariant that the database can hold is a constraint here; services hold
the rest. Nothing in this module writes to rows other than its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from profiles.db_functions import ZdUnaccent
from profiles.identities import IdentityKind
from zdusers.deep_pages import DeepPagingQuerySet


class EndUserSource(models.TextChoices):
    IMPORT = "import", "Import"
    AGENT = "agent", "Created by an agent"
    CHANNEL = "channel", "Channel (automatic)"
    API = "api", "API"


class ContactChannel(models.TextChoices):
    EMAIL = "email", "Email"
    VOICE = "voice", "Phone call"
    SMS = "sms", "SMS"
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    TELEGRAM = "telegram", "Telegram"
    LINE = "line", "LINE"
    WEB_CHAT = "web_chat", "Web chat"
    SDK = "sdk", "Mobile SDK"
    WALK_IN = "walk_in", "Walk-in"
    OTHER = "other", "Other"


class ContactStatus(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


class EndUser(models.Model):
    """A customer. Never a staff login. A merged-away profile is a tombstone with `merged_into` set."""

    Source = EndUserSource

    name = models.CharField(max_length=255)
    locale = models.CharField(max_length=16, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    details = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)
    source = models.CharField(max_length=16, choices=EndUserSource.choices, default=EndUserSource.AGENT)
    suspended = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_profiles",
        help_text="Set when this profile was merged away: it then only points to its survivor.",
    )
    # The name folded for search (accents removed, lower case), computed by the database
    # on every write, so each search compares stored text instead of calling unaccent per row.
    name_folded = models.GeneratedField(
        expression=ZdUnaccent(Lower("name")), output_field=models.TextField(), db_persist=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The directory and the admin page through a million profiles: deep pages select their ids first.
    objects = DeepPagingQuerySet.as_manager()

    class Meta:
        verbose_name = "end user"
        ordering = ["name", "id"]
        permissions = [
            ("merge_enduser", "Can merge end users"),
            ("unmerge_enduser", "Can undo a merge of end users"),
            ("import_endusers", "Can import end users"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="enduser_name_not_empty"),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                name="enduser_external_id_unique",
                violation_error_message="Another end user already has this external id.",
            ),
            models.CheckConstraint(condition=~Q(external_id=""), name="enduser_external_id_null_not_blank"),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="enduser_not_merged_into_self"),
            models.CheckConstraint(condition=Q(source__in=EndUserSource.values), name="enduser_source_valid"),
        ]
        indexes = [
            # The directory lists live profiles sorted by name or by creation.
            models.Index(fields=["name", "id"], condition=Q(merged_into__isnull=True), name="enduser_live_name"),
            models.Index(fields=["source"], name="enduser_source"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_tombstone(self) -> bool:
        return self.merged_into_id is not None


class Identity(models.Model):
    """One contact point of an end user. (kind, normalized) belongs to exactly one profile."""

    Kind = IdentityKind

    user = models.ForeignKey(EndUser, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=254, help_text="As entered or received.")
    normalized = models.CharField(max_length=254, editable=False, help_text="The key used for uniqueness and lookup.")
    is_primary = models.BooleanField("primary", default=False)
    verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "identities"
        ordering = ["kind", "-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "normalized"], name="identity_kind_normalized_unique"),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(is_primary=True),
                name="identity_one_primary_per_kind",
                violation_error_message="This profile already has a primary identity of this kind.",
            ),
            models.CheckConstraint(condition=~Q(normalized=""), name="identity_normalized_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=IdentityKind.values), name="identity_kind_valid"),
        ]
        indexes = [
            # Lookups by a typed value across kinds (admin search, "find by anything").
            models.Index(fields=["normalized"], name="identity_normalized"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Contact(models.Model):
    """A ticket or conversation an end user started, through one channel and identity."""

    Channel = ContactChannel
    Status = ContactStatus

    # requester and organization lookups use the composite indexes in Meta.
    requester = models.ForeignKey(EndUser, on_delete=models.PROTECT, related_name="contacts", db_index=False)
    via_identity = models.ForeignKey(
        Identity, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    channel = models.CharField(max_length=16, choices=ContactChannel.choices)
    subject = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.NEW)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        db_index=False,
        help_text="The requester's default organization when the contact came in.",
    )
    source_ref = models.CharField(
        max_length=255, null=True, blank=True, help_text="The connector's message id; unique per channel."
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                condition=Q(source_ref__isnull=False),
                name="contact_channel_source_ref_unique",
                violation_error_message="A contact with this source reference already exists on this channel.",
            ),
            models.CheckConstraint(condition=~Q(source_ref=""), name="contact_source_ref_null_not_blank"),
            models.CheckConstraint(condition=Q(channel__in=ContactChannel.values), name="contact_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=ContactStatus.values), name="contact_status_valid"),
        ]
        indexes = [
            # The profile timeline: a requester's contacts, newest first.
            models.Index(fields=["requester", "-created_at", "-id"], name="contact_requester_timeline"),
            # Organization reports: contacts of an organization over time.
            models.Index(fields=["organization", "created_at"], name="contact_org_created"),
        ]

    def __str__(self) -> str:
        return self.subject or f"{self.get_channel_display()} contact #{self.pk}"


# The single-valued fields of EndUser whose winner a merge may choose; a MergeRecord stores their values
# before and after (`survivor_before`, `others_before`, `survivor_after`) and the choices (`field_choices`).
MERGE_FIELDS = ("name", "locale", "time_zone", "details", "external_id", "suspended")
# How the merge pages name them.
FIELD_LABELS = {
    "name": "Name",
    "locale": "Locale",
    "time_zone": "Time zone",
    "details": "Details",
    "external_id": "External id",
    "suspended": "Suspended",
}
# The `field_choices` key whose value is the id of the organization that becomes the survivor's default.
DEFAULT_ORGANIZATION = "default_organization"


class MergeRecord(models.Model):
    """One merge of profiles into a survivor, with everything it moved and overwrote, so it can be undone exactly.

    Written only by profiles.merges.services. JSON layouts (ids as strings where they are keys):

    - `survivor_before` / `survivor_after`: the survivor's single-valued fields, `tags` and `notes`
      before and after the merge; `others_before`: {profile id: the same fields}.
    - `identities`: [{id, user_id, kind, normalized, is_primary}] as they were on the merged-away profiles;
      `survivor_primaries`: {kind: id of the survivor's primary identity of that kind, or null when it had that
      kind without a primary} before the merge.
    - `field_choices`: {field of MERGE_FIELDS: id of the profile whose value won, DEFAULT_ORGANIZATION:
      id of the organization chosen as the survivor's default}, as the merge was asked.
    - `contacts`: {previous requester id: [contact ids]}.
    - `memberships`: {"moved": [...], "deleted": [...]} rows of the merged-away profiles as they were
      ({id, user_id, organization_id, is_default, created_at}), plus the survivor's default membership id
      before (`survivor_default_before`) and after (`default_after`) the merge.
    """

    survivor = models.ForeignKey(EndUser, on_delete=models.PROTECT, related_name="merge_records")
    merged_ids = models.JSONField(help_text="Ids of the profiles merged away, in the order given.")
    field_choices = models.JSONField(default=dict, blank=True, help_text="Field → id of the profile whose value won.")
    survivor_before = models.JSONField(default=dict)
    survivor_after = models.JSONField(default=dict)
    others_before = models.JSONField(default=dict)
    identities = models.JSONField(default=list)
    survivor_primaries = models.JSONField(default=dict)
    contacts = models.JSONField(default=dict)
    memberships = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Merge #{self.pk} into {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None

    @property
    def contact_count(self) -> int:
        return sum(len(ids) for ids in self.contacts.values())


class RetiredExternalId(models.Model):
    """The external id a merged-away profile gave up in a merge, so a search for it still leads to the survivor.

    Written by profiles.merges.services: `merge()` adds one row per merged-away profile whose external id did
    not go to the survivor; `unmerge()` gives the ids back and deletes the rows of its record.
    """

    external_id = models.CharField(max_length=255)
    user = models.ForeignKey(EndUser, on_delete=models.CASCADE, related_name="+", help_text="The merged-away profile.")
    merge_record = models.ForeignKey(MergeRecord, on_delete=models.CASCADE, related_name="retired_external_ids")

    class Meta:
        indexes = [models.Index(fields=["external_id"], name="retired_external_id")]

    def __str__(self) -> str:
        return self.external_id


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISMISSED = "dismissed", "Not a duplicate"
    MERGED = "merged", "Merged"


class DuplicateCandidate(models.Model):
    """Two live profiles that may be one customer: the score and the evidence, and what a reviewer decided.

    Written by profiles.duplicates.services. The pair is ordered (low id first) so it exists once;
    a dismissed or merged pair is never re-opened by a scan.
    """

    low = models.ForeignKey(EndUser, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(EndUser, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list, help_text="[{kind, text, weight}] as the scorer explained it.")
    # The positive reason kinds, space-separated with a space at each end (" name phone "): a portable filter.
    reason_kinds = models.CharField(max_length=200, default=" ")
    status = models.CharField(max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    found_in_scan = models.PositiveIntegerField(null=True, blank=True, help_text="The last full scan that found it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "duplicate candidate"
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="candidate_pair_ordered"),
            models.UniqueConstraint(fields=["low", "high"], name="candidate_pair_unique"),
            models.CheckConstraint(condition=Q(score__lte=100), name="candidate_score_at_most_100"),
            models.CheckConstraint(condition=Q(status__in=CandidateStatus.values), name="candidate_status_valid"),
            models.CheckConstraint(
                condition=Q(status=CandidateStatus.OPEN) | Q(reviewed_at__isnull=False),
                name="candidate_closed_has_review_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-score", "id"], name="candidate_queue"),
            models.Index(fields=["high"], name="candidate_high"),
        ]

    def __str__(self) -> str:
        return f"#{self.low_id} ~ #{self.high_id} ({self.score})"


class MatchKey(models.Model):
    """A blocking key of a profile (profiles.duplicates.matching.blocking_keys): derived data, rebuilt by scans."""

    user = models.ForeignKey(EndUser, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=255)
    # For organization/domain keys: the profile's sorted name words, so a scan compares the names in a
    # block without loading the profiles; empty for evidence keys.
    name = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        # No unique (user, key): a full scan rebuilds this table with its indexes dropped (bulk load,
        # then CREATE INDEX); readers treat a repeated row as one.
        indexes = [
            # Covering the name: reading a population block of thousands of members is an index-only scan
            # (PostgreSQL; SQLite has no INCLUDE and builds the plain index).
            models.Index(fields=["key", "user"], include=["name"], name="matchkey_key"),
            models.Index(fields=["user"], name="matchkey_user"),
        ]

    def __str__(self) -> str:
        return self.key


class NameFrequency(models.Model):
    """How many live named profiles carry a folded name word, or are named exactly so (the sorted words).

    The counts behind "a rare name" (profiles.duplicates.rarity), kept in step with the profiles'
    whole-name keys by profiles.duplicates.frequencies and rebuilt by every full scan.
    """

    class Kind(models.TextChoices):
        WORD = "word", "Name word"
        NAME = "name", "Whole name"

    kind = models.CharField(max_length=4, choices=Kind.choices)
    term = models.CharField(max_length=255)
    profiles = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "kind"], name="namefrequency_unique"),
            models.CheckConstraint(condition=Q(kind__in=["word", "name"]), name="namefrequency_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.profiles})"


class MatchingModel(models.Model):
    """Rule weights learned from the reviewers' verdicts (profiles.duplicates.training): the latest row applies.

    A row without multipliers is a return to the default weights; older rows are the history.
    """

    trained_at = models.DateTimeField(default=timezone.now)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    multipliers = models.JSONField(default=dict, blank=True, help_text="{rule: multiplier of its default points}")
    merged_pairs = models.PositiveIntegerField(default=0)
    dismissed_pairs = models.PositiveIntegerField(default=0)
    figures = models.JSONField(
        default=dict, blank=True, help_text="The likely tier on held-out verdicts, with default and learned weights."
    )

    class Meta:
        verbose_name = "matching model"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"matching model of {self.trained_at:%Y-%m-%d %H:%M}"


class PendingDuplicateCheck(models.Model):
    """A profile intake created or changed whose duplicate check the task worker has not run yet.

    One row per profile however many contacts asked for it (the checks coalesce); the row goes in the
    transaction that stores the check's result, so a worker that dies mid-batch loses nothing: the next
    run finds the row again (profiles.duplicates.pending).
    """

    user = models.OneToOneField(EndUser, primary_key=True, on_delete=models.CASCADE, related_name="+")
    # Profiles owning a contact point given in one of this profile's conversations: compared with it whatever
    # the keys say, with that strong reason added.
    conflicting_ids = models.JSONField(default=list, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"duplicate check of profile #{self.user_id} queued {self.queued_at:%Y-%m-%d %H:%M}"


class DuplicateScan(models.Model):
    """One run of the full duplicate scan and how far it got, so a killed scan resumes where it stopped."""

    class Phase(models.TextChoices):
        KEYS = "keys", "Computing blocking keys"
        PAIRS = "pairs", "Scoring pairs"
        DONE = "done", "Done"

    since = models.DateTimeField(null=True, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.KEYS)
    keys_done_through = models.BigIntegerField(default=0, help_text="Profiles up to this id have fresh keys.")
    pairs_done_through = models.CharField(max_length=255, blank=True, help_text="Blocks up to this key are scored.")
    profiles_keyed = models.PositiveIntegerField(default=0)
    pairs_compared = models.PositiveBigIntegerField(default=0)
    candidates_found = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=["keys", "pairs", "done"]), name="scan_phase_valid"),
            models.CheckConstraint(
                condition=Q(phase="done", finished_at__isnull=False) | ~Q(phase="done"),
                name="scan_done_has_finish_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Scan #{self.pk} ({self.phase})"
