"""SMS channels run on Crewdesk's own two-way SMS (messaging): a message goes out as a Text from the channel's
number; its status comes back through messaging's status hook (inbox.services.receipts.on_text_status), and inbound
texts to the number through its inbound hook (inbox.services.inbound.on_inbound_text)."""

from inbox.providers.base import OutboundMessage, PermanentProviderError, Provider, SendResult
from messaging.models import Text
from messaging.services import text_queue


class SmsProvider(Provider):
    kind_label = "SMS"
    local = True
    message_types = frozenset({"text", "template"})  # a template goes out as the text it renders to

    def send(self, channel, message: OutboundMessage) -> SendResult:
        number = channel.sms_number
        if number is None:
            raise PermanentProviderError("The SMS channel has no number.", code="MESSAGE_REJECTED")
        body = message.content.get("body") if message.type == "text" else (message.template or {}).get("rendered")
        text = text_queue(
            to=message.phone,
            body=body or "",
            team_id=channel.team_id,
            account=number.account,
            number=number,
        )
        if text.status == Text.Status.FAILED:  # e.g. the phone replied STOP to this organization
            raise PermanentProviderError(text.error or "The text was refused.", code="MESSAGE_REJECTED")
        return SendResult(provider_id=str(text.uid), status="accepted", text_id=text.pk)
