"""WhatsApp Business through Meta's Cloud API (Graph API): send (text, template, media by URL, location, contacts),
templates (submit for approval, delete), the business profile, QR codes, media lookup, and the inbound webhook
(GET verification handshake, X-Hub-Signature-256 over the raw body, messages, status receipts, template decisions).

The Graph API's base URL is the WHATSAPP_GRAPH_URL setting; the tests point it at a local HTTP server that plays
Meta (tests/inbox/fake_meta.py). Credentials are per channel (Channel.wa_*).
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from inbox import jids
from inbox.providers.base import (
    OutboundMessage,
    ParsedEvent,
    PermanentProviderError,
    Provider,
    SendResult,
    TransientProviderError,
)

# Meta's error codes → the reason in the inbox's vocabulary (mapped to its numeric codes by the API family).
META_ERRORS = {
    131026: "NO_WHATSAPP",  # message undeliverable: not a WhatsApp user (or an old app)
    131047: "WINDOW_EXPIRED",  # re-engagement message: more than 24 hours since the customer wrote
    131051: "MEDIA_INVALID",  # unsupported message type
    131052: "MEDIA_INVALID",  # media download error
    131053: "MEDIA_INVALID",  # media upload error
    132000: "PARAMETER_COUNT_MISMATCH",
    132001: "TEMPLATE_NOT_FOUND",
    131031: "MESSAGE_REJECTED",  # business account locked
}
MEDIA_TYPES = {"audio": "audio", "ptt": "audio", "document": "document", "gif": "video", "image": "image",
               "sticker": "sticker", "video": "video"}  # fmt: skip
INBOUND_MEDIA = {"image", "audio", "video", "document", "sticker"}


class GraphClient:
    """JSON over HTTPS to the Graph API with the channel's access token (stdlib: no dependency for five calls)."""

    def __init__(self, channel):
        self.channel = channel
        self.base = settings.WHATSAPP_GRAPH_URL.rstrip("/")

    def call(self, method: str, path: str, body: dict | None = None, query: dict | None = None) -> dict:
        url = f"{self.base}/{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.channel.wa_access_token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=settings.WHATSAPP_TIMEOUT_SECONDS) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise self._error(exc.code, exc.read()) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransientProviderError(f"WhatsApp did not answer: {exc}") from None
        return json.loads(raw or b"{}")

    @staticmethod
    def _error(status: int, raw: bytes) -> Exception:
        try:
            error = json.loads(raw or b"{}").get("error") or {}
        except ValueError:
            error = {}
        message = error.get("message") or f"HTTP {status}"
        if status >= 500 or status == 429 or error.get("code") in (4, 80007, 130429, 131016):  # rate limits, outage
            return TransientProviderError(f"WhatsApp: {message}")
        return PermanentProviderError(f"WhatsApp: {message}", code=META_ERRORS.get(error.get("code"), "PROVIDER_ERROR"))


def _template_components(template: dict) -> list:
    """The send body's components: given ones pass through; otherwise the body parameters as text."""
    if template.get("components"):
        return template["components"]
    parameters = template.get("parameters") or []
    if not parameters:
        return []
    return [{"type": "body", "parameters": [{"type": "text", "text": str(value)} for value in parameters]}]


def send_body(message: OutboundMessage) -> dict:
    """The Cloud API's message object for one outbound message."""
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": message.to.split("@", 1)[0]}
    content = message.content
    if message.type == "text":
        return {**body, "type": "text", "text": {"body": content["body"], "preview_url": False}}
    if message.type == "template":
        template = message.template or {}
        payload = {"name": template["name"], "language": {"code": template["language"]}}
        components = _template_components(template)
        if components:
            payload["components"] = components
        return {**body, "type": "template", "template": payload}
    if message.type == "location":
        location = {"latitude": content["latitude"], "longitude": content["longitude"]}
        if content.get("name"):
            location["name"] = content["name"]
        return {**body, "type": "location", "location": location}
    if message.type == "contact":
        return {**body, "type": "contacts", "contacts": content["contacts"]}
    kind = MEDIA_TYPES[message.type]
    media = {"link": content["url"]}
    if content.get("caption") and kind in ("image", "video", "document"):
        media["caption"] = content["caption"]
    if kind == "document":
        media["filename"] = content.get("fileName", "")
    return {**body, "type": kind, kind: media}


