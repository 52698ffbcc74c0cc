"""Inbound: what providers report about a channel is stored by their webhook in ONE statement (a multi-row INSERT
that ignores keys already stored: a retried webhook stores nothing new) and processed by a Celery task, each event
in one transaction with its claim (`received` → `processed`), so a redelivered task changes nothing.

A customer's message finds or makes the contact (a blacklisted contact's message is ignored: no conversation
update, no webhook), opens or reopens the conversation (OPEN), bumps `messagesReceived`, `lastMessageReceivedAt`
and `unreadCount`, cancels replies scheduled in it, tells the `message` (or `postback`) webhooks, and sends the
channel's automated messages when they apply. Receipts move the status of the message they name; template
decisions go to the template; typing notices are passed to the `typing` webhooks.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.wakeups import coalescing, wake, woken
from inbox import jids
from inbox.models import Channel, Conversation, InboundEvent, InboxMessage
from inbox.providers import ParsedEvent, provider_for
from inbox.services import automated, payloads, scheduled
from inbox.services.conversations import contact_get_or_create, conversation_get_or_create
from inbox.services.sending import message_status_apply
from inbox.services.templates import template_decide
from inbox.services.webhooks import emit

logger = logging.getLogger(__name__)

LOST_AFTER = timedelta(seconds=60)
# A receipt may overtake the worker that records the provider's id of the message it names; it is kept
# `received` and tried again by the sweeper for this long before it is dropped as naming no message of ours.
RECEIPT_PATIENCE = timedelta(minutes=10)


# With a shared cache (Redis), one task drains a channel's waiting events instead of one task per event: a burst of
# messages costs one SET NX each instead of a Celery publish (bench/bench_inbox_inbound.py). The flag lives at most
# this long, so a drain task the broker lost delays the next message by seconds, never loses it (the sweeper too).
WAKE_SECONDS = 5


def wake_key(channel_id: int) -> str:
    return f"inbox:drain:{channel_id}"


def _enqueue(event_ids: list[int], *, channel_id: int) -> None:
    from inbox.tasks import channel_drain_task, event_process_task

    def publish():
        if coalescing(settings.INBOX_COALESCE_WAKEUPS):
            # Set after the events committed; the drain task clears it BEFORE it reads what waits, so an event
            # stored while a drain runs either finds the flag gone (and wakes another) or is read by that drain.
            wake(wake_key(channel_id), seconds=WAKE_SECONDS, publish=lambda: channel_drain_task.delay(channel_id))
            return
        for event_id in event_ids:
            event_process_task.delay(event_id)

    # robust: the events are stored; if the broker is down, events_requeue_stuck finds them a minute on.
    transaction.on_commit(publish, robust=True)


def _insert_sql(rows: int) -> str:
    quote = connection.ops.quote_name
    table = quote(InboundEvent._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s, '', %s)"] * rows)
    return (
        f"INSERT INTO {table} (channel_id, {quote('key')}, kind, payload, status, outcome, created_at) "
        f"VALUES {values} ON CONFLICT (channel_id, {quote('key')}) DO NOTHING RETURNING id"
    )


def events_receive(*, channel_id: int, events: list[ParsedEvent]) -> list[int]:
    """Store the events not stored before (one statement) and enqueue their processing; the new rows' ids."""
    events = [e for e in events if e.key]
    if not events:
        return []
    payload_field = InboundEvent._meta.get_field("payload")
    now = InboundEvent._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    params: list = []
    for event in events:
        payload = payload_field.get_db_prep_value(event.payload, connection)
        params += [channel_id, event.key[:250], event.kind, payload, InboundEvent.Status.RECEIVED, now]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(len(events)), params)
        inserted = [row[0] for row in cursor.fetchall()]
    if inserted:
        _enqueue(inserted, channel_id=channel_id)
    return inserted


def _insert_for_sql() -> str:
    quote = connection.ops.quote_name
    events, channels = quote(InboundEvent._meta.db_table), quote(Channel._meta.db_table)
    return (
        f"INSERT INTO {events} (channel_id, {quote('key')}, kind, payload, status, outcome, created_at) "
        f"SELECT c.id, %s, %s, %s, %s, '', %s FROM {channels} c WHERE c.uid = %s AND c.kind = %s "
        f"ON CONFLICT (channel_id, {quote('key')}) DO NOTHING RETURNING id, channel_id"
    )


def event_receive_for(*, channel_uid, kind: str, event: ParsedEvent) -> int | None:
    """The provider webhook's hot path when nothing about the channel is needed first (the sandbox): ONE statement
    finds the channel by its uid and kind and stores the event unless its key is stored (bench/bench_inbox_inbound.py).
    Returns the new row's id, or None for a repeat; NotFoundError when no such channel."""
    params = [
        event.key[:250],
        event.kind,
        InboundEvent._meta.get_field("payload").get_db_prep_value(event.payload, connection),
        InboundEvent.Status.RECEIVED,
        InboundEvent._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection),
        Channel._meta.get_field("uid").get_db_prep_value(channel_uid, connection),
        kind,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_for_sql(), params)
        row = cursor.fetchone()
    if row is not None:
        _enqueue([row[0]], channel_id=row[1])
        return row[0]
    if not Channel.objects.filter(uid=channel_uid, kind=kind).exists():
        from core.exceptions import NotFoundError

        raise NotFoundError("No such channel.")
    return None


