"""Thin Celery tasks: take ids, call one service (DESIGN.md §4)."""

from celery import shared_task

from messaging import services
from messaging.sms import TransientSmsError


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