class WhatsAppProvider(Provider):
    kind_label = "WhatsApp"
    message_types = frozenset(
        {"text", "template", "audio", "contact", "document", "gif", "image", "location", "ptt", "sticker", "video"}
    )

    def send(self, channel, message: OutboundMessage) -> SendResult:
        answer = GraphClient(channel).call("POST", f"{channel.wa_phone_number_id}/messages", send_body(message))
        try:
            provider_id = answer["messages"][0]["id"]
        except (KeyError, IndexError, TypeError):
            raise PermanentProviderError("WhatsApp answered without a message id.") from None
        return SendResult(provider_id=provider_id, status="sent")

    # --- templates, profile, QR codes, media ------------------------------------------------------------------------

    def submit_template(self, channel, translation) -> dict:
        body = {
            "name": translation.template.name,
            "language": translation.language,
            "category": translation.template.category,
            "components": translation.components,
        }
        answer = GraphClient(channel).call("POST", f"{channel.wa_business_account_id}/message_templates", body)
        return {"provider_id": str(answer.get("id", "")), "status": answer.get("status", "")}

    def delete_template(self, channel, name: str) -> None:
        GraphClient(channel).call("DELETE", f"{channel.wa_business_account_id}/message_templates", query={"name": name})

    def push_profile(self, channel) -> None:
        profile = channel.profile or {}
        business = profile.get("businessProfile") or {}
        body = {"messaging_product": "whatsapp", "about": profile.get("about", "")}
        for key in ("address", "description", "email", "vertical", "websites"):
            if business.get(key) is not None:
                body[key] = business[key]
        GraphClient(channel).call("POST", f"{channel.wa_phone_number_id}/whatsapp_business_profile", body)

    def _qr(self, answer: dict, message: str) -> dict:
        return {
            "code": answer.get("code", ""),
            "message": answer.get("prefilled_message", message),
            "url": answer.get("deep_link_url", ""),
            "image": answer.get("qr_image_url", ""),
        }

    def qr_create(self, channel, message: str) -> dict:
        body = {"prefilled_message": message, "generate_qr_image": "PNG"}
        return self._qr(GraphClient(channel).call("POST", f"{channel.wa_phone_number_id}/message_qrdls", body), message)

    def qr_update(self, channel, code: str, message: str) -> dict:
        body = {"code": code, "prefilled_message": message}
        answer = GraphClient(channel).call("POST", f"{channel.wa_phone_number_id}/message_qrdls", body)
        return self._qr({"code": code, **answer}, message)

    def qr_delete(self, channel, code: str) -> None:
        GraphClient(channel).call("DELETE", f"{channel.wa_phone_number_id}/message_qrdls/{code}")

    def media_url(self, channel, media_id: str) -> tuple[str, int]:
        answer = GraphClient(channel).call("GET", media_id)
        return answer.get("url", ""), int(answer.get("file_size") or 0)


# --- the inbound webhook ------------------------------------------------------------------------------------------


