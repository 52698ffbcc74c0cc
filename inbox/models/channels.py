"""Channels (one per network account: a WhatsApp number, an SMS number, a sandbox …) and what hangs off a channel:
its QR codes, message templates, automated messages and webhooks."""

import secrets
import uuid

from django.db import models

from core.tenancy import TeamScopedQuerySet


class ChannelScopedQuerySet(TeamScopedQuerySet):
    team_lookup = "channel__team"


class Channel(models.Model):
    """A network account the company talks to customers through. Channels are provisioned in the console (the
    document has no create call); `kind` decides the JID domain and which provider adapter carries its messages."""

    class Kind(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp Business"
        SMS = "sms", "SMS"
        SANDBOX = "sandbox", "Sandbox (the console plays the customer)"
        MESSENGER = "messenger", "Facebook Messenger"
        APPLE = "apple", "Apple Business Chat"
        LINE = "line", "Line"
        TWITTER = "twitter", "Twitter DM"
        VIBER = "viber", "Viber"
        WEBCHAT = "webchat", "Web chat"
        LIVECHAT = "livechat", "LiveChat"

    # JIDs of these networks are phone numbers (digits of the E.164 number).
    PHONE_KINDS = frozenset({Kind.WHATSAPP, Kind.SMS, Kind.SANDBOX})
    # WhatsApp's features (profile, QR codes, templates, the 24-hour customer-care window); the sandbox plays them.
    WHATSAPP_LIKE = frozenset({Kind.WHATSAPP, Kind.SANDBOX})

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Names its provider webhook.")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="inbox_channels")
    kind = models.CharField(max_length=16, choices=Kind)
    jid = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=100)
    priority = models.IntegerField(default=0)
    data_retention_days = models.PositiveIntegerField(default=90)
    # SMS: the team's number (Crewdesk two-way SMS) whose inbound texts become this channel's messages.
    sms_number = models.OneToOneField(
        "messaging.TextNumber", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_channel"
    )
    # WhatsApp Cloud API credentials (Meta's app and phone number); readable, as the provider needs them.
    wa_phone_number_id = models.CharField("phone number id", max_length=64, blank=True)
    wa_business_account_id = models.CharField("business account id", max_length=64, blank=True)
    wa_access_token = models.CharField("access token", max_length=500, blank=True)
    wa_app_secret = models.CharField("app secret", max_length=200, blank=True, help_text="Verifies Meta's webhooks.")
    wa_verify_token = models.CharField("verify token", max_length=200, blank=True)
    profile = models.JSONField(default=dict, blank=True, help_text="WhatsApp business profile (about, business).")
    template_namespace = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.jid})"

    @property
    def phone_like(self) -> bool:
        return self.kind in self.PHONE_KINDS

    @property
    def whatsapp_like(self) -> bool:
        return self.kind in self.WHATSAPP_LIKE

    @property
    def has_care_window(self) -> bool:
        """Free-form messages only within 24 hours of the customer's last message (WhatsApp's rule)."""
        return self.kind in self.WHATSAPP_LIKE


class QrCode(models.Model):
    """A WhatsApp QR code / short link with a prefilled message."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="qr_codes")
    code = models.CharField(max_length=64)
    message = models.TextField(blank=True)
    image = models.TextField(blank=True, help_text="The QR image's URL (a data: URL for the sandbox).")
    url = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["channel", "code"], name="inbox_qr_code_unique")]

    def __str__(self) -> str:
        return self.code


def new_namespace() -> str:
    """WhatsApp's template namespace shape: `e08e69cb_d136_86fc_c33f_0f64becd1f46`."""
    raw = secrets.token_hex(16)
    return "_".join((raw[:8], raw[8:12], raw[12:16], raw[16:20], raw[20:]))


class Template(models.Model):
    """A WhatsApp message template by name; its languages are translations, each approved or rejected on its own."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=512)
    category = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChannelScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["channel", "name"], name="inbox_template_name_unique")]

    def __str__(self) -> str:
        return self.name


class TemplateTranslationQuerySet(TeamScopedQuerySet):
    team_lookup = "template__channel__team"


class TemplateTranslation(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending approval"
        APPROVED = "APPROVED", "Approved"
        REJECTED = "REJECTED", "Rejected"
        PAUSED = "PAUSED", "Paused"
        DISABLED = "DISABLED", "Disabled"

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=16)
    components = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    rejected_reason = models.CharField(max_length=64, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TemplateTranslationQuerySet.as_manager()

    class Meta:
        ordering = ["template_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["template", "language"], name="inbox_template_language_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id}/{self.language} ({self.status})"


class AutomatedMessage(models.Model):
    """One per type per channel: GREETING answers a new conversation, AWAY a conversation opened while no agent
    is online (docs/decisions.md)."""

    class Type(models.TextChoices):
        AWAY = "AWAY", "Away"
        GREETING = "GREETING", "Greeting"

    DEFAULT_BODIES = {
        Type.AWAY: "Sorry, we are currently closed. Your question will be answered as soon as possible.",
        Type.GREETING: "Hello! Thank you for your message. One of us will answer shortly.",
    }

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="automated_messages")
    type = models.CharField(max_length=16, choices=Type)
    body = models.TextField()
    enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelScopedQuerySet.as_manager()

    class Meta:
        ordering = ["channel_id", "type"]
        constraints = [models.UniqueConstraint(fields=["channel", "type"], name="inbox_automated_message_unique")]

    def __str__(self) -> str:
        return f"{self.type} of {self.channel_id}"


def new_cipher_key() -> str:
    """A Standard Webhooks secret (`whsec_` + base64 of 32 random bytes): the webhook's signing secret."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class InboxWebhook(models.Model):
    """A channel's webhook: which events go to which URL, with extra headers, signed with its `cipher_key`."""

    class Event(models.TextChoices):
        CUSTOM = "custom", "Custom"
        ECHO = "echo", "Echo (outgoing messages)"
        HANDOVER = "handover", "Handover"
        LABEL = "label", "Label"
        MESSAGE = "message", "Message (incoming)"
        NOTE = "note", "Note"
        POSTBACK = "postback", "Postback"
        RECEIPT = "receipt", "Receipt"
        TEMPLATE_PACK = "template_pack", "Template pack"
        TYPING = "typing", "Typing"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    headers = models.JSONField(default=dict, blank=True)
    cipher_key = models.CharField(max_length=100, default=new_cipher_key)
    enabled = models.BooleanField(default=True)
    assistant = models.ForeignKey(
        "inbox.Assistant", null=True, blank=True, on_delete=models.SET_NULL, related_name="webhooks"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"
