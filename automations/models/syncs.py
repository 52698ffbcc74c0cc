"""Background operations a team can watch (tommy `Sync`): demo data, imports, exports."""

from django.conf import settings
from django.db import models

from core.tenancy import TeamScopedQuerySet


class Sync(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"
        COMPLETE = "complete", "Complete"

    class Direction(models.TextChoices):
        IMPORT = "import", "Import"
        EXPORT = "export", "Export"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="syncs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    integration_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING, db_index=True)
    direction = models.CharField(max_length=8, choices=Direction, default=Direction.IMPORT)
    item_type = models.CharField(max_length=64, help_text='What is synced, e.g. "demo_data:workforce".')
    progress_percentage = models.FloatField(default=0)
    total_items = models.PositiveIntegerField(default=0)
    success_items = models.PositiveIntegerField(default=0)
    failed_items = models.PositiveIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_type} sync of {self.team} ({self.status})"


class DemoRecord(models.Model):
    """Marks one row created by demo data, so `team/demo_data/reset` removes exactly what was generated."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="demo_records")
    sync = models.ForeignKey(Sync, null=True, blank=True, on_delete=models.SET_NULL, related_name="demo_records")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="demo_record_unique_object"),
        ]

    def __str__(self) -> str:
        return f"demo {self.content_type.model} #{self.object_id}"
