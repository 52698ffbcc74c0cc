"""Runs of installed actions and their history (DESIGN.md §4: a row per due run, claimed exactly once).

A run's life: `scheduled` (waiting for `due_at`) → `queued` (claimed by the one dispatcher, handed to Celery) →
`running` (claimed by a worker) → `succeeded` | `failed`; a transient failure goes back to `scheduled` with a later
`due_at` (backoff), and a canceled schedule or deleted install leaves `canceled`. Every move is a conditional UPDATE
on the status, so two dispatchers or a redelivered task find the row already taken.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.tenancy import TeamScopedQuerySet


class ActionRun(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"

    class Source(models.TextChoices):
        MANUAL = "manual", "Run now"
        LATER = "later", "Run later (one-off)"
        SCHEDULE = "schedule", "Schedule"
        EVENT = "event", "Event"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="action_runs")
    install = models.ForeignKey("automations.ActionInstall", on_delete=models.CASCADE, related_name="runs")
    source = models.CharField(max_length=16, choices=Source)
    trigger = models.CharField(max_length=64, help_text="The trigger key (or event name) that made this run.")
    # One run per install and key: a schedule's occurrence, an event (shift 12 published at …), an inbound SMS.
    dedupe_key = models.CharField(max_length=200, blank=True)
    trigger_data = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status, default=Status.SCHEDULED)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    progress = models.FloatField(default=0, help_text="Percent done, for long runs.")
    progress_note = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    schedule_revision = models.PositiveIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the dispatcher queued it.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-id"]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(status="scheduled"), name="action_run_due_scheduled"
            ),  # the dispatcher's query
            models.Index(fields=["install", "-due_at"], name="action_run_install_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["install", "dedupe_key"], condition=~Q(dedupe_key=""), name="action_run_unique_key"
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.install} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CANCELED)


class HistoryEntry(models.Model):
    """The document's AuditLog: one line of an install's history (installed, scheduled, run succeeded, …)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    install = models.ForeignKey("automations.ActionInstall", on_delete=models.CASCADE, related_name="history")
    run = models.ForeignKey(ActionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="history")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=64)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "history entries"
        indexes = [models.Index(fields=["install", "-created_at", "-id"], name="history_install_newest")]

    def __str__(self) -> str:
        return f"{self.name}: {self.message[:60]}"
