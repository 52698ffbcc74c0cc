"""The sandbox network (for `make run` and the tests): Crewdesk plays both the provider and the customer.

Sending always works and is reported back like a real network would, as provider events (`sent` at once, then a
`delivered` receipt through the same ingestion path as a provider webhook); templates are approved as soon as they
are submitted; QR codes are made locally. The customer's side is played by `manage.py inbox_sandbox`, the console's
"Play a customer message" action, or a POST to the channel's sandbox webhook (README)."""

import base64
import secrets
import string

from core.exceptions import ValidationFailed
from core.qr import qr_png
from inbox import jids
from inbox.providers.base import OutboundMessage, ParsedEvent, Provider, SendResult

ALPHABET = string.ascii_uppercase + string.digits
KIND = "sandbox"


class SandboxProvider(Provider):
    kind_label = "sandbox"
    local = True
    message_types = frozenset(
        {"text", "template", "audio", "contact", "document", "gif", "image", "location", "ptt", "sticker", "video"}
    )

    def send(self, channel, message: OutboundMessage) -> SendResult:
        from inbox.services.inbound import events_receive  # the provider's own receipt comes in as a provider event

        provider_id = f"sandbox.{message.uid}"
        events_receive(
            channel_id=channel.pk,
            events=[ParsedEvent("status", f"{provider_id}:delivered", {"id": provider_id, "status": "delivered"})],
        )
        return SendResult(provider_id=provider_id, status="sent")

    def submit_template(self, channel, translation) -> dict:
        from inbox.services.inbound import events_receive

        events_receive(
            channel_id=channel.pk,
            events=[
                ParsedEvent(
                    "template",
                    f"template:{translation.pk}:APPROVED",
                    {"name": translation.template.name, "language": translation.language, "event": "APPROVED"},
                )
            ],
        )
        return {"provider_id": f"sandbox-template-{translation.pk}"}

    def _qr(self, code: str, message: str) -> dict:
        url = f"https://sandbox.invalid/message/{code}"  # .invalid: a reserved name that can never resolve
        image = "data:image/png;base64," + base64.b64encode(qr_png(url)).decode()
        return {"code": code, "message": message, "url": url, "image": image}

    def qr_create(self, channel, message: str) -> dict:
        return self._qr("".join(secrets.choice(ALPHABET) for _ in range(14)), message)

    def qr_update(self, channel, code: str, message: str) -> dict:
        return self._qr(code, message)

    def qr_delete(self, channel, code: str) -> None:
        return None


def customer_event(data) -> ParsedEvent:
    """What the sandbox's customer does, as a provider event: a message `{"id", "from", "name", "message"}`
    (`message` may be a plain string), a receipt of ours `{"receipt": {"id", "status"}}` (delivered, read,
    failed), or typing `{"from", "typing": true|false}`. Used by the sandbox webhook, `manage.py inbox_sandbox`
    and the console's "play the customer" action."""
    if not isinstance(data, dict):
        raise ValidationFailed("A JSON object.")
    receipt = data.get("receipt")
    if isinstance(receipt, dict):
        status = str(receipt.get("status", ""))
        if status not in ("delivered", "read", "failed") or not receipt.get("id"):
            raise ValidationFailed.for_field("receipt", "{id: the message id, status: delivered|read|failed}.")
        provider_id = f"sandbox.{receipt['id']}"
        return ParsedEvent("status", f"{provider_id}:{status}", {"id": provider_id, "status": status})
    sender = str(data.get("from") or "")
    jid = sender if "@" in sender else jids.phone_jid(sender, kind=KIND)
    jid = jids.contact_jid(jid, kind=KIND, phone_like=True, field="from")
    if "typing" in data:
        return ParsedEvent("typing", f"typing:{secrets.token_hex(8)}", {"from": jid, "typing": bool(data["typing"])})
    message = data.get("message")
    if isinstance(message, str):
        message = {"type": "text", "body": message}
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ValidationFailed.for_field("message", 'A message object, e.g. {"type": "text", "body": "Hi"}.')
    key = str(data.get("id") or f"sandbox-in.{secrets.token_hex(12)}")[:200]
    payload = {"from": jid, "name": str(data.get("name") or "")[:200], "message": message}
    if isinstance(data.get("timestamp"), int):
        payload["timestamp"] = data["timestamp"]
    media = message.pop("media", None) if isinstance(message.get("media"), dict) else None
    if media:
        payload["media"] = {"url": str(media.get("url", "")), "size": int(media.get("size") or 0)}
    if isinstance(data.get("postback"), str):
        payload["postback"] = {"payload": data["postback"]}
    return ParsedEvent("message", key, payload)
