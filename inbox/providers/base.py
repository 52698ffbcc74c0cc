"""The provider port of the inbox: each channel kind reaches its network through one adapter (like messaging's SMS
backends). Adapters send messages and manage what the network keeps (templates, profile, QR codes); inbound traffic
arrives on their webhooks, is parsed into `ParsedEvent`s and stored by inbox.services.inbound."""

from dataclasses import dataclass, field

from core.exceptions import ApplicationError


class ProviderUnavailable(ApplicationError):
    """No adapter carries this channel's kind yet (docs/decisions.md lists the kinds): 503 / 1003."""

    status_code = 503
    code = "SERVICE_UNAVAILABLE"


class TransientProviderError(Exception):
    """The network did not answer or failed on its side: try again later."""


class PermanentProviderError(Exception):
    """The network refused the request for good. `code` names the reason in the domain's vocabulary (the inbox
    family maps it to its numeric code): MESSAGE_REJECTED, NO_WHATSAPP, MEDIA_INVALID, WINDOW_EXPIRED,
    TEMPLATE_NOT_FOUND, PARAMETER_COUNT_MISMATCH, or PROVIDER_ERROR."""

    def __init__(self, message: str, *, code: str = "PROVIDER_ERROR"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class OutboundMessage:
    """What an adapter sends: the message as the inbox document shapes it, and for templates the resolved template
    (name, language, parameters, components as stored, and the text it renders to for networks without templates)."""

    uid: str
    to: str  # the contact's JID
    type: str
    content: dict
    template: dict | None = None

    @property
    def phone(self) -> str:
        return "+" + self.to.split("@", 1)[0]


@dataclass(frozen=True)
class SendResult:
    provider_id: str
    status: str  # "accepted" (the provider has it, not sent yet) or "sent"
    text_id: int | None = None  # SMS: the messaging Text that carries it


@dataclass
class ParsedEvent:
    """One thing a provider reported: `kind` message | status | template | typing; `key` the provider's id of it
    (a repeated key is stored once); `payload` already in the inbox's own normalized shape."""

    kind: str
    key: str
    payload: dict = field(default_factory=dict)


class Provider:
    """Base adapter: a network that answers with ProviderUnavailable for everything.

    `local` adapters only write rows (SMS queues a Text, the sandbox records its own receipt): the inbox runs their
    send and the message's status change in one transaction, so a crash can neither lose nor repeat a send."""

    kind_label = "this"
    local = False
    message_types: frozenset[str] = frozenset()

    def unavailable(self) -> ProviderUnavailable:
        return ProviderUnavailable(f"Crewdesk has no adapter for {self.kind_label} channels yet.")

    def send(self, channel, message: OutboundMessage) -> SendResult:
        raise self.unavailable()

    def submit_template(self, channel, translation) -> dict:
        """Submit a template translation for approval; answers {"status": …, "provider_id": …} or {}."""
        return {}

    def delete_template(self, channel, name: str) -> None:
        return None

    def push_profile(self, channel) -> None:
        return None

    def qr_create(self, channel, message: str) -> dict:
        raise self.unavailable()

    def qr_update(self, channel, code: str, message: str) -> dict:
        raise self.unavailable()

    def qr_delete(self, channel, code: str) -> None:
        raise self.unavailable()

    def media_url(self, channel, media_id: str) -> tuple[str, int]:
        return "", 0
