"""The messaging domain's models, one module per area; importable from `messaging.models` as before."""

from messaging.models.chats import Chat, ChatMessage, ChatParticipant
from messaging.models.consent import OrgPreference, SmsOptOut, UserConsent
from messaging.models.texts import (
    InboundText,
    Text,
    TextAccount,
    TextNumber,
    TextNumberInfo,
    TextNumberLog,
    TextUserNumberMap,
)
from messaging.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookSecret

__all__ = [
    "Chat",
    "ChatMessage",
    "ChatParticipant",
    "InboundText",
    "OrgPreference",
    "SmsOptOut",
    "Text",
    "TextAccount",
    "TextNumber",
    "TextNumberInfo",
    "TextNumberLog",
    "TextUserNumberMap",
    "UserConsent",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSecret",
]
