"""Chats (DESIGN.md §2: tada direct/group chats today; tommy chats and courier channels later)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.tenancy import TeamScopedQuerySet


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
