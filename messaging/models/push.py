"""Push: a team's provider credentials (courier `app-credentials`, secrets encrypted at rest) and the log of every
push sent to a device (courier `user-device-logs`)."""

import uuid

from django.db import models

from core.tenancy import TeamScopedQuerySet


class AppCredential(models.Model):
    """Credentials of a push provider for one of the team's apps. `data` (the provider's secret payload: an FCM
    service-account JSON, an APNs key) is stored only encrypted (messaging.crypto) and never shown again."""

    class Type(models.TextChoices):
        APN = "apn", "APNs"
        FCM = "fcm", "FCM"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="app_credentials")
    type = models.CharField(max_length=8, choices=Type)
    app_name = models.CharField(max_length=64, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    store_id = models.CharField(max_length=255, blank=True)
    test_mode = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    data_encrypted = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name or self.app_name or f"{self.get_type_display()} credential"


class DeviceLogQuerySet(TeamScopedQuerySet):
    team_lookup = "team"


class DeviceLog(models.Model):
    """One push sent (or tried) to one device."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey("accounts.Device", on_delete=models.CASCADE, related_name="logs")
    delivery = models.ForeignKey(
        "messaging.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="device_logs"
    )
    title = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    category = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)
    badge_count = models.IntegerField(default=0)
    ok = models.BooleanField(default=True)
    error = models.CharField(max_length=500, blank=True)
    provider_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeviceLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["device", "-created_at"], name="device_log_device")]

    def __str__(self) -> str:
        return f"push to device {self.device_id}: {self.title}"
