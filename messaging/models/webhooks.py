"""The one outbox of HTTP callbacks Crewdesk makes (texts' callback URLs now; inbox webhooks, tada integrations and
automation actions later): a row per delivery, every attempt logged, signed with the team's secret."""

import uuid

from django.db import models

from core.tenancy import TeamScopedQuerySet


class WebhookSecret(models.Model):
    """A team's Standard Webhooks signing secret (`whsec_…`). Rotating keeps the previous secret valid for a grace
    period: deliveries then carry both signatures, so receivers can switch without losing a message."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="webhook_secret")
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_valid_until = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["team_id"]

    def __str__(self) -> str:
        return f"webhook signing secret of {self.team}"


class WebhookDelivery(models.Model):
    """One HTTP callback to make: `pending` → `sending` (claimed) → `delivered` | back to `pending` with a later
    `next_attempt_at` | `failed` once `give_up_at` has passed. Deliveries sharing an `ordering_key` go out one at a
    time in creation order (a text's status changes)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    FINAL = (Status.DELIVERED, Status.FAILED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="webhook_deliveries")
    url = models.URLField(max_length=500)
    event_type = models.CharField(max_length=100)
    payload = models.JSONField()
    headers = models.JSONField(default=dict, blank=True)
    secret = models.CharField(max_length=100, blank=True, help_text="Signs with this instead of the team's secret.")
    # A family whose document fixes the body (the inbox's BasicInboundMessage) sends the payload as the whole body;
    # otherwise the body is Standard Webhooks' envelope {"type", "timestamp", "data": payload}.
    raw_body = models.BooleanField(default=False, help_text="Send the payload itself as the body (no envelope).")
    ordering_key = models.CharField(max_length=200, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    give_up_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]
        constraints = [
            models.UniqueConstraint(fields=["team", "idempotency_key"], name="webhook_delivery_idempotency"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.url} ({self.status})"

    @property
    def message_id(self) -> str:
        """The `webhook-id` header: the same on every attempt and replay, so receivers can drop duplicates."""
        return f"msg_{self.uid.hex}"


class WebhookAttemptQuerySet(TeamScopedQuerySet):
    team_lookup = "delivery__team"


class WebhookAttempt(models.Model):
    """One try of a delivery: when, how long, what came back (or what went wrong before an answer)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)

    objects = WebhookAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["delivery_id", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
