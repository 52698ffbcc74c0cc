"""Every write of the automations app: demo-data syncs (apply in the background, reset) and their Sync rows."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from automations.demo.builder import DemoBuilder, demo_plan
from automations.demo.reset import demo_rows_delete
from automations.models import Sync

logger = logging.getLogger(__name__)

DEMO_ITEM_TYPE = "demo_data:{seed_type}"


@transaction.atomic
def demo_apply(*, team: Team, user: User | None, seed_type: str, options: dict | None = None) -> Sync:
    """Start a demo-data sync: a pending Sync now, the generation in automations.demo_apply_task after commit.

    Raises ValidationFailed("Invalid seed type") for a seed type the document does not list, and for options out
    of their bounds (automations.demo.builder.LIMITS).
    """
    plan = demo_plan(seed_type=seed_type, options=options)
    sync = Sync.objects.create(
        team=team,
        user=user,
        status=Sync.Status.PENDING,
        direction=Sync.Direction.IMPORT,
        item_type=DEMO_ITEM_TYPE.format(seed_type=plan.seed_type),
        options=options or {},
        total_items=plan.total_items,
    )
    from automations.tasks import demo_apply_task

    transaction.on_commit(lambda: demo_apply_task.delay(sync.pk), robust=True)  # syncs_sweep re-enqueues a lost one
    return sync


def _progress(sync: Sync, *, done_stages: int, stages: int, success: int) -> None:
    Sync.objects.filter(pk=sync.pk).update(
        progress_percentage=round(100 * done_stages / stages, 1), success_items=success, updated_at=timezone.now()
    )


def demo_run(*, sync_id: int) -> bool:
    """Generate the demo team of a pending sync (the task's body). Returns False when the sync was not pending
    (a redelivered task, a canceled sync): the claim is a conditional UPDATE, so the work runs once.

    Each stage commits with its DemoRecords and the sync's progress, so `GET /syncs/{id}` shows it moving and a
    failure leaves only registered rows behind (a reset removes them).
    """
    now = timezone.now()
    claimed = Sync.objects.filter(pk=sync_id, status=Sync.Status.PENDING).update(
        status=Sync.Status.PROCESSING, started_at=now, updated_at=now
    )
    if not claimed:
        return False
    sync = Sync.objects.select_related("team", "user").get(pk=sync_id)
    seed_type = sync.item_type.split(":", 1)[-1]
    success = 0
    try:
        plan = demo_plan(seed_type=seed_type, options=sync.options)
        builder = DemoBuilder(sync=sync, plan=plan, now=now)
        counted = {"add_members", "add_shifts", "add_timesheets"}  # the items the sync's total counts
        for index, stage in enumerate(builder.STAGES, start=1):
            with transaction.atomic():
                created = getattr(builder, stage)()
                if stage in counted:
                    success += created
                _progress(sync, done_stages=index, stages=len(builder.STAGES), success=success)
    except Exception as exc:  # the sync records the failure; the task does not retry a half-built team
        logger.exception("Demo data sync %s failed", sync_id)
        Sync.objects.filter(pk=sync_id).update(
            status=Sync.Status.FAILED,
            message=f"Demo data could not be generated: {exc}"[:1000],
            failed_items=max(sync.total_items - success, 0),
            ended_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return True
    Sync.objects.filter(pk=sync_id).update(
        status=Sync.Status.COMPLETE,
        progress_percentage=100,
        total_items=success,
        success_items=success,
        failed_items=0,
        message="",
        ended_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return True


@transaction.atomic
def demo_reset(*, team: Team) -> int:
    """Remove all generated demo data of `team` (and nothing else); returns how many rows were removed."""
    return demo_rows_delete(team=team)


# A sync that stopped moving this long ago lost its worker (each stage updates `updated_at`).
STALE_AFTER = datetime.timedelta(minutes=15)
# A pending sync this old lost its enqueue (the process died between commit and publish).
LOST_AFTER = datetime.timedelta(minutes=2)


def syncs_sweep(*, now=None) -> dict:
    """Fail syncs whose worker died mid-run, and re-enqueue pending ones whose task was never published.

    Re-enqueueing is safe: demo_run claims a pending sync with a conditional UPDATE, so it runs once.
    """
    now = now or timezone.now()
    failed = Sync.objects.filter(status=Sync.Status.PROCESSING, updated_at__lt=now - STALE_AFTER).update(
        status=Sync.Status.FAILED,
        message="The worker stopped before the sync finished; reset the demo data and apply it again.",
        ended_at=now,
        updated_at=now,
    )
    lost = list(
        Sync.objects.filter(status=Sync.Status.PENDING, created_at__lt=now - LOST_AFTER).values_list("pk", flat=True)
    )
    from automations.tasks import demo_apply_task

    for sync_id in lost:
        demo_apply_task.delay(sync_id)
    return {"failed": failed, "requeued": len(lost)}
