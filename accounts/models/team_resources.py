"""Per-user and per-team settings, and a team's integrations (tada: Sentry, Bitbucket, API/webhook)."""

import secrets
import uuid

from django.db import models
from django.db.models import Q

from accounts.models.core import Team, User
from core.tenancy import TeamScopedQuerySet


class Setting(models.Model):
    """A named JSON value (tommy /me/settings and /team/settings), upserted per (owner, name, context)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="settings")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="settings")
    name = models.CharField(max_length=100)
    context = models.CharField(max_length=100, blank=True, default="")
    format = models.CharField(max_length=32, blank=True, default="")
    data = models.JSONField(null=True)
    addon_install_id = models.BigIntegerField(null=True, blank=True)
    resource_type = models.CharField(max_length=64, blank=True, default="")
    resource_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name", "context"], condition=Q(team__isnull=True), name="setting_unique_user"
            ),
            models.UniqueConstraint(
                fields=["team", "name", "context"], condition=Q(user__isnull=True), name="setting_unique_team"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) ^ Q(team__isnull=False), name="setting_user_xor_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} of {self.user or self.team}"


def new_integration_key() -> str:
    """27 URL-safe characters, as the tada document's `raw` integration key."""
    return secrets.token_urlsafe(20)


class Integration(models.Model):
    """A team integration posting into a group chat. The `raw` kind has an inbound key and an outbound webhook.

    The key is stored readable: the document shows it back in every GET (like a chat webhook URL's secret).
    """

    class Kind(models.TextChoices):
        SENTRY = "sentry", "Sentry"
        BITBUCKET = "bitbucket", "Bitbucket"
        RAW = "raw", "API/Webhook"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="integrations")
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind)
    comment = models.CharField(max_length=255, blank=True)
    enabled = models.BooleanField(default=True)
    group = models.CharField(max_length=64, blank=True, help_text="Target group chat jid (g-<uuid>).")
    api_key = models.CharField(max_length=64, unique=True, default=new_integration_key, editable=False)
    webhook_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} integration of {self.team}"
