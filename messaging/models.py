"""SMS: text accounts (per-team sender configuration), their numbers, and one row per outbound text."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.tenancy import TeamScopedQuerySet


class TextAccount(models.Model):
    """A team's SMS account (courier `text-accounts`): which number texts go out from."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="text_accounts")
    allow_custom_number = models.BooleanField(default=False)
    phone_number = models.CharField(max_length=20, blank=True, help_text="Default sender (E.164).")
    twilio_id = models.CharField(max_length=64, blank=True, help_text="Provider (sub)account id.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.team} SMS account {self.phone_number or '(default sender)'}"


class TextNumberQuerySet(TeamScopedQuerySet):
    team_lookup = "account__team"


class TextNumber(models.Model):
    """A phone number of a text account (courier `text-account-numbers`)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(TextAccount, on_delete=models.CASCADE, related_name="numbers")
    phone_number = models.CharField(max_length=20)
    twilio_id = models.CharField(max_length=64, blank=True)
    alert = models.BooleanField(default=False)
    forward_to = models.CharField(max_length=20, blank=True)
    logging = models.BooleanField(default=False)
    notes = models.CharField(max_length=255, blank=True)
    events = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TextNumberQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.phone_number


class Text(models.Model):
    """One outbound SMS and its delivery state. The row is the unit of exactly-once work (DESIGN.md §4)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"  # stored, waiting for a worker
        QUEUED = "queued", "Queued"  # the provider has it queued
        SENDING = "sending", "Sending"  # claimed by a worker / provider is sending
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Undelivered"
        FAILED = "failed", "Failed"

    class Purpose(models.TextChoices):
        OTP = "otp", "Login or verification code"
        MESSAGE = "message", "Message"
        INVITATION = "invitation", "Invitation"
        NOTIFICATION = "notification", "Notification"

    # Statuses only move forward: a late "sent" callback never overwrites "delivered".
    RANK = {
        Status.ACCEPTED: 0,
        Status.QUEUED: 1,
        Status.SENDING: 2,
        Status.SENT: 3,
        Status.DELIVERED: 4,
        Status.UNDELIVERED: 4,
        Status.FAILED: 4,
    }
    FINAL = (Status.DELIVERED, Status.UNDELIVERED, Status.FAILED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="texts")
    account = models.ForeignKey(TextAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="texts")
    number = models.ForeignKey(TextNumber, null=True, blank=True, on_delete=models.SET_NULL, related_name="texts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.CharField(max_length=20)
    from_number = models.CharField(max_length=20, blank=True)
    body = models.TextField()
    purpose = models.CharField(max_length=16, choices=Purpose, default=Purpose.MESSAGE)
    status = models.CharField(max_length=16, choices=Status, default=Status.ACCEPTED, db_index=True)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    callback_status_url = models.URLField(max_length=500, blank=True)
    callback_url = models.URLField(max_length=500, blank=True)
    callback_json = models.JSONField(null=True, blank=True)
    callback_one_off = models.BooleanField(default=True)
    expected_responses = models.JSONField(default=list, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"], name="text_account_created")]

    def __str__(self) -> str:
        return f"SMS to {self.to} ({self.status})"

    @property
    def queue(self) -> str:
        return "sms_otp" if self.purpose == self.Purpose.OTP else "sms"


# --- chats (DESIGN.md §2: tada direct/group chats today; tommy chats and courier channels later) ------------------


class Chat(models.Model):
    """A conversation in a team: `direct` between two users (or one user with themself), or a titled `group`.

    A direct chat is unique per pair in a team: `direct_key` holds the two user ids, sorted ("12:40"); it is NULL
    for groups, and NULLs never collide in the unique constraint.
    """

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct"
        GROUP = "group", "Group"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="chats")
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.DIRECT)
    title = models.CharField(max_length=200, blank=True)
    direct_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ChatParticipant", related_name="chats", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "direct_key"], name="chat_unique_direct_key"),
            models.CheckConstraint(
                condition=(models.Q(kind="direct", direct_key__isnull=False) | ~models.Q(kind="direct")),
                name="chat_direct_has_key",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="group", direct_key__isnull=True) | ~models.Q(kind="group")),
                name="chat_group_has_no_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} chat {self.uid}"


class ChatParticipantQuerySet(TeamScopedQuerySet):
    team_lookup = "chat__team"


class ChatParticipant(models.Model):
    """A user in a chat, with how far they have read."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_participations")
    joined_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    objects = ChatParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["chat", "user"], name="chat_participant_unique")]

    def __str__(self) -> str:
        return f"user {self.user_id} in chat {self.chat_id}"


class ChatMessageQuerySet(TeamScopedQuerySet):
    team_lookup = "chat__team"


class ChatMessage(models.Model):
    """One message of a chat. `prev` chains each message to the one before it in its chat (kept a chain by
    messaging.chats.chat_message_send, which locks the chat row); `gentime` is a nanosecond timestamp that only
    grows within a chat."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField(default=dict, blank=True, help_text='e.g. {"type": "plain", "text": "…"}')
    text = models.TextField(blank=True, help_text="The content's text, denormalised for search.")
    prev = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    gentime = models.BigIntegerField(help_text="Nanoseconds since the epoch when the server generated it.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ChatMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["chat", "created_at", "id"], name="chat_message_chat_created")]

    def __str__(self) -> str:
        return f"message {self.uid} in chat {self.chat_id}"