def on_inbound_text(inbound) -> None:
    """messaging.hooks: an inbound SMS was processed; to a number bound to an SMS channel, it is a message."""
    if inbound.number_id is None:
        return
    channel = Channel.objects.filter(sms_number_id=inbound.number_id, kind=Channel.Kind.SMS).first()
    if channel is None or not jids.PHONE_LOCAL.match(inbound.sender.lstrip("+")):
        return
    payload = {
        "from": jids.phone_jid(inbound.sender, kind=channel.kind),
        "name": "",
        "timestamp": int(inbound.created_at.timestamp()),
        "message": {"type": "text", "body": inbound.body},
    }
    events_receive(channel_id=channel.pk, events=[ParsedEvent("message", f"sms:{inbound.sid}", payload)])


# --- processing --------------------------------------------------------------------------------------------------


PROCESS_BATCH = 100


def event_process(*, event_id: int) -> str:
    """Process one stored event (Celery) — after every earlier event of its channel still waiting, so a channel's
    events take effect (and reach webhooks) in the order they arrived, whichever worker runs first: each event is
    processed in its own transaction holding the channel's row lock, lowest id first."""
    head = InboundEvent.objects.filter(pk=event_id).values_list("channel_id", "status").first()
    if head is None or head[1] != InboundEvent.Status.RECEIVED:
        return "done"
    deferred: set[int] = set()
    for _ in range(PROCESS_BATCH):
        processed_id, outcome = _process_next(channel_id=head[0], up_to=event_id, deferred=deferred)
        if processed_id is None:
            return "done"
        if outcome is None:
            deferred.add(processed_id)
        if processed_id == event_id:
            return outcome or "later"
    return "later"  # a long backlog: the rest is taken by its own tasks (or the sweeper)


DRAIN_BATCH = 500


def channel_drain(*, channel_id: int) -> int:
    """Process every waiting event of a channel, oldest first (the coalesced wake-up's task)."""
    woken(wake_key(channel_id))
    deferred: set[int] = set()
    processed = 0
    for _ in range(DRAIN_BATCH):
        event_id, outcome = _process_next(channel_id=channel_id, up_to=None, deferred=deferred)
        if event_id is None:
            return processed
        if outcome is None:
            deferred.add(event_id)
        else:
            processed += 1
    from inbox.tasks import channel_drain_task

    channel_drain_task.delay(channel_id)  # a backlog longer than one batch: the rest in a fresh task
    return processed


def _process_next(*, channel_id: int, up_to: int | None, deferred: set[int]) -> tuple[int | None, str | None]:
    """(the id processed, its outcome — None when it must wait) for the channel's oldest waiting event."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().filter(pk=channel_id).first()
        if channel is None:
            return None, None
        waiting = InboundEvent.objects.filter(channel_id=channel_id, status=InboundEvent.Status.RECEIVED)
        if up_to is not None:
            waiting = waiting.filter(pk__lte=up_to)
        event = waiting.exclude(pk__in=deferred).order_by("pk").first()
        if event is None:
            return None, None
        event.channel = channel
        InboundEvent.objects.filter(pk=event.pk).update(
            status=InboundEvent.Status.PROCESSED, processed_at=timezone.now()
        )
        _look_up_media(event)
        handler = {
            InboundEvent.Kind.MESSAGE: _message,
            InboundEvent.Kind.STATUS: _status,
            InboundEvent.Kind.TEMPLATE: _template,
            InboundEvent.Kind.TYPING: _typing,
        }[event.kind]
        outcome = handler(event)
        if outcome is None:  # not ready yet (a receipt before its message's id is recorded): tried again later
            InboundEvent.objects.filter(pk=event.pk).update(status=InboundEvent.Status.RECEIVED, processed_at=None)
            return event.pk, None
        InboundEvent.objects.filter(pk=event.pk).update(outcome=outcome[:200])
        return event.pk, outcome


def _look_up_media(event: InboundEvent) -> None:
    """WhatsApp sends a media id: its URL and size come from the network (a failure keeps the message, unlinked)."""
    media = (event.payload or {}).get("media") or {}
    if event.kind != InboundEvent.Kind.MESSAGE or not media.get("id") or media.get("url"):
        return
    try:
        media["url"], media["size"] = provider_for(event.channel).media_url(event.channel, media["id"])
    except Exception as exc:  # the message matters more than its media link
        logger.warning("media %s of event %s: %s", media.get("id"), event.pk, exc)


def _sent_at(payload: dict, event: InboundEvent) -> datetime:
    """When the customer sent it (the provider's timestamp), never later than now."""
    stamp = payload.get("timestamp")
    now = timezone.now()
    if isinstance(stamp, int | float) and stamp > 0:
        return min(datetime.fromtimestamp(stamp, tz=UTC), now)
    return event.created_at or now


def _message(event: InboundEvent) -> str:
    channel, payload = event.channel, event.payload
    try:
        jid = jids.contact_jid(payload.get("from", ""), kind=channel.kind, phone_like=channel.phone_like)
    except Exception:
        return f"ignored: sender {payload.get('from')!r} is not a JID of this channel"
    contact, _ = contact_get_or_create(channel=channel, jid=jid, name=payload.get("name") or "")
    if contact.blacklisted:
        return "ignored: the contact is blacklisted"
    conversation, created = conversation_get_or_create(contact=contact)
    reopened = created or conversation.status == Conversation.Status.CLOSED
    sent_at = _sent_at(payload, event)
    shaped = dict(payload.get("message") or {"type": "text", "body": ""})
    kind = str(shaped.pop("type", "text"))[:16]
    shaped.pop("id", None)
    if payload.get("media"):
        shaped["media"] = {k: payload["media"].get(k) for k in ("url", "size") if payload["media"].get(k) is not None}
    message = InboxMessage.objects.create(
        team_id=channel.team_id, channel=channel, conversation=conversation,
        direction=InboxMessage.Direction.INBOUND, type=kind, content=shaped, provider_id=event.key[:200],
        status=InboxMessage.Status.RECEIVED, sender=InboxMessage.Sender.CUSTOMER, sent_at=sent_at,
    )  # fmt: skip
    last = conversation.last_message_received_at
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Conversation.Status.OPEN,
        messages_received=F("messages_received") + 1,
        unread_count=Coalesce(F("unread_count"), 0) + 1,
        last_message_received_at=max(last, sent_at) if last else sent_at,
        updated_at=timezone.now(),
    )
    conversation.refresh_from_db()
    conversation.channel, conversation.contact = channel, contact
    scheduled.replies_cancel_on_inbound(conversation_id=conversation.pk)
    _tell(event, message, conversation, contact)
    automated.after_inbound(conversation=conversation, new=created, reopened=reopened)
    return "stored" + (" (new conversation)" if created else "")


