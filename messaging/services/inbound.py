"""Inbound SMS: the webhook stores the message in one INSERT and answers; a Celery task does the rest
(messaging.services.replies) in one transaction, so a retried webhook or a redelivered task changes nothing."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.exceptions import NotFoundError, ValidationFailed
from core.wakeups import coalescing, wake, woken
from messaging import hooks, sms
from messaging.models import InboundText, TextAccount, TextNumber
from messaging.services import replies

logger = logging.getLogger(__name__)


# With a shared cache (Redis), one task drains a number's waiting messages instead of one task per message: a burst
# costs one SET NX per message instead of a Celery publish (a third of the webhook's time; bench_inbound_sms.py).
# The flag lives at most this long, so a drain task the broker lost delays the next message by seconds, never loses
# it (the sweeper too). The same pattern as the inbox's channels (inbox/services/inbound.py).
WAKE_SECONDS = 5
DRAIN_BATCH = 200


def wake_key(number_id: int) -> str:
    return f"sms:inbound:drain:{number_id}"


def _enqueue(inbound_id: int, *, number_id: int) -> None:
    from messaging.tasks import inbound_drain_task, inbound_process_task

    def publish():
        if coalescing(settings.SMS_INBOUND_COALESCE_WAKEUPS):
            # Set after the message committed; the drain clears it BEFORE it reads what waits, so a message stored
            # while a drain runs either finds the flag gone (and wakes another) or is read by that drain.
            wake(wake_key(number_id), seconds=WAKE_SECONDS, publish=lambda: inbound_drain_task.delay(number_id))
            return
        inbound_process_task.apply_async(args=[inbound_id])

    # robust: the message is stored; if the broker is down, inbound_requeue_stuck finds it a minute on.
    transaction.on_commit(publish, robust=True)


def inbound_drain(*, number_id: int) -> int:
    """Process a number's waiting messages, oldest first (the coalesced wake-up's task). A message whose processing
    fails is left `received` for the sweeper and skipped here, so it cannot hold up the ones behind it."""
    woken(wake_key(number_id))
    failed: set[int] = set()
    processed = 0
    for _ in range(DRAIN_BATCH):
        waiting = InboundText.objects.filter(number_id=number_id, status=InboundText.Status.RECEIVED)
        inbound_id = waiting.exclude(pk__in=failed).order_by("pk").values_list("pk", flat=True).first()
        if inbound_id is None:
            return processed
        try:
            inbound_process(inbound_id=inbound_id)
        except Exception:
            logger.exception("Inbound SMS %s could not be processed; the sweeper tries it again", inbound_id)
            failed.add(inbound_id)
        else:
            processed += 1
    from messaging.tasks import inbound_drain_task

    inbound_drain_task.delay(number_id)  # a backlog longer than one batch: the rest in a fresh task
    return processed


def _insert_sql() -> str:
    quote = connection.ops.quote_name
    inbound, number, account = (m._meta.db_table for m in (InboundText, TextNumber, TextAccount))
    return (
        f"INSERT INTO {quote(inbound)} (team_id, number_id, sid, sender, {quote('to')}, body, status, outcome, "
        f"created_at) SELECT a.team_id, n.id, %s, %s, %s, %s, %s, '', %s FROM {quote(number)} n "
        f"JOIN {quote(account)} a ON a.id = n.account_id WHERE n.uid = %s AND n.phone_number = %s "
        f"ON CONFLICT (number_id, sid) DO NOTHING RETURNING id, number_id"
    )


def inbound_receive_for(*, number_uid, message: sms.InboundSms) -> tuple[int, bool]:
    """The webhook's path: (row id, stored now?) in ONE statement that finds the number by its uid and `To`, and
    inserts unless the provider id is already stored — one round trip, no transaction of its own (the request is
    the hot path; bench/bench_inbound_sms.py). Only when nothing was inserted is the number read, to tell an unknown
    number (404) or a wrong `To` (400) from a retried webhook (the stored row, False)."""
    params = [
        message.sid,
        message.sender,
        message.to,
        message.body,
        InboundText.Status.RECEIVED,
        InboundText._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection),
        TextNumber._meta.get_field("uid").get_db_prep_value(number_uid, connection),
        message.to,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), params)
        row = cursor.fetchone()
    if row is not None:
        _enqueue(row[0], number_id=row[1])
        return row[0], True
    number = TextNumber.objects.filter(uid=number_uid).only("pk", "phone_number").first()
    if number is None:
        raise NotFoundError("No such text account number.")
    if number.phone_number != message.to:
        raise ValidationFailed("To: the message was not sent to this number.")
    return InboundText.objects.filter(number=number, sid=message.sid).values_list("pk", flat=True).get(), False


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
    hooks.inbound_text_processed(inbound)  # e.g. the inbox, when the number is bound to an SMS channel
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
