"""After a multicast is sent: its report per channel, a retry of the failed subset, a cancel of what has not gone
yet, and the sweeper that recovers work a dead worker or a lost enqueue left behind. The console's actions and the
courier extension actions call these."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.exceptions import ValidationFailed
from messaging import sms
from messaging.models import Delivery, Multicast, MulticastChunk
from messaging.services import fanout
from messaging.services.deliveries import reference
from messaging.services.texts import DELIVERY_UNKNOWN_ERROR

logger = logging.getLogger(__name__)

REPORT_STATUSES = ("queued", "sending", "sent", "delivered", "failed", "cancelled")


@dataclass
class Report:
    status: str
    recipients: int
    channels: dict = field(default_factory=dict)  # channel -> {status: count}

    @property
    def totals(self) -> dict:
        out = dict.fromkeys(REPORT_STATUSES, 0)
        for counts in self.channels.values():
            for status, n in counts.items():
                out[status] += n
        return out


def multicast_report(*, multicast: Multicast) -> Report:
    """Per channel: queued, sending, sent, delivered, failed, cancelled (one aggregate query)."""
    report = Report(status=multicast.status, recipients=multicast.recipients_total)
    for channel in multicast.channels:
        report.channels[channel] = dict.fromkeys(REPORT_STATUSES, 0)
    rows = (
        Delivery.objects.filter(multicast=multicast).values_list("channel", "status").annotate(n=Count("id")).order_by()
    )
    for channel, status, n in rows:
        report.channels.setdefault(channel, dict.fromkeys(REPORT_STATUSES, 0))[status] = n
    return report


def channel_counts(*, multicast_ids: list[int]) -> dict[int, dict]:
    """The progress of several multicasts at once (one grouped query): id → channel → status → count."""
    found: dict[int, dict] = {}
    rows = (
        Delivery.objects.filter(multicast_id__in=multicast_ids)
        .values_list("multicast_id", "channel", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for multicast_id, channel, status, n in rows:
        found.setdefault(multicast_id, {}).setdefault(channel, dict.fromkeys(REPORT_STATUSES, 0))[status] = n
    return found


@transaction.atomic
def multicast_cancel(*, multicast: Multicast) -> int:
    """Stop what has not gone yet: queued deliveries and chunks not fanned out are cancelled (deliveries a worker
    holds right now finish as they will). Returns the deliveries cancelled."""
    locked = Multicast.objects.select_for_update(of=("self",)).get(pk=multicast.pk)
    if locked.is_finished:
        raise ValidationFailed.for_field("status", f"The multicast is already {locked.status}.")
    cancelled = Delivery.objects.filter(multicast=locked, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.CANCELLED, error="Cancelled before it was sent."
    )
    chunks = MulticastChunk.objects.filter(multicast=locked, status=MulticastChunk.Status.PENDING).update(
        status=MulticastChunk.Status.CANCELLED
    )
    now = timezone.now()
    Multicast.objects.filter(pk=locked.pk).update(status=Multicast.Status.CANCELLED, cancelled_at=now, finished_at=now)
    fanout.counters_move(multicast_id=locked.pk, outstanding=-cancelled, chunks_pending=-chunks)
    multicast.refresh_from_db()
    return cancelled


@transaction.atomic
def multicast_retry_failed(*, multicast: Multicast) -> int:
    """Queue the failed deliveries again (a finished multicast goes back to `sending`). Returns how many."""
    locked = Multicast.objects.select_for_update(of=("self",)).get(pk=multicast.pk)
    if locked.status not in (Multicast.Status.PARTIALLY_FAILED, Multicast.Status.FAILED, Multicast.Status.COMPLETE):
        raise ValidationFailed.for_field("status", "Only a finished (not cancelled) multicast can be retried.")
    failed = Delivery.objects.filter(multicast=locked, status=Delivery.Status.FAILED)
    work = list(failed.values_list("chunk_id", "channel").distinct().order_by())
    retried = failed.update(status=Delivery.Status.QUEUED, error="", claimed_at=None, attempts=0)
    if not retried:
        return 0
    Multicast.objects.filter(pk=locked.pk).update(status=Multicast.Status.SENDING, finished_at=None)
    fanout.counters_move(multicast_id=locked.pk, outstanding=retried)
    transaction.on_commit(lambda: _enqueue_sends(locked.pk, work), robust=True)
    multicast.refresh_from_db()
    return retried


def _enqueue_sends(multicast_id: int, work) -> None:
    by_chunk: dict[int, list[str]] = {}
    for chunk_id, channel in work:
        by_chunk.setdefault(chunk_id, []).append(channel)
    for chunk_id, channels in by_chunk.items():
        fanout.enqueue_sends(chunk_id, multicast_id, channels)


# --- the sweeper ------------------------------------------------------------------------------------------------------

SWEEP_BATCH = 2000


def multicasts_sweep() -> dict:
    """Every minute (beat): re-plan multicasts still `pending` a minute on (lost enqueue); re-queue fan-outs of
    chunks and sends of deliveries left waiting MULTICAST_STUCK_AFTER_SECONDS (a duplicate task is harmless: every
    step claims); recover deliveries a dead worker left `sending`; finish multicasts whose counters say done."""
    now = timezone.now()
    stuck = now - timedelta(seconds=settings.MULTICAST_STUCK_AFTER_SECONDS)
    done = {"planned": 0, "fanouts": 0, "sends": 0, "recovered": 0, "finished": 0}
    from messaging.tasks import multicast_plan_task

    for multicast_id in Multicast.objects.filter(
        status=Multicast.Status.PENDING, created_at__lt=now - timedelta(seconds=60)
    ).values_list("pk", flat=True)[:100]:
        multicast_plan_task.apply_async(args=[multicast_id])
        done["planned"] += 1
    chunks = MulticastChunk.objects.filter(
        status=MulticastChunk.Status.PENDING, created_at__lt=stuck, multicast__status=Multicast.Status.SENDING
    ).values_list("multicast_id", "pk")[:SWEEP_BATCH]
    for multicast_id, chunk_id in chunks:
        fanout.enqueue_fanout(multicast_id, [chunk_id])
        done["fanouts"] += 1
    done["recovered"] = deliveries_recover(before=stuck)
    waiting = (
        Delivery.objects.filter(
            status=Delivery.Status.QUEUED,
            chunk__planned_at__lt=stuck,
            multicast__status=Multicast.Status.SENDING,
        )
        .values_list("multicast_id", "chunk_id", "channel")
        .distinct()
        .order_by()[:SWEEP_BATCH]
    )
    for multicast_id, chunk_id, channel in waiting:
        fanout.enqueue_sends(chunk_id, multicast_id, [channel])
        done["sends"] += 1
    for multicast_id in Multicast.objects.filter(
        status=Multicast.Status.SENDING, outstanding__lte=0, chunks_pending__lte=0
    ).values_list("pk", flat=True)[:100]:
        done["finished"] += fanout.finish_if_done(multicast_id=multicast_id) is not None
    return done


def deliveries_recover(*, before) -> int:
    """Deliveries claimed before `before` and still `sending`: their worker died between the provider calls and the
    write. SMS: the backend is asked (by reference) — found → `sent`, certainly not there → `queued` again, cannot
    tell → `failed` with DELIVERY_UNKNOWN_ERROR (never texted twice; a manager retries the failed subset). Push: sent
    again (a duplicate push is harmless, a missing one is not). Email: `failed`, delivery unknown (as SMS)."""
    rows = list(
        Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=before).order_by("id")[:SWEEP_BATCH]
    )
    if not rows:
        return 0
    backend = sms.get_backend()
    outcomes: dict[str, list[Delivery]] = {"sent": [], "queued": [], "failed": []}
    for delivery in rows:
        if delivery.channel == Delivery.Channel.PUSH:
            outcomes["queued"].append(delivery)
            continue
        if delivery.channel == Delivery.Channel.EMAIL:
            outcomes["failed"].append(delivery)
            continue
        message = sms.SmsMessage(
            to=delivery.address, from_number="", body=delivery.body, reference=reference(delivery.pk)
        )
        try:
            found = backend.find_sent(message=message, called_at=delivery.claimed_at)
        except sms.DeliveryUnknown:
            outcomes["failed"].append(delivery)
            continue
        (outcomes["sent"] if found else outcomes["queued"]).append(delivery)
    for status, deliveries in outcomes.items():
        for delivery in deliveries:
            _recover_one(delivery, status)
    return len(rows)


def _recover_one(delivery: Delivery, status: str) -> None:
    changes = {"status": status}
    if status == Delivery.Status.SENT:
        changes["sent_at"] = timezone.now()
    elif status == Delivery.Status.FAILED:
        changes["error"] = DELIVERY_UNKNOWN_ERROR
    with transaction.atomic():
        moved = Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.SENDING, claimed_at=delivery.claimed_at
        ).update(**changes)
        if moved and status != Delivery.Status.QUEUED:
            fanout.counters_move(multicast_id=delivery.multicast_id, outstanding=-1)
    if moved and status == Delivery.Status.QUEUED:
        fanout.enqueue_sends(delivery.chunk_id, delivery.multicast_id, [delivery.channel])
    logger.info("delivery %s recovered as %s", delivery.pk, status)
