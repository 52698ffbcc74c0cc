"""Celery tasks of the workforce app: thin, idempotent, call services (DESIGN.md §4)."""

from celery import shared_task

from workforce.services import notices


@shared_task(name="workforce.notices_tick_task", acks_late=True, reject_on_worker_lost=True, expires=25)
def notices_tick_task() -> dict:
    """The one beat job for shift reminders: plan the rows, then send the due ones exactly once."""
    result = notices.notices_tick()
    return {"planned": result.planned, "sent": result.sent, "canceled": result.canceled}
