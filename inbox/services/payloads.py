"""The bodies of the inbox's webhook events (spec/inbox.md "Webhook payloads").

`message` follows the document's BasicInboundMessage / BasicInboundMediaMessage: `from` {jid, name}, `to` (the
channel's JID), `message` {id, type, …}, `media` {size, url} for media, `contextInfo.quotedMessage` for a reply to a
quoted message, `timestamp` (Unix seconds), `type`, `version` 2. The document does not show the other events; they
keep the same envelope (from, to, timestamp, type, version) and put their own data under a key named like the event
(docs/decisions.md "Conversations inbox (issue 15)"):

- echo:          from = the channel, to = the contact's JID, `message` as sent, `agent` (email / assistant JID / null)
- receipt:       from = the contact, `receipt` {id (the message id the send answered), status, error}
- handover:      `handover` {from, to (assignees before/after; null = the agents' pool), by}
- label:         `label` {labels (JIDs now), added, removed, by}
- note:          `note` {action created|deleted, + the noteResponse}
- typing:        `typing` {state: composing|paused}
- postback:      `postback` {id (the message id), payload, text}
- template_pack: to = the channel, `template` {name, category, localeName, status, rejectedReason}
- custom:        to = the channel, `custom` {…}
"""

from datetime import UTC, datetime

from django.utils import timezone

VERSION = 2
INTERNAL_KEYS = frozenset({"media", "rendered", "quoted"})


def unix(value: datetime | None) -> int:
    return int((value or timezone.now()).timestamp())


def message_object(message) -> dict:
    content = {k: v for k, v in (message.content or {}).items() if k not in INTERNAL_KEYS}
    return {"id": message.uid, **content, "type": message.type}


def _envelope(event: str, *, sender: dict | None, to: str, when: datetime | None = None) -> dict:
    body = {"to": to, "timestamp": unix(when), "type": event, "version": VERSION}
    if sender is not None:
        body["from"] = sender
    return body


def _contact(contact) -> dict:
    return {"jid": contact.jid, "name": contact.name}


def inbound_message(message, *, contact, channel, quoted: dict | None = None) -> dict:
    body = _envelope("message", sender=_contact(contact), to=channel.jid, when=message.sent_at or message.created_at)
    body["message"] = message_object(message)
    media = (message.content or {}).get("media")
    if media:
        body["media"] = {"size": int(media.get("size") or 0), "url": media.get("url", "")}
    if quoted:
        body["contextInfo"] = {"quotedMessage": quoted}
    return body


def echo(message, *, contact, channel, agent: str | None) -> dict:
    body = _envelope("echo", sender={"jid": channel.jid, "name": channel.name}, to=contact.jid, when=message.created_at)
    body["message"] = message_object(message)
    body["agent"] = agent or None
    return body


def receipt(message, *, contact, channel, status: str) -> dict:
    body = _envelope("receipt", sender=_contact(contact), to=channel.jid)
    body["receipt"] = {"id": message.uid, "status": status, "error": message.error or None}
    return body


def handover(conversation, *, before: str | None, after: str | None, by: str) -> dict:
    body = _envelope("handover", sender=_contact(conversation.contact), to=conversation.channel.jid)
    body["handover"] = {"from": before, "to": after, "by": by or None}
    return body


def label(conversation, *, labels: list[str], added: list[str], removed: list[str], by: str) -> dict:
    body = _envelope("label", sender=_contact(conversation.contact), to=conversation.channel.jid)
    body["label"] = {"labels": labels, "added": added, "removed": removed, "by": by or None}
    return body


def note(note_response: dict, *, contact, channel, action: str) -> dict:
    body = _envelope("note", sender=_contact(contact), to=channel.jid)
    body["note"] = {"action": action, **note_response}
    return body


def typing(*, contact, channel, state: str) -> dict:
    body = _envelope("typing", sender=_contact(contact), to=channel.jid)
    body["typing"] = {"state": state}
    return body


def postback(message, *, contact, channel, payload: str) -> dict:
    body = _envelope("postback", sender=_contact(contact), to=channel.jid, when=message.sent_at)
    body["postback"] = {"id": message.uid, "payload": payload, "text": (message.content or {}).get("body", "")}
    return body


def template_pack(translation, *, channel) -> dict:
    body = _envelope("template_pack", sender=None, to=channel.jid)
    body["template"] = {
        "name": translation.template.name,
        "category": translation.template.category,
        "localeName": translation.language,
        "status": translation.status,
        "rejectedReason": translation.rejected_reason or "NONE",
    }
    return body


def custom(*, channel, data: dict) -> dict:
    body = _envelope("custom", sender=None, to=channel.jid)
    body["custom"] = data
    return body


def document_time(value: datetime | None) -> str | None:
    """The document's dates: ISO-8601 UTC with 6-digit fractions, `2020-03-11T19:53:02.000000Z`."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
