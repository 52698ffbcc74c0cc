"""Multicasts (DESIGN.md §4): one Multicast, its chunks of about 500 recipients, one Delivery row per recipient ×
channel (the unit of exactly-once work), one UserNotification per recipient, badge counts and summaries."""

import uuid

from django.conf import settings
from django.db import models

from core.tenancy import TeamScopedQuerySet

CHANNELS = ("push", "sms", "email")


class Multicast(models.Model):
    """A templated message to many people of one team, sent by Celery in chunks.

    Progress lives in two counters the workers move in the same statements that write deliveries:
    `chunks_pending` (chunks not yet fanned out) and `outstanding` (deliveries not yet final). The multicast is
    finished when both are 0; the per-channel report is an aggregate of its deliveries.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # stored, fan-out not started
        SENDING = "sending", "Sending"  # chunks being fanned out / deliveries being sent
        COMPLETE = "complete", "Complete"  # every delivery sent (or delivered)
        PARTIALLY_FAILED = "partially-failed", "Partially failed"  # finished, some deliveries failed
        FAILED = "failed", "Failed"  # finished, every delivery failed
        CANCELLED = "cancelled", "Cancelled"  # stopped: what had not gone yet never goes

    class Source(models.TextChoices):
        MULTICAST = "multicast", "POST /multicasts"
        USER_MULTICAST = "user-multicast", "POST /user-multicasts"
        USER = "user", "POST /users/{id}/multicast"
        INDIVIDUAL = "individual", "POST /individuals/{id}/multicast"
        CONSOLE = "console", "Console"
        AUTOMATION = "automation", "Automation"

    FINISHED = (Status.COMPLETE, Status.PARTIALLY_FAILED, Status.FAILED, Status.CANCELLED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The id answered as `task-id`: the Celery id of the first fan-out task (the planning task).
    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="multicasts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source, default=Source.MULTICAST)
    message_template = models.ForeignKey(
        "messaging.MessageTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="multicasts"
    )
    template_id = models.CharField(max_length=255)
    # The template's parts when the multicast was made: a later edit of the template never changes it.
    parts = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="The template variables given.")
    filter_type = models.CharField(max_length=32)
    filter_value = models.JSONField(default=dict, blank=True)
    individual_group = models.ForeignKey(
        "messaging.IndividualGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="multicasts"
    )
    individual = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channels = models.JSONField(default=list, blank=True, help_text="Channels this multicast may use.")
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING, db_index=True)
    recipients_total = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_pending = models.IntegerField(default=0)
    outstanding = models.IntegerField(default=0, help_text="Deliveries queued or being sent.")
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template_id} to {self.recipients_total or '…'} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class MulticastChunk(models.Model):
    """About 500 recipients of a multicast (a range of membership ids taken when it was planned): one fan-out task.
    `pending` → `planned` (its notifications and deliveries exist) or `cancelled`."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PLANNED = "planned", "Planned"
        CANCELLED = "cancelled", "Cancelled"

    multicast = models.ForeignKey(Multicast, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    first_member_id = models.BigIntegerField()
    last_member_id = models.BigIntegerField()
    size = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    planned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["multicast_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["multicast", "seq"], name="multicast_chunk_unique_seq")]
        indexes = [models.Index(fields=["status", "created_at"], name="multicast_chunk_status")]

    def __str__(self) -> str:
        return f"chunk {self.seq} of multicast {self.multicast_id} ({self.status})"


class Delivery(models.Model):
    """One channel of one recipient of a multicast: the unit of exactly-once work (DESIGN.md §4).

    `queued` → `sending` (claimed by a worker with a conditional UPDATE) → `sent` | `failed`; a provider report
    may move `sent` → `delivered`. `cancelled` when the multicast was cancelled before it went.
    """

    class Channel(models.TextChoices):
        PUSH = "push", "Push"
        SMS = "sms", "SMS"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINAL = (Status.SENT, Status.DELIVERED, Status.FAILED, Status.CANCELLED)

    # Few indexes on purpose: every delivery row is written three times (stored, claimed, its outcome), and each
    # index is one more write each time. The unique (multicast, individual, channel) index serves lookups by
    # multicast; (chunk, channel, status) the claims; a partial index on claimed_at the sweeper.
    # FOREIGN_KEY_NOTE: a multicast stores a notification and a delivery per recipient, and each foreign-key
    # constraint is one more lookup and row lock in PostgreSQL per row (measured: the constraints were a third of the
    # database's work of a fan-out). The database checks the ones that say something: who (individual) and which
    # chunk (hence which multicast); `multicast` and `user` are copies of what those imply, written in the same
    # statement from the rows they name, so their constraints are left out (db_constraint=False). Deleting through
    # Django still cascades over them (on_delete is Django's collector, not the database's).
    multicast = models.ForeignKey(
        Multicast, on_delete=models.CASCADE, related_name="deliveries", db_index=False, db_constraint=False
    )
    chunk = models.ForeignKey(MulticastChunk, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    individual = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    channel = models.CharField(max_length=8, choices=Channel)
    status = models.CharField(max_length=12, choices=Status, default=Status.QUEUED)
    address = models.CharField(max_length=254, blank=True, help_text="Phone or email; push goes to every device.")
    body = models.TextField(blank=True, help_text="The rendered SMS.")
    error = models.CharField(max_length=500, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["multicast", "individual", "channel"], name="delivery_unique_recipient")
        ]
        indexes = [
            models.Index(fields=["chunk", "channel", "status"], name="delivery_chunk_channel"),
            models.Index(fields=["claimed_at"], name="delivery_sending", condition=models.Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.address or self.user_id} ({self.status})"


class UserNotification(models.Model):
    """What one person received from one multicast (courier `user-notifications`), with its per-channel `data`.
    Acknowledging lowers the person's `notifications` badge count."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexes kept to what the reads need (a multicast inserts one row per recipient): by multicast and individual
    # (unique), by individual (lists, badges, acks), by user (the caller's own list), by team and day (counts).
    # Constraints checked by the database: individual and multicast; team, chunk and user are copies of what those
    # imply (Delivery's FOREIGN_KEY_NOTE).
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    multicast = models.ForeignKey(Multicast, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    chunk = models.ForeignKey(
        MulticastChunk,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    individual = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_constraint=False
    )
    category = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)
    acknowledged = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["multicast", "individual"], name="user_notification_unique_recipient")
        ]
        indexes = [
            models.Index(fields=["individual", "acknowledged", "created_at"], name="notification_individual"),
            models.Index(fields=["team", "created_at"], name="notification_team_created"),
        ]

    def __str__(self) -> str:
        return f"{self.multicast.template_id if self.multicast_id else ''} to {self.user_id}"


class BadgeCount(models.Model):
    """A count shown on a person's app icon, per individual and type (courier `badge-counts`). The type
    `notifications` is kept by Crewdesk (unacknowledged notifications); other types are set by clients.

    Every multicast bumps one row per recipient, so on PostgreSQL the table leaves half of each page free
    (fillfactor 50, migration 0006): a bump then rewrites the row in its own page without touching an index
    (a HOT update), which halved the bump's cost in the multicast bench.
    """

    NOTIFICATIONS = "notifications"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    # No index of its own: the unique (individual, type) index serves every lookup by individual.
    individual = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="badge_counts", db_index=False
    )
    type = models.CharField(max_length=64)
    count = models.IntegerField(default=0)
    timestamp = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["type", "id"]
        constraints = [models.UniqueConstraint(fields=["individual", "type"], name="badge_count_unique_type")]

    def __str__(self) -> str:
        return f"{self.type}: {self.count}"


class CommunicationSummary(models.Model):
    """The counters of `communication-summaries` for one individual, materialised; recomputed on request
    (`recalculate-communication-summary`) or when first read."""

    individual = models.OneToOneField("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    messages = models.PositiveIntegerField(default=0)
    notifications = models.PositiveIntegerField(default=0)
    provider_messages = models.PositiveIntegerField(default=0)
    video_channels = models.PositiveIntegerField(default=0)
    message_types = models.JSONField(default=list, blank=True)
    message_senders = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"summary of individual {self.individual_id}"
