"""Import jobs (one uploaded or command-line file, previewed then applied) and the problems found per line."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class ImportKind(models.TextChoices):
    USERS = "users", "End users"
    ORGANIZATIONS = "organizations", "Organizations"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the preview"
    PREVIEWING = "previewing", "Previewing"
    PREVIEWED = "previewed", "Preview ready"
    APPLY_QUEUED = "apply_queued", "Waiting to apply"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"
    # `import_users --dry-run`: previewed from the command line, with no stored file to apply; finished.
    DRY_RUN = "dry_run", "Dry run: nothing written"


RUNNING_STATUSES = (ImportStatus.QUEUED, ImportStatus.PREVIEWING, ImportStatus.APPLY_QUEUED, ImportStatus.APPLYING)


class ImportJob(models.Model):
    """One file imported: who, when, what it found (preview) and what it did (apply), and how far it got.

    Counters are those of the last pass: the preview's predictions until the job is
    applied, then what was done; `preview_counts` keeps the preview's numbers.
    `last_line_committed` is the last line of the file whose rows are committed: a
    killed worker leaves every row up to it applied and nothing after it.
    """

    Kind = ImportKind
    Status = ImportStatus

    kind = models.CharField(max_length=16, choices=ImportKind.choices, default=ImportKind.USERS)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    create_organizations = models.BooleanField(
        default=True, help_text="Create the organizations named in the file that do not exist yet."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last progress written by the worker.")
    bytes_read = models.PositiveBigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    organizations_created = models.PositiveIntegerField(default=0)
    warned = models.PositiveIntegerField(
        default=0, help_text="Rows applied (or to be applied) with a warning, such as a profile named after its email."
    )
    last_line_committed = models.PositiveIntegerField(default=0)
    preview_counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, help_text="Why the file could not be read to the end, if it could not.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="importjob_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="importjob_kind_valid"),
            models.CheckConstraint(condition=~Q(file_name=""), name="importjob_file_name_not_empty"),
            models.CheckConstraint(
                condition=Q(bytes_read__lte=models.F("file_size")) | Q(file_size=0),
                name="importjob_bytes_read_within_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.file_name})"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_applied(self) -> bool:
        return self.status == ImportStatus.APPLIED

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.PREVIEWED, ImportStatus.APPLIED, ImportStatus.DRY_RUN):
            return 100
        if not self.file_size:
            return 0
        return min(100, int(self.bytes_read * 100 / self.file_size))


class IssueKind(models.TextChoices):
    INVALID = "invalid", "Invalid"
    CONFLICT = "conflict", "Conflict"
    # The row is applied all the same; the person should know how (a nameless profile named after its contact point).
    WARNING = "warning", "Warning"


class ImportIssue(models.Model):
    """One problem on one line: the row was not applied (invalid, conflict), or it was and a person should know how
    (warning). `profile_ids` are the profiles a conflict names."""

    Kind = IssueKind

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=16, choices=IssueKind.choices)
    message = models.TextField()
    profile_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["line", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=IssueKind.values), name="importissue_kind_valid"),
            models.CheckConstraint(condition=Q(line__gte=2), name="importissue_line_after_header"),
        ]
        indexes = [models.Index(fields=["job", "line"], name="importissue_job_line")]

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"