def _tell(event: InboundEvent, message: InboxMessage, conversation: Conversation, contact) -> None:
    channel, payload = event.channel, event.payload
    if payload.get("postback") is not None:
        body = payloads.postback(message, contact=contact, channel=channel, payload=payload["postback"].get("payload"))
        emit(channel=channel, event="postback", payload=body, conversation=conversation, key=f"postback:{message.uid}")
        return
    quoted = None
    if payload.get("quoted"):
        found = InboxMessage.objects.filter(channel=channel, provider_id=payload["quoted"]).first()
        if found is not None:
            by_customer = found.direction == InboxMessage.Direction.INBOUND
            quoted = {"id": found.uid, "jid": contact.jid if by_customer else channel.jid}
    body = payloads.inbound_message(message, contact=contact, channel=channel, quoted=quoted)
    emit(channel=channel, event="message", payload=body, conversation=conversation, key=f"message:{message.uid}")


def _status(event: InboundEvent) -> str | None:
    payload = event.payload
    message = (
        InboxMessage.objects.filter(
            channel=event.channel, provider_id=payload.get("id", ""), direction=InboxMessage.Direction.OUTBOUND
        ).first()
        if payload.get("id")
        else None
    )
    if message is None:
        if timezone.now() - event.created_at < RECEIPT_PATIENCE:
            return None
        return "ignored: no message of ours has this id"
    error = payload.get("error") or ""
    if payload.get("error_code"):
        error = f"{payload['error_code']}: {error}"
    moved = message_status_apply(message=message, status=str(payload.get("status", "")).lower(), error=error)
    return f"{payload.get('status')}" + ("" if moved else " (no change)")


def _template(event: InboundEvent) -> str:
    payload = event.payload
    decided = template_decide(
        channel=event.channel,
        name=payload.get("name", ""),
        language=payload.get("language", ""),
        event=payload.get("event", ""),
        reason=payload.get("reason", ""),
    )
    return f"template {payload.get('event')}" + ("" if decided else " (no change)")


def _typing(event: InboundEvent) -> str:
    channel, payload = event.channel, event.payload
    try:
        jid = jids.contact_jid(payload.get("from", ""), kind=channel.kind, phone_like=channel.phone_like)
    except Exception:
        return "ignored: not a JID of this channel"
    contact, _ = contact_get_or_create(channel=channel, jid=jid)
    if contact.blacklisted:
        return "ignored: the contact is blacklisted"
    conversation = Conversation.objects.filter(contact=contact).first()
    state = "composing" if payload.get("typing", True) else "paused"
    body = payloads.typing(contact=contact, channel=channel, state=state)
    emit(channel=channel, event="typing", payload=body, conversation=conversation)
    return f"typing {state}"


def events_requeue_stuck() -> int:
    """Beat: events still `received` a minute on (a lost enqueue, a rollback, a receipt waiting for its message)."""
    waiting = list(
        InboundEvent.objects.filter(
            status=InboundEvent.Status.RECEIVED, created_at__lt=timezone.now() - LOST_AFTER
        ).values_list("pk", flat=True)[:500]
    )
    from inbox.tasks import event_process_task

    for event_id in waiting:
        event_process_task.delay(event_id)
    return len(waiting)
