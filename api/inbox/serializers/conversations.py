"""Inbox shapes of conversations, comments, the unread counter, outgoing messages and scheduled replies."""

from urllib.parse import urlsplit

from rest_framework import serializers

from api.inbox.serializers.companies import inbox_datetime
from core.api.validators import FreeformJSON
from inbox.errors import MediaInvalid
from inbox.models import Conversation
from inbox.services.conversations import assignee_label


class ConversationSerializer(serializers.Serializer):
    """`conversationResponse`; `labels` are the label JIDs (what PATCH takes; the document's `allLabelsResponse`
    is undefined)."""

    assignee = serializers.SerializerMethodField()
    channel = serializers.CharField(source="channel.jid")
    contact = serializers.CharField(source="contact.jid")
    createdAt = serializers.SerializerMethodField()
    labels = serializers.SerializerMethodField()
    lastMessageReceivedAt = serializers.SerializerMethodField()
    lastMessageSentAt = serializers.SerializerMethodField()
    messagesReceived = serializers.IntegerField(source="messages_received")
    messagesSent = serializers.IntegerField(source="messages_sent")
    status = serializers.CharField()
    unreadCount = serializers.IntegerField(source="unread_count", allow_null=True)

    def get_assignee(self, conversation) -> str | None:
        return assignee_label(conversation)

    def get_createdAt(self, conversation) -> str:
        return inbox_datetime(conversation.created_at)

    def get_labels(self, conversation) -> list[str]:
        return sorted(label.jid for label in conversation.labels.all())

    def get_lastMessageReceivedAt(self, conversation) -> str | None:
        return inbox_datetime(conversation.last_message_received_at)

    def get_lastMessageSentAt(self, conversation) -> str | None:
        return inbox_datetime(conversation.last_message_sent_at)


class ConversationPatchSerializer(serializers.Serializer):
    """Absent and null differ: `assignee: null` hands over to the agents' pool, `unreadCount: null` marks read."""

    assignee = serializers.CharField(required=False, allow_null=True, max_length=254)
    labels = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=100)
    label = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=200)
    status = serializers.ChoiceField(choices=Conversation.Status.values, required=False)
    unreadCount = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1)

    def validate(self, data):
        if "label" in data:  # the document's parameter table: one label as a string (legacy)
            legacy = data.pop("label")
            data.setdefault("labels", [legacy] if legacy else [])
        return data


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class CommentSerializer(serializers.Serializer):
    id = serializers.CharField(source="uid")
    body = serializers.CharField()
    createdAt = serializers.SerializerMethodField()

    def get_createdAt(self, comment) -> str:
        return inbox_datetime(comment.created_at)


class InboxUnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


# --- sending ------------------------------------------------------------------------------------------------------

# The document's table of outgoing messages by type: mandatory fields (with their JSON type) and optional ones.
FIELDS = {
    "text": ({"body": str}, {}),
    "audio": ({"mimeType": str}, {}),
    "contact": ({"contacts": list}, {}),
    "document": ({"fileName": str, "mimeType": str, "title": str}, {}),
    "gif": ({"mimeType": str}, {"caption": str}),
    "image": ({"mimeType": str}, {"caption": str}),
    "location": ({"latitude": float, "longitude": float}, {"name": str, "url": str}),
    "ptt": ({"mimeType": str}, {}),
    "sticker": ({"mimeType": str}, {}),
    "template": ({"template": (list, dict)}, {}),
    "video": ({"mimeType": str}, {"caption": str}),
}
MEDIA = frozenset({"audio", "document", "gif", "image", "ptt", "sticker", "video"})
MAX_TEXT = 4096


def _fits(value, kind) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, kind)


def validate_message(message) -> dict:
    """The message object by its `type` (400 / 1005 naming the field); media take `url` (or `media.url`) next to
    `mimeType` — the document does not say where the content goes; a missing or odd URL is 1008."""
    if not isinstance(message, dict):
        raise serializers.ValidationError("An object with a type.")
    kind = message.get("type")
    if kind not in FIELDS:
        raise serializers.ValidationError({"type": [f"One of: {', '.join(sorted(FIELDS))}."]})
    required, optional = FIELDS[kind]
    cleaned = {"type": kind}
    errors = {}
    for field, expected in {**required, **optional}.items():
        if field not in message or message[field] is None:
            if field in required:
                errors[field] = ["This field is required."]
            continue
        if not _fits(message[field], expected):
            errors[field] = ["Wrong type."]
            continue
        cleaned[field] = message[field]
    if errors:
        raise serializers.ValidationError(errors)
    if kind == "text" and not (1 <= len(cleaned["body"]) <= MAX_TEXT):
        raise serializers.ValidationError({"body": [f"1 to {MAX_TEXT} characters."]})
    if kind == "location" and not (-90 <= cleaned["latitude"] <= 90 and -180 <= cleaned["longitude"] <= 180):
        raise serializers.ValidationError({"latitude": ["Not a place on Earth."]})
    if kind in MEDIA:
        url = message.get("url") or (message.get("media") or {}).get("url")
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise MediaInvalid("Media is invalid: give its http(s) `url`.", details={"message.url": ["Required."]})
        cleaned["url"] = url
    return cleaned


class FallbackTemplateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=512)
    language = serializers.CharField(required=False, max_length=16)
    parameters = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, max_length=20)


class MessageSendSerializer(serializers.Serializer):
    """`{"message": {...}}` as documented, plus Crewdesk's optional `fallbackTemplate` (outside the 24-hour window
    the named template goes instead of failing with 1015) and `sendAt` (a scheduled reply)."""

    message = serializers.JSONField(validators=[FreeformJSON()])
    fallbackTemplate = FallbackTemplateSerializer(required=False)
    sendAt = serializers.DateTimeField(required=False)

    def validate_message(self, value):
        return validate_message(value)


class MessageAcceptedSerializer(serializers.Serializer):
    id = serializers.CharField()


class ScheduledReplySerializer(serializers.Serializer):
    id = serializers.CharField(source="uid")
    sendAt = serializers.SerializerMethodField()
    status = serializers.CharField()
    reason = serializers.CharField()
    message = serializers.JSONField(validators=[FreeformJSON()])
    fallbackTemplate = serializers.JSONField(source="fallback_template")

    def get_sendAt(self, reply) -> str:
        return inbox_datetime(reply.run_at)
