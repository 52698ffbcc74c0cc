"""Which adapter carries a channel's messages (inbox.providers.base.Provider): WhatsApp (Meta's Cloud API), SMS
(Crewdesk's two-way SMS) and the sandbox; every other documented kind answers 503 / 1003 until it has one."""

from inbox.providers.base import (
    OutboundMessage,
    ParsedEvent,
    PermanentProviderError,
    Provider,
    ProviderUnavailable,
    SendResult,
    TransientProviderError,
)
from inbox.providers.sandbox import SandboxProvider
from inbox.providers.sms import SmsProvider
from inbox.providers.whatsapp import WhatsAppProvider

_ADAPTERS: dict[str, Provider] = {
    "whatsapp": WhatsAppProvider(),
    "sms": SmsProvider(),
    "sandbox": SandboxProvider(),
}


def provider_for(channel) -> Provider:
    adapter = _ADAPTERS.get(channel.kind)
    if adapter is not None:
        return adapter
    unavailable = Provider()
    unavailable.kind_label = channel.get_kind_display()
    return unavailable


__all__ = [
    "OutboundMessage",
    "ParsedEvent",
    "PermanentProviderError",
    "Provider",
    "ProviderUnavailable",
    "SendResult",
    "TransientProviderError",
    "provider_for",
]
