"""A channel's webhooks (create, change, delete) and `emit`, which puts one event on the shared outbox
(messaging.services.webhooks) for every enabled webhook of the channel subscribed to it.

Each delivery is signed (Standard Webhooks headers) with the webhook's `cipher_key`, carries its `headers`, has
the event itself as its body (raw: the document's shape, no envelope), and is ordered per webhook and
conversation (ordering key), so one receiver sees a conversation's events in the order they happened while a
broken receiver never holds up another. Retried with backoff for INBOX_WEBHOOK_RETRY_FOR_SECONDS, then failed;
every attempt is logged and can be replayed in the console (Webhook deliveries).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from core.exceptions import ValidationFailed
from inbox.models import Channel, InboxWebhook
from inbox.models.channels import new_cipher_key
from messaging.services.webhooks import enqueue_webhook
from messaging.webhooks.addresses import validate_webhook_url

EVENTS = frozenset(InboxWebhook.Event.values)
# Conversation events a webhook tied to an assistant receives only for the conversations that assistant owns.
CHANNEL_WIDE = frozenset({InboxWebhook.Event.TEMPLATE_PACK, InboxWebhook.Event.CUSTOM})
RESERVED_HEADERS = frozenset(
    {"content-type", "content-length", "host", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature"}
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def check_url(url: str) -> str:
    """https, as the document requires (no self-signed certificates: the transport verifies them); plain http only
    to this machine where WEBHOOK_ALLOW_LOOPBACK allows loopback (tests, `make run`). No private addresses."""
    url = (url or "").strip()
    parts = urlsplit(url)
    local = settings.WEBHOOK_ALLOW_LOOPBACK and (parts.hostname or "") in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationFailed.for_field("url", "The webhook URL must be https.")
    return validate_webhook_url(url, field="url")


def check_events(events) -> list[str]:
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise ValidationFailed.for_field("events", "A list of event names.")
    unknown = sorted(set(events) - EVENTS)
    if unknown:
        raise ValidationFailed.for_field("events", f"Unknown events: {', '.join(unknown)}.")
    return sorted(set(events), key=events.index)


def check_headers(headers) -> dict:
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ValidationFailed.for_field("headers", "An object of header names and string values.")
    for name in headers:
        if not name or name.lower() in RESERVED_HEADERS or not name.replace("-", "").isalnum():
            raise ValidationFailed.for_field("headers", f"Header {name!r} cannot be set.")
    return dict(headers)


@transaction.atomic
def webhook_create(*, channel: Channel, url: str, events, headers=None, assistant=None, name: str = "") -> InboxWebhook:
    return InboxWebhook.objects.create(
        channel=channel,
        url=check_url(url),
        events=check_events(events),
        headers=check_headers(headers or {}),
        assistant=assistant,
        name=name,
    )


_UNSET = object()


@transaction.atomic
def webhook_update(*, webhook: InboxWebhook, assistant=_UNSET, **changes) -> InboxWebhook:
    """Partial: only the given fields change (name, url, events, headers, enabled, assistant)."""
    checks = {"url": check_url, "events": check_events, "headers": check_headers}
    for field, value in changes.items():
        if field not in ("name", "url", "events", "headers", "enabled"):
            raise ValueError(field)
        setattr(webhook, field, checks[field](value) if field in checks else value)
    if assistant is not _UNSET:
        webhook.assistant = assistant
    webhook.save()
    return webhook


@transaction.atomic
def webhook_rotate_key(*, webhook: InboxWebhook) -> InboxWebhook:
    webhook.cipher_key = new_cipher_key()
    webhook.save(update_fields=["cipher_key", "updated_at"])
    return webhook


def _owned(conversation, assistant_id: int) -> bool:
    return conversation is not None and conversation.assignee_assistant_id == assistant_id


def emit(*, channel: Channel, event: str, payload: dict, conversation=None, key: str | None = None) -> int:
    """Queue `payload` for every enabled webhook of `channel` subscribed to `event` (sent after the caller's
    transaction commits). `key` makes a repeat of the same event (e.g. a provider's repeated receipt) a no-op."""
    count = 0
    for webhook in InboxWebhook.objects.filter(channel=channel, enabled=True).order_by("id"):
        if event not in webhook.events:
            continue
        if webhook.assistant_id and event not in CHANNEL_WIDE and not _owned(conversation, webhook.assistant_id):
            continue
        scope = conversation.pk if conversation is not None else "channel"
        enqueue_webhook(
            team=channel.team_id,
            url=webhook.url,
            event_type=event,
            payload=payload,
            headers=webhook.headers,
            secret=webhook.cipher_key,
            ordering_key=f"inbox:{webhook.uid}:{scope}",
            idempotency_key=f"inbox:{webhook.uid}:{key}" if key else None,
            validate=False,  # checked when the webhook was saved; resolved and checked before each attempt
            raw_body=True,
            retry_for_seconds=settings.INBOX_WEBHOOK_RETRY_FOR_SECONDS,
        )
        count += 1
    return count
