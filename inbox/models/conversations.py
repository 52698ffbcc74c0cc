"""Conversations (one per channel and contact), their messages, comments, scheduled replies, and the provider
events received for a channel before they are processed."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.tenancy import TeamScopedQuerySet
from inbox.models.channels import ChannelScopedQuerySet


def message_id() -> str:
    """Message ids are hex strings, like the document's `b48eaa2fab1e942cad8b8717ec6bf3ed2dad05a`."""
    return secrets.token_hex(20)


def comment_id() -> str:
    return secrets.token_hex(18)


class Conversation(models.Model):
    """The thread with one contact on one channel (the document's identity is the pair of JIDs).

    `unread_count` follows the document's inverted rule: NULL = read; a number = unread (0 = marked unread by hand).
    The assignee is an agent (a user), an assistant, or nobody (the agents' pool) — never both.
    """

    class Status(models.TextChoices):
        OPEN = "OPEN", "Open"
        CLOSED = "CLOSED", "Closed"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="inbox_conversations")
    channel = models.ForeignKey("inbox.Channel", on_delete=models.CASCADE, related_name="conversations")
    contact = models.OneToOneField("inbox.Contact", on_delete=models.CASCADE, related_name="conversation")
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee_assistant = models.ForeignKey(
        "inbox.Assistant", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    labels = models.ManyToManyField("inbox.Label", blank=True, related_name="conversations")
    unread_count = models.PositiveIntegerField(null=True, blank=True)
    messages_received = models.PositiveIntegerField(default=0)
    messages_sent = models.PositiveIntegerField(default=0)
    last_message_received_at = models.DateTimeField(null=True, blank=True)
    last_message_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["team", "status", "-updated_at"], name="inbox_conversation_list")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=True) | models.Q(assignee_assistant__isnull=True),
                name="inbox_conversation_one_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} with {self.contact_id}"


class ConversationScopedQuerySet(TeamScopedQuerySet):
    team_lookup = "conversation__team"


class Comment(models.Model):
    """An agent's internal remark on a conversation (never sent to the customer)."""

    uid = models.CharField(max_length=40, default=comment_id, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_assistant = models.ForeignKey(
        "inbox.Assistant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConversationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class InboxMessage(models.Model):
    """One message of a conversation, either way. Outbound: `queued` → `sending` (claimed by a worker) → `accepted`
    (the provider has it, not yet sent: SMS) → `sent` → `delivered` → `read`, or `failed`; statuses only move
    forward (RANK), and each of sent/delivered/read/failed is told to webhooks once as a `receipt`."""

    class Direction(models.TextChoices):
        INBOUND = "in", "From the customer"
        OUTBOUND = "out", "To the customer"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        ACCEPTED = "accepted", "Accepted by the provider"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        READ = "read", "Read"
        FAILED = "failed", "Failed"

    class Sender(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        AGENT = "agent", "Agent"
        ASSISTANT = "assistant", "Assistant"
        AUTOMATED = "automated", "Automated message"

    RANK = {
        Status.QUEUED: 0,
        Status.SENDING: 1,
        Status.ACCEPTED: 2,
        Status.SENT: 3,
        Status.DELIVERED: 4,
        Status.READ: 5,
    }
    RECEIPTS = (Status.SENT, Status.DELIVERED, Status.READ, Status.FAILED)

    uid = models.CharField(max_length=40, default=message_id, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey("inbox.Channel", on_delete=models.CASCADE, related_name="messages")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction)
    type = models.CharField(max_length=16)
    content = models.JSONField(default=dict, help_text="The message object as the document shapes it (no id).")
    provider_id = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status)
    error = models.CharField(max_length=500, blank=True)
    sender = models.CharField(max_length=10, choices=Sender)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by_assistant = models.ForeignKey(
        "inbox.Assistant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fallback_template = models.BooleanField(default=False, help_text="Sent as the fallback template (window shut).")
    text = models.ForeignKey("messaging.Text", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="inbox_message_thread"),
            models.Index(fields=["channel", "provider_id"], name="inbox_message_provider_id"),
            models.Index(fields=["status", "created_at"], name="inbox_message_status"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.type} {self.uid}"

    @property
    def summary(self) -> str:
        """One line for the console: the text, the caption, or what kind of message it was."""
        content = self.content or {}
        for key in ("body", "caption", "title", "name"):
            if content.get(key):
                return str(content[key])
        if self.type == "template":
            return f"[template {content.get('template', {}).get('name', '')}] {content.get('rendered', '')}".strip()
        return f"[{self.type}]"


class ScheduledReply(models.Model):
    """A reply queued for a time (`run_at`); the inbox beat job claims due rows exactly once (conditional UPDATE)
    and sends them as messages with the id given when it was scheduled. A message from the customer cancels
    every reply still waiting in that conversation."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENT = "sent", "Sent"
        CANCELED = "canceled", "Canceled"
        FAILED = "failed", "Failed"

    uid = models.CharField(max_length=40, default=message_id, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="scheduled_replies")
    message = models.JSONField(help_text="The message object, validated when it was scheduled.")
    fallback_template = models.JSONField(null=True, blank=True)
    run_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    reason = models.CharField(max_length=200, blank=True, help_text="Why it was canceled or failed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_assistant = models.ForeignKey(
        "inbox.Assistant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_message = models.OneToOneField(
        InboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="scheduled_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["run_at", "id"]
        verbose_name_plural = "scheduled replies"
        indexes = [models.Index(fields=["status", "run_at"], name="inbox_scheduled_due")]

    def __str__(self) -> str:
        return f"reply {self.uid} at {self.run_at:%Y-%m-%d %H:%M} ({self.status})"


class InboundEvent(models.Model):
    """What a provider told us about a channel (a customer's message, a status receipt, a template decision, a
    typing notice), stored by the provider webhook in one INSERT that ignores a repeated `key` (the provider's id)
    and processed by a Celery task: `received` → `processed`."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        STATUS = "status", "Status receipt"
        TEMPLATE = "template", "Template decision"
        TYPING = "typing", "Typing"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"

    channel = models.ForeignKey("inbox.Channel", on_delete=models.CASCADE, related_name="inbound_events")
    key = models.CharField(max_length=250, help_text="The provider's id of the event; a repeat is ignored.")
    kind = models.CharField(max_length=10, choices=Kind)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.RECEIVED)
    outcome = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = ChannelScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="inbox_inbound_status")]
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="inbox_inbound_key_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
