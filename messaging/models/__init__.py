"""The messaging domain's models, one module per area; importable from `messaging.models` as before."""

from messaging.models.chats import Chat, ChatMessage, ChatParticipant
from messaging.models.consent import OrgPreference, SmsOptOut, UserConsent
from messaging.models.emails import UserEmail, UserEmailAttachment
from messaging.models.multicasts import (
    BadgeCount,
    CommunicationSummary,
    Delivery,
    Multicast,
    MulticastChunk,
    UserNotification,
)
from messaging.models.push import AppCredential, DeviceLog
from messaging.models.templates import IndividualGroup, MessageTemplate
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
    "AppCredential",
    "BadgeCount",
    "Chat",
    "ChatMessage",
    "ChatParticipant",
    "CommunicationSummary",
    "Delivery",
    "DeviceLog",
    "InboundText",
    "IndividualGroup",
    "MessageTemplate",
    "Multicast",
    "MulticastChunk",
    "OrgPreference",
    "SmsOptOut",
    "Text",
    "TextAccount",
    "TextNumber",
    "TextNumberInfo",
    "TextNumberLog",
    "TextUserNumberMap",
    "UserConsent",
    "UserEmail",
    "UserEmailAttachment",
    "UserNotification",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSecret",
]
