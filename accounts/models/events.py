"""Server events (tada `server.*`) recorded by accounts.services.events.publish_event.

Delivery (websocket, push) is a later concern: it reads undelivered rows; producers only publish.
"""

from django.db import models

from accounts.models.core import Team, User
from core.tenancy import TeamScopedQuerySet


class ServerEvent(models.Model):
    name = models.CharField(max_length=100, db_index=True, help_text='e.g. "server.team.updated"')
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="server_events")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recipients = models.ManyToManyField(User, through="ServerEventRecipient", related_name="server_events")
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"


class ServerEventRecipient(models.Model):
    event = models.ForeignKey(ServerEvent, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="server_event_recipient_unique")]

    def __str__(self) -> str:
        return f"{self.event.name} → user {self.user_id}"
