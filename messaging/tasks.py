"""Thin Celery tasks: take ids, call one service (DESIGN.md §4)."""

from celery import shared_task

from messaging import services
from messaging.services import deliveries, emails, fanout, inbound, multicast_ops, numbers, webhooks
from messaging.sms import TransientSmsError

LOOKUP_RETRIES = 4


@shared_task(
    name="messaging.text_send_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientSmsError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS,
)
def text_send_task(text_id: int) -> None:
    services.text_deliver(text_id=text_id)


@shared_task(name="messaging.texts_requeue_stuck_task", acks_late=True, expires=90)
def texts_requeue_stuck_task() -> int:
    return services.texts_requeue_stuck()


@shared_task(name="messaging.inbound_process_task", acks_late=True, reject_on_worker_lost=True)
def inbound_process_task(inbound_id: int) -> str:
    return inbound.inbound_process(inbound_id=inbound_id)


@shared_task(name="messaging.inbound_drain_task", acks_late=True, reject_on_worker_lost=True)
def inbound_drain_task(number_id: int) -> int:
    return inbound.inbound_drain(number_id=number_id)


@shared_task(name="messaging.inbound_requeue_stuck_task", acks_late=True, expires=90)
def inbound_requeue_stuck_task() -> int:
    return inbound.inbound_requeue_stuck()


@shared_task(
    name="messaging.text_number_lookup_task",
    bind=True,
    acks_late=True,
    autoretry_for=(TransientSmsError,),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=LOOKUP_RETRIES,
)
def text_number_lookup_task(self, info_id: int) -> str:
    # The last try stores a transient error on the row instead of raising (its documented `error`).
    return numbers.text_number_info_resolve(info_id=info_id, final=self.request.retries >= LOOKUP_RETRIES)


@shared_task(name="messaging.webhook_deliver_task", acks_late=True, reject_on_worker_lost=True)
def webhook_deliver_task(delivery_id: int) -> str:
    return webhooks.webhook_deliver(delivery_id=delivery_id)


@shared_task(name="messaging.webhooks_dispatch_due_task", acks_late=True, expires=9)
def webhooks_dispatch_due_task() -> int:
    return webhooks.webhooks_dispatch_due()


# --- multicasts (messaging.services.fanout / deliveries / multicast_ops) ---------------------------------------------
# Fan-out on the `multicast` queue; each channel's sends on its own queue (sms, push, email), so a large multicast
# never waits behind another channel and never delays login codes (sms_otp).


@shared_task(name="messaging.multicast_plan_task", acks_late=True, reject_on_worker_lost=True)
def multicast_plan_task(multicast_id: int) -> int:
    return fanout.multicast_plan(multicast_id=multicast_id)


@shared_task(name="messaging.multicast_chunk_task", acks_late=True, reject_on_worker_lost=True)
def multicast_chunk_task(chunk_id: int, multicast_id: int) -> bool:
    return fanout.chunk_fanout(chunk_id=chunk_id, multicast_id=multicast_id) is not None


@shared_task(name="messaging.delivery_sms_task", acks_late=True, reject_on_worker_lost=True)
def delivery_sms_task(chunk_id: int, multicast_id: int) -> int:
    return deliveries.send_sms(chunk_id=chunk_id, multicast_id=multicast_id)


@shared_task(name="messaging.delivery_push_task", acks_late=True, reject_on_worker_lost=True)
def delivery_push_task(chunk_id: int, multicast_id: int) -> int:
    return deliveries.send_push(chunk_id=chunk_id, multicast_id=multicast_id)


@shared_task(name="messaging.delivery_email_task", acks_late=True, reject_on_worker_lost=True)
def delivery_email_task(chunk_id: int, multicast_id: int) -> int:
    return deliveries.send_email(chunk_id=chunk_id, multicast_id=multicast_id)


SEND_TASKS = {
    "sms": (delivery_sms_task, "sms"),
    "push": (delivery_push_task, "push"),
    "email": (delivery_email_task, "email"),
}


@shared_task(name="messaging.multicasts_sweep_task", acks_late=True, expires=50)
def multicasts_sweep_task() -> dict:
    return multicast_ops.multicasts_sweep()


@shared_task(name="messaging.user_email_send_task", acks_late=True, reject_on_worker_lost=True)
def user_email_send_task(email_id: int) -> str:
    return emails.user_email_deliver(email_id=email_id)
