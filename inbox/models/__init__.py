"""The inbox domain (spec/inbox.md): channels, contacts, conversations, messages, and what hangs off them."""

from inbox.models.channels import AutomatedMessage, Channel, InboxWebhook, QrCode, Template, TemplateTranslation
from inbox.models.contacts import Contact, ContactList, Note
from inbox.models.conversations import Comment, Conversation, InboundEvent, InboxMessage, ScheduledReply
from inbox.models.directory import Assistant, InboxTeam, Label, QuickReply

__all__ = [
    "Assistant",
    "AutomatedMessage",
    "Channel",
    "Comment",
    "Contact",
    "ContactList",
    "Conversation",
    "InboundEvent",
    "InboxMessage",
    "InboxTeam",
    "InboxWebhook",
    "Label",
    "Note",
    "QrCode",
    "QuickReply",
    "ScheduledReply",
    "Template",
    "TemplateTranslation",
]
