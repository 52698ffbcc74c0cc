"""Scheduled replies (a Crewdesk addition, README "Inbox"): a message or template queued for a time.

Each is a due row (ScheduledReply); the inbox beat job (`inbox-scheduled-replies`, every 10 s) claims due rows with a
conditional UPDATE — in the same transaction as the message it queues, so a reply is sent exactly once even when two
dispatchers run — and sends it with the id given when it was scheduled (receipts match it). A message from the
customer cancels every reply still waiting in that conversation; a client or the console may cancel one. At send
time the checks run again: outside the 24-hour window it goes as its fallback template, or fails with the reason
(a failed message with that id, and its `receipt`)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.exceptions import ApplicationError, NotFoundError, ValidationFailed
from inbox.actors import Actor
from inbox.models import Conversation, InboxMessage, ScheduledReply
from inbox.services import sending
from inbox.services.conversations import require_owner
from inbox.services.templates import template_resolve

DISPATCH_BATCH = 200


def reply_schedule(*, conversation: Conversation, message: dict, fallback_template, run_at, actor: Actor):
    if run_at > timezone.now() + timedelta(days=settings.INBOX_SCHEDULE_MAX_DAYS):
        raise ValidationFailed.for_field("sendAt", f"At most {settings.INBOX_SCHEDULE_MAX_DAYS} days ahead.")
    return ScheduledReply.objects.create(
        team_id=conversation.team_id,
        conversation=conversation,
        message=message,
        fallback_template=fallback_template,
        run_at=run_at,
        created_by=actor.user,
        created_by_assistant=actor.assistant,
    )


@transaction.atomic
def reply_cancel(*, conversation: Conversation, uid: str, actor: Actor) -> ScheduledReply:
    require_owner(conversation, actor)
    reply = ScheduledReply.objects.filter(conversation=conversation, uid=uid).first()
    if reply is None:
        raise NotFoundError("Scheduled reply not found.")
    canceled = ScheduledReply.objects.filter(pk=reply.pk, status=ScheduledReply.Status.SCHEDULED).update(
        status=ScheduledReply.Status.CANCELED, reason=f"Canceled by {actor.label or 'the console'}.",
        updated_at=timezone.now(),
    )  # fmt: skip
    if not canceled:
        raise ValidationFailed.for_field("id", f"The reply is already {reply.status}.")
    reply.refresh_from_db()
    return reply


def replies_cancel_on_inbound(*, conversation_id: int) -> int:
    """The customer wrote first: replies still waiting in the conversation are dropped."""
    return ScheduledReply.objects.filter(
        conversation_id=conversation_id, status=ScheduledReply.Status.SCHEDULED
    ).update(status=ScheduledReply.Status.CANCELED, reason="The customer wrote first.", updated_at=timezone.now())


def replies_dispatch_due() -> int:
    """Beat: send every due reply (each claimed exactly once)."""
    due = list(
        ScheduledReply.objects.filter(status=ScheduledReply.Status.SCHEDULED, run_at__lte=timezone.now())
        .order_by("run_at", "pk")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    return sum(reply_send(reply_id=pk) == "sent" for pk in due)


@transaction.atomic
def reply_send(*, reply_id: int) -> str:
    now = timezone.now()
    claimed = ScheduledReply.objects.filter(
        pk=reply_id, status=ScheduledReply.Status.SCHEDULED, run_at__lte=now
    ).update(status=ScheduledReply.Status.SENT, updated_at=now)
    if not claimed:
        return "gone"
    reply = ScheduledReply.objects.select_related(
        "conversation__channel", "conversation__contact", "created_by", "created_by_assistant"
    ).get(pk=reply_id)
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("channel", "contact")
        .get(pk=reply.conversation_id)
    )
    actor = _actor_of(reply)
    try:
        with transaction.atomic():
            message = _send(reply, conversation, actor)
    except ApplicationError as exc:
        message = _failed(reply, conversation, actor, f"{exc.code}: {exc.message}")
        ScheduledReply.objects.filter(pk=reply.pk).update(
            status=ScheduledReply.Status.FAILED, reason=exc.message[:200], sent_message=message
        )
        return "failed"
    ScheduledReply.objects.filter(pk=reply.pk).update(sent_message=message)
    return "sent"


def _actor_of(reply: ScheduledReply) -> Actor:
    from accounts.models import Membership

    if reply.created_by_assistant_id:
        return Actor(membership=None, assistant=reply.created_by_assistant)
    membership = Membership.objects.active().filter(team_id=reply.team_id, user_id=reply.created_by_id).first()
    return Actor(membership=membership)


def _send(reply: ScheduledReply, conversation: Conversation, actor: Actor) -> InboxMessage:
    if conversation.contact.blacklisted:
        from inbox.errors import MessageRejected

        raise MessageRejected("Message rejected: the contact is blacklisted.")
    require_owner(conversation, actor)
    message = reply.message
    template = None
    if message["type"] == "template":
        template = template_resolve(channel=conversation.channel, spec=sending._template_spec(message))
    fallback = (
        template_resolve(channel=conversation.channel, spec=reply.fallback_template)
        if reply.fallback_template
        else None
    )
    return sending.queue_checked(
        conversation=conversation, message=message, template=template, fallback=fallback, actor=actor, uid=reply.uid
    )


def _failed(reply: ScheduledReply, conversation: Conversation, actor: Actor, error: str) -> InboxMessage:
    """The reply could not go: a failed message with its id (and a `receipt` failed) tells the client."""
    message = InboxMessage.objects.create(
        uid=reply.uid,
        team_id=conversation.team_id,
        channel_id=conversation.channel_id,
        conversation=conversation,
        direction=InboxMessage.Direction.OUTBOUND,
        type=reply.message.get("type", "text"),
        content={k: v for k, v in reply.message.items() if k != "type"},
        status=InboxMessage.Status.QUEUED,
        sender=InboxMessage.Sender.ASSISTANT if actor.assistant else InboxMessage.Sender.AGENT,
        sent_by=actor.user,
        sent_by_assistant=actor.assistant,
    )
    sending.message_fail(message=message, error=error)
    return message
