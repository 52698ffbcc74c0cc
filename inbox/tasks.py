"""Thin Celery tasks: take ids, call one service (DESIGN.md §4). All on the `default` queue except webhook
deliveries (messaging's `webhooks` queue)."""

from celery import shared_task

from inbox.providers import TransientProviderError
from inbox.services import channels, inbound, scheduled, sending, templates

SEND_RETRIES = 5


@shared_task(
    name="inbox.message_deliver_task",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientProviderError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=SEND_RETRIES,
)
def message_deliver_task(self, message_id: int) -> str:
    return sending.message_deliver(message_id=message_id, final=self.request.retries >= SEND_RETRIES)


@shared_task(name="inbox.event_process_task", acks_late=True, reject_on_worker_lost=True)
def event_process_task(event_id: int) -> str:
    return inbound.event_process(event_id=event_id)


@shared_task(name="inbox.channel_drain_task", acks_late=True, reject_on_worker_lost=True)
def channel_drain_task(channel_id: int) -> int:
    return inbound.channel_drain(channel_id=channel_id)


@shared_task(
    name="inbox.template_submit_task",
    acks_late=True,
    autoretry_for=(TransientProviderError,),
    retry_backoff=30,
    max_retries=5,
)
def template_submit_task(translation_id: int) -> str:
    return templates.template_submit(translation_id=translation_id)


@shared_task(name="inbox.template_delete_task", acks_late=True, autoretry_for=(TransientProviderError,), max_retries=5)
def template_delete_task(channel_id: int, name: str) -> None:
    from inbox.models import Channel
    from inbox.providers import provider_for

    channel = Channel.objects.filter(pk=channel_id).first()
    if channel is not None:
        provider_for(channel).delete_template(channel, name)


@shared_task(name="inbox.profile_push_task", acks_late=True, autoretry_for=(TransientProviderError,), max_retries=5)
def profile_push_task(channel_id: int) -> None:
    channels.profile_push(channel_id=channel_id)


@shared_task(name="inbox.scheduled_replies_dispatch_task", acks_late=True, expires=9)
def scheduled_replies_dispatch_task() -> int:
    return scheduled.replies_dispatch_due()


@shared_task(name="inbox.sweep_task", acks_late=True, expires=50)
def sweep_task() -> dict:
    """Lost enqueues and dead workers: inbound events and outbound messages."""
    return {"events": inbound.events_requeue_stuck(), "messages": sending.messages_requeue_stuck()}
