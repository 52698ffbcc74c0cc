"""Sending: accept a message (checks that answer at once: 1011 blacklisted, 1010 not the assistant's, 1006/1013
templates, 1015 outside the customer-care window unless a fallback template is named), queue it, and deliver it
exactly once in Celery; then apply what the network reports (receipts), each status told to the webhooks once.

A message is a row (InboxMessage): `queued` → `sending` (claimed by a conditional UPDATE) → `accepted` | `sent` →
`delivered` → `read`, or `failed`. Adapters that only write rows (SMS, sandbox) send inside the claim's
transaction; a network adapter (WhatsApp) is called between two short transactions, and a message found stuck in
`sending` (its worker died around the call) is failed as "delivery unknown" rather than sent twice.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.exceptions import ValidationFailed
from inbox import jids
from inbox.actors import Actor
from inbox.errors import MediaInvalid, MessageRejected, WindowExpired
from inbox.models import Channel, Contact, Conversation, InboxMessage
from inbox.providers import (
    OutboundMessage,
    PermanentProviderError,
    SendResult,
    TransientProviderError,
    provider_for,
)
from inbox.services import payloads
from inbox.services.conversations import contact_get_or_create, conversation_get_or_create, require_owner
from inbox.services.templates import template_resolve
from inbox.services.webhooks import emit

logger = logging.getLogger(__name__)

MEDIA_TYPES = frozenset({"audio", "document", "gif", "image", "ptt", "sticker", "video"})
STUCK_SENDING = timedelta(minutes=5)
LOST_ENQUEUE = timedelta(seconds=60)
DELIVERY_UNKNOWN = "Delivery unknown: the worker stopped while handing the message to the network; not resent."
Status = InboxMessage.Status


def window_open(conversation: Conversation, *, now=None) -> bool:
    """Inside the customer-care window: the customer wrote within INBOX_CARE_WINDOW_HOURS (24)."""
    last = conversation.last_message_received_at
    now = now or timezone.now()
    return last is not None and now - last < timedelta(hours=settings.INBOX_CARE_WINDOW_HOURS)


def needs_template(conversation: Conversation, *, now=None) -> bool:
    return conversation.channel.has_care_window and not window_open(conversation, now=now)


@dataclass(frozen=True)
class Accepted:
    id: str
    fallback: bool = False
    scheduled_at: object = None


def check_message(channel: Channel, message: dict) -> None:
    """What the channel's network can carry (the body's shape was checked by the caller)."""
    provider = provider_for(channel)
    if not provider.message_types:
        raise provider.unavailable()
    if message.get("type") not in provider.message_types:
        raise ValidationFailed.for_field("message.type", f"{channel.get_kind_display()} channels cannot send this.")
    if message["type"] in MEDIA_TYPES and not message.get("url"):
        raise MediaInvalid("Media is invalid: give the media's url.", details={"message.url": ["Required."]})


def _template_spec(message: dict) -> dict:
    spec = message.get("template")
    if isinstance(spec, list):  # the document types `template` as an array: one template object in it
        spec = spec[0] if len(spec) == 1 else None
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise ValidationFailed.for_field("message.template", "A template object with its name.")
    return spec


def _content(message: dict, template: dict | None) -> dict:
    content = {k: v for k, v in message.items() if k not in ("type", "id", "template")}
    if template is not None:
        content["template"] = {k: template[k] for k in ("name", "language", "parameters") if template.get(k)}
        if template.get("components"):
            content["template"]["components"] = template["components"]
        content["rendered"] = template["rendered"]
    return content


def target(*, channel: Channel, contact_jid: str, actor: Actor) -> tuple[Contact, Conversation]:
    """The contact (made on first sight) and its conversation (opened if none); 1011 when blacklisted, 1010 when
    an assistant does not own it. A conversation an assistant starts is assigned to it."""
    jid = jids.contact_jid(contact_jid, kind=channel.kind, phone_like=channel.phone_like)
    contact, _ = contact_get_or_create(channel=channel, jid=jid)
    if contact.blacklisted:
        raise MessageRejected("Message rejected: the contact is blacklisted.")
    conversation, created = conversation_get_or_create(contact=contact, assistant=actor.assistant)
    if not created:
        require_owner(conversation, actor)
    conversation.channel, conversation.contact = channel, contact
    return contact, conversation


@transaction.atomic
def message_send(
    *,
    channel: Channel,
    contact_jid: str,
    message: dict,
    actor: Actor,
    fallback_template: dict | None = None,
    send_at=None,
) -> Accepted:
    """Accept one message for sending (202): checks, then a queued row sent by Celery after commit — or, with
    `send_at` in the future, a scheduled reply (inbox.services.scheduled)."""
    check_message(channel, message)
    contact, conversation = target(channel=channel, contact_jid=contact_jid, actor=actor)
    template = (
        template_resolve(channel=channel, spec=_template_spec(message)) if message["type"] == "template" else None
    )
    fallback = template_resolve(channel=channel, spec=fallback_template) if fallback_template else None
    if send_at is not None and send_at > timezone.now():
        from inbox.services.scheduled import reply_schedule

        reply = reply_schedule(
            conversation=conversation, message=message, fallback_template=fallback_template, run_at=send_at, actor=actor
        )
        return Accepted(id=reply.uid, scheduled_at=reply.run_at)
    queued = queue_checked(
        conversation=conversation, message=message, template=template, fallback=fallback, actor=actor
    )
    return Accepted(id=queued.uid, fallback=queued.fallback_template)


def queue_checked(*, conversation, message: dict, template, fallback, actor: Actor, uid: str | None = None):
    """Window rule, then queue: outside the window only a template goes (the fallback when one is given)."""
    use_fallback = False
    if message["type"] != "template" and needs_template(conversation):
        if fallback is None:
            raise WindowExpired("Customer care window expired")
        message, template, use_fallback = {"type": "template"}, fallback, True
    return message_queue(
        conversation=conversation, message=message, template=template, actor=actor, uid=uid, fallback=use_fallback
    )


def message_queue(
    *, conversation: Conversation, message: dict, actor: Actor, template=None, uid=None, fallback: bool = False
) -> InboxMessage:
    """Store an outbound message `queued`, tell the `echo` webhooks, and send it after commit."""
    sender = (
        InboxMessage.Sender.ASSISTANT
        if actor.assistant is not None
        else InboxMessage.Sender.AGENT
        if actor.membership is not None
        else InboxMessage.Sender.AUTOMATED
    )
    fields = {"uid": uid} if uid else {}
    queued = InboxMessage.objects.create(
        team_id=conversation.team_id,
        channel_id=conversation.channel_id,
        conversation=conversation,
        direction=InboxMessage.Direction.OUTBOUND,
        type=message["type"],
        content=_content(message, template),
        status=Status.QUEUED,
        sender=sender,
        sent_by=actor.user,
        sent_by_assistant=actor.assistant,
        fallback_template=fallback,
        **fields,
    )
    if sender != InboxMessage.Sender.AUTOMATED:  # an agent or assistant answering has read the conversation
        Conversation.objects.filter(pk=conversation.pk).update(unread_count=None, updated_at=timezone.now())
    emit(
        channel=conversation.channel,
        event="echo",
        payload=payloads.echo(queued, contact=conversation.contact, channel=conversation.channel, agent=actor.label),
        conversation=conversation,
        key=f"echo:{queued.uid}",
    )
    from inbox.tasks import message_deliver_task

    transaction.on_commit(lambda: message_deliver_task.delay(queued.pk), robust=True)
    return queued


# --- delivery ----------------------------------------------------------------------------------------------------


def _outbound(message: InboxMessage) -> OutboundMessage:
    content = dict(message.content or {})
    template = None
    if message.type == "template":
        template = {**content.get("template", {}), "rendered": content.get("rendered", "")}
    return OutboundMessage(
        uid=message.uid, to=message.conversation.contact.jid, type=message.type, content=content, template=template
    )


def message_deliver(*, message_id: int, final: bool = True) -> str:
    """Send one queued message through its channel's adapter, once (see the module docstring). Raises
    TransientProviderError for Celery to retry unless `final`, in which case the message fails."""
    now = timezone.now()
    if not InboxMessage.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, claimed_at=now, updated_at=now
    ):
        return "not queued"
    message = InboxMessage.objects.select_related("channel", "conversation__contact").get(pk=message_id)
    provider = provider_for(message.channel)
    try:
        if provider.local:
            with transaction.atomic():
                _record_sent(message, provider.send(message.channel, _outbound(message)))
        else:
            result = provider.send(message.channel, _outbound(message))
            with transaction.atomic():
                _record_sent(message, result)
    except TransientProviderError as exc:
        if final:
            message_fail(message=message, error=str(exc))
            return "failed"
        InboxMessage.objects.filter(pk=message_id, status=Status.SENDING).update(
            status=Status.QUEUED, error=str(exc)[:500], updated_at=timezone.now()
        )
        raise
    except PermanentProviderError as exc:
        message_fail(message=message, error=f"{exc.code}: {exc}")
        return "failed"
    except Exception as exc:  # e.g. ProviderUnavailable: nothing was sent; never left hanging in `sending`
        message_fail(message=message, error=f"{type(exc).__name__}: {exc}")
        raise
    return "sent"


def _record_sent(message: InboxMessage, result: SendResult) -> None:
    now = timezone.now()
    sent = {"provider_id": result.provider_id[:200], "text_id": result.text_id, "updated_at": now}
    moved = _move(message, to=result.status, from_statuses=[Status.SENDING], **sent)
    if not moved:  # a receipt overtook this write (already delivered): keep it, record the provider's id
        InboxMessage.objects.filter(pk=message.pk).update(**sent)
    Conversation.objects.filter(pk=message.conversation_id).update(
        messages_sent=F("messages_sent") + 1, last_message_sent_at=now, updated_at=now
    )


@transaction.atomic
def message_fail(*, message: InboxMessage, error: str) -> bool:
    return _move(message, to=Status.FAILED, from_statuses=_below(Status.DELIVERED), error=error[:500])


def _below(status: str) -> list[str]:
    return [s for s, rank in InboxMessage.RANK.items() if rank < InboxMessage.RANK[status]]


def _move(message: InboxMessage, *, to: str, from_statuses, **changes) -> bool:
    """One conditional UPDATE of the status and, when it moved to a receipt status, its `receipt` event."""
    now = timezone.now()
    stamps = {Status.SENT: "sent_at", Status.DELIVERED: "delivered_at", Status.READ: "read_at"}
    if to in stamps:
        changes[stamps[to]] = now
    changes.setdefault("updated_at", now)
    moved = InboxMessage.objects.filter(pk=message.pk, status__in=list(from_statuses)).update(status=to, **changes)
    if moved and to in InboxMessage.RECEIPTS:
        fresh = InboxMessage.objects.select_related("channel", "conversation__contact").get(pk=message.pk)
        payload = payloads.receipt(fresh, contact=fresh.conversation.contact, channel=fresh.channel, status=to)
        emit(
            channel=fresh.channel,
            event="receipt",
            payload=payload,
            conversation=fresh.conversation,
            key=f"receipt:{fresh.uid}:{to}",
        )
    return bool(moved)


@transaction.atomic
def message_status_apply(*, message: InboxMessage, status: str, error: str = "") -> bool:
    """A receipt from the network: statuses only move forward (read never goes back to delivered); `failed`
    replaces anything short of delivered."""
    if status == Status.FAILED:
        return message_fail(message=message, error=error or "The network could not deliver it.")
    if status not in InboxMessage.RANK:
        return False
    return _move(message, to=status, from_statuses=_below(status))


# --- SMS status through messaging's hook, and the sweeper ----------------------------------------------------------

TEXT_STATUSES = {
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "undelivered": Status.FAILED,
    "failed": Status.FAILED,
}


def on_text_status(text) -> None:
    """messaging.hooks: a Text moved; when it carries an inbox message, that message's receipt follows."""
    status = TEXT_STATUSES.get(text.status)
    if status is None:
        return
    message = InboxMessage.objects.filter(text_id=text.pk).first()
    if message is not None:
        message_status_apply(message=message, status=status, error=text.error)


def messages_requeue_stuck() -> int:
    """Beat: re-enqueue messages still `queued` a minute on (an enqueue lost after commit); fail those stuck in
    `sending` for 5 minutes (the worker died around the network call: it may have gone out, so never resent)."""
    now = timezone.now()
    for message in InboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - STUCK_SENDING)[:500]:
        message_fail(message=message, error=DELIVERY_UNKNOWN)
    waiting = list(
        InboxMessage.objects.filter(status=Status.QUEUED, created_at__lt=now - LOST_ENQUEUE).values_list(
            "pk", flat=True
        )[:500]
    )
    from inbox.tasks import message_deliver_task

    for message_id in waiting:
        message_deliver_task.delay(message_id)
    return len(waiting)
