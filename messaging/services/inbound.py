"""Inbound SMS: the webhook stores the message in one INSERT and answers; a Celery task does the rest
(messaging.services.replies) in one transaction, so a retried webhook or a redelivered task changes nothing."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from messaging import sms
from messaging.models import InboundText, TextNumber
from messaging.services import replies

logger = logging.getLogger(__name__)


def _enqueue(inbound_id: int) -> None:
    from messaging.tasks import inbound_process_task

    # robust: the message is stored; if the broker is down, inbound_requeue_stuck finds it a minute on.
    transaction.on_commit(lambda: inbound_process_task.apply_async(args=[inbound_id]), robust=True)


def inbound_receive(*, number: TextNumber, message: sms.InboundSms) -> tuple[InboundText, bool]:
    """Store one inbound message of `number` (`number.account` loaded). (row, True) when new; a message already
    stored under the same provider id answers (that row, False) and is not processed again."""
    try:
        with transaction.atomic():
            inbound = InboundText.objects.create(
                team_id=number.account.team_id,
                number=number,
                sid=message.sid,
                sender=message.sender,
                to=message.to,
                body=message.body,
            )
            _enqueue(inbound.pk)
    except IntegrityError:
        return InboundText.objects.get(number=number, sid=message.sid), False
    return inbound, True


@transaction.atomic
def inbound_process(*, inbound_id: int) -> str:
    """Everything a reply does (opt-out keywords, consent replies, expected responses, forwarding), once.

    The claim (received → processed) and every effect commit together; texts and webhooks it queues are sent on
    commit. A worker that dies mid-way leaves the row `received` for the sweeper, with nothing half done.
    """
    now = timezone.now()
    if not InboundText.objects.filter(pk=inbound_id, status=InboundText.Status.RECEIVED).update(
        status=InboundText.Status.PROCESSED, processed_at=now
    ):
        return "done"
    inbound = InboundText.objects.select_related("team", "number__account").get(pk=inbound_id)
    outcome = replies.handle_reply(inbound)
    inbound.outcome = outcome[:200]
    inbound.save(update_fields=["outcome", "matched_text"])
    return outcome


def inbound_requeue_stuck() -> int:
    """Beat: inbound messages still `received` a minute on (lost enqueue, or a processing that rolled back)."""
    waiting = list(
        InboundText.objects.filter(
            status=InboundText.Status.RECEIVED, created_at__lt=timezone.now() - timedelta(seconds=60)
        ).values_list("pk", flat=True)[:500]
    )
    from messaging.tasks import inbound_process_task

    for inbound_id in waiting:
        inbound_process_task.apply_async(args=[inbound_id])
    return len(waiting)