def verify_signature(channel, *, body: bytes, header: str) -> bool:
    """Meta signs every POST with `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body, keyed by the app
    secret>`. A channel without an app secret accepts nothing."""
    if not channel.wa_app_secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(channel.wa_app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def verify_subscription(channel, params) -> str | None:
    """The GET handshake when the webhook is configured in Meta's app: answer `hub.challenge` if the token fits."""
    if (
        channel.wa_verify_token
        and params.get("hub.mode") == "subscribe"
        and hmac.compare_digest(params.get("hub.verify_token", ""), channel.wa_verify_token)
    ):
        return params.get("hub.challenge", "")
    return None


def _inbound_message(message: dict) -> tuple[dict, dict | None, dict | None]:
    """(the message in the inbox document's shape, media {"id"} to look up, postback) of one Cloud API message."""
    kind = message.get("type")
    if kind == "text":
        return {"type": "text", "body": message["text"]["body"]}, None, None
    if kind == "location":
        loc = message["location"]
        shaped = {"type": "location", "latitude": loc.get("latitude"), "longitude": loc.get("longitude")}
        shaped.update({k: loc[k] for k in ("name", "url") if loc.get(k)})
        return shaped, None, None
    if kind == "contacts":
        return {"type": "contact", "contacts": message["contacts"]}, None, None
    if kind == "button":
        button = message["button"]
        return {"type": "text", "body": button.get("text", "")}, None, {"payload": button.get("payload", "")}
    if kind == "interactive":
        reply = message["interactive"].get("button_reply") or message["interactive"].get("list_reply") or {}
        return {"type": "text", "body": reply.get("title", "")}, None, {"payload": reply.get("id", "")}
    if kind in INBOUND_MEDIA:
        media = message[kind]
        shaped = {"type": "ptt" if kind == "audio" and media.get("voice") else kind, "mimeType": media.get("mime_type")}
        if kind == "document":
            shaped["fileName"] = media.get("filename", "")
            shaped["title"] = media.get("caption") or media.get("filename", "")
        elif kind == "image" and media.get("caption"):
            shaped["caption"] = media["caption"]
        return shaped, {"id": media.get("id", "")}, None
    raise ValueError(f"unsupported message type {kind!r}")


def parse_webhook(channel, payload: dict) -> list[ParsedEvent]:
    """Every message, status and template decision of one webhook POST for this channel's phone number."""
    events: list[ParsedEvent] = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") == "message_template_status_update":
                key = f"template:{value.get('message_template_id')}:{value.get('event')}"
                events.append(
                    ParsedEvent(
                        "template",
                        f"{key}:{value.get('message_template_language', '')}",
                        {
                            "name": value.get("message_template_name", ""),
                            "language": value.get("message_template_language", ""),
                            "event": value.get("event", ""),
                            "reason": value.get("reason") or "",
                        },
                    )
                )
                continue
            if change.get("field") != "messages":
                continue
            if (value.get("metadata") or {}).get("phone_number_id") not in (None, channel.wa_phone_number_id):
                continue  # another number of the same Meta app
            events.extend(_messages(channel, value))
    return events


def _messages(channel, value: dict) -> list[ParsedEvent]:
    names = {c.get("wa_id"): (c.get("profile") or {}).get("name", "") for c in value.get("contacts") or []}
    events = []
    for message in value.get("messages") or []:
        try:
            shaped, media, postback = _inbound_message(message)
        except (KeyError, ValueError):
            shaped, media, postback = {"type": "text", "body": f"[{message.get('type')} message]"}, None, None
        sender = message.get("from", "")
        payload = {
            "from": jids.phone_jid(sender, kind=channel.kind),
            "name": names.get(sender, ""),
            "timestamp": int(message.get("timestamp") or 0),
            "message": shaped,
        }
        if media:
            payload["media"] = media
        if postback is not None:
            payload["postback"] = postback
        if (message.get("context") or {}).get("id"):
            payload["quoted"] = message["context"]["id"]
        events.append(ParsedEvent("message", message.get("id", ""), payload))
    for status in value.get("statuses") or []:
        error = (status.get("errors") or [{}])[0]
        events.append(
            ParsedEvent(
                "status",
                f"{status.get('id')}:{status.get('status')}",
                {
                    "id": status.get("id", ""),
                    "status": status.get("status", ""),
                    "timestamp": int(status.get("timestamp") or 0),
                    "error": error.get("title") or error.get("message") or "",
                    "error_code": META_ERRORS.get(error.get("code"), ""),
                },
            )
        )
    return events
