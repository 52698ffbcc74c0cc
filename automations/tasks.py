"""Celery tasks of the automations app: thin, idempotent, take ids, call services (DESIGN.md §4)."""

from celery import shared_task

from automations import services


@shared_task(name="automations.demo_apply_task", acks_late=True, reject_on_worker_lost=True)
def demo_apply_task(sync_id: int) -> bool:
    """Build the demo team of one pending Sync; a redelivery finds it no longer pending and does nothing."""
    return services.demo_run(sync_id=sync_id)


@shared_task(name="automations.syncs_sweep_task", acks_late=True, expires=240)
def syncs_sweep_task() -> dict:
    return services.syncs_sweep()


@shared_task(name="automations.run_execute_task", acks_late=True, reject_on_worker_lost=True)
def run_execute_task(run_id: int) -> str:
    """Run one queued ActionRun; a redelivery finds it no longer queued and does nothing."""
    from automations.services.runs import run_execute

    return run_execute(run_id=run_id)


@shared_task(name="automations.runs_tick_task", acks_late=True, expires=4)
def runs_tick_task() -> dict:
    """The beat job (every 5 s): watched triggers, due runs, lost runs (automations/services/runs.py)."""
    from automations.services.runs import runs_tick

    return runs_tick()
