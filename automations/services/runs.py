"""Runs: asked for (run now, run later), planted by schedules, started by events; claimed once by the dispatcher,
executed once by a worker, retried with backoff when something outside failed for now (DESIGN.md §4).

Exactly once, on top of at-least-once delivery:
- the dispatcher (`runs_dispatch`, the beat job every 5 s) claims due `scheduled` rows with a conditional UPDATE per
  row (after `select_for_update(skip_locked=True)` where the database has it), so two beats, or one run twice, claim
  each row once; the claim also plants a recurring schedule's next occurrence (unique key per occurrence);
- a worker claims `queued → running` the same way, so a task delivered twice runs once;
- an `atomic` activity's effects commit together with `succeeded`: a worker that dies mid-run leaves nothing, and
  the sweeper gives the run back to the dispatcher.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from automations import schedules
from automations.activities import ActivityFailed, RunContext, TransientFailure, activity_for
from automations.models import ActionInstall, ActionRun
from automations.services.addons import addon_settings_data, allows
from automations.services.history import history_add
from automations.services.installs import plant, settings_for_run
from automations.triggers import trigger_for
from automations.variables import check
from core.exceptions import ApplicationError, ValidationFailed

logger = logging.getLogger(__name__)

Status, Source = ActionRun.Status, ActionRun.Source
DISPATCH_BATCH = 500
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
# A queued run whose task never came (lost between commit and publish) is sent again after this long.
LOST_AFTER = datetime.timedelta(minutes=2)
# A run still `running` this long after it started lost its worker (Celery's hard time limit is 5 minutes).
STUCK_AFTER = datetime.timedelta(minutes=10)


def _enqueue(run_ids: list[int]) -> None:
    from automations.tasks import run_execute_task

    def send():
        for run_id in run_ids:
            run_execute_task.delay(run_id)

    # robust: a broker that is down must not undo the committed claim; the sweeper re-sends queued runs.
    transaction.on_commit(send, robust=True)


def _check_trigger_data(install: ActionInstall, data) -> dict:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationFailed.for_field("trigger_data", "must be an object")
    schema = install.version.variables.get("trigger_data") or {"type": "object"}
    check(data, schema, field="trigger_data")
    return data


# --- asking for runs ------------------------------------------------------------------------------------------------


@transaction.atomic
def run_now(*, install: ActionInstall, trigger_data=None, by: User | None) -> ActionRun:
    """Queue a run of the install now with `trigger_data` (checked against the action's variables, as are the
    install's settings: a 422 names the field). The worker runs it after commit."""
    _require_active(install)
    trigger_data = _check_trigger_data(install, trigger_data)
    settings_for_run(install)
    now = timezone.now()
    run = ActionRun.objects.create(
        team_id=install.team_id,
        install=install,
        source=Source.MANUAL,
        trigger="manual",
        trigger_data=trigger_data,
        due_at=now,
        status=Status.QUEUED,
        claimed_at=now,
        requested_by=by,
    )
    history_add(install=install, name="run requested", message="Run now.", user=by, run=run)
    _enqueue([run.pk])
    return run


@transaction.atomic
def run_later(*, install: ActionInstall, by: User | None, run_at=None, trigger_data=None) -> ActionRun:
    """GET/POST /actions/installs/{id}/run_later: with `run_at` (an extension), one run at that time; without it,
    the install's stored schedule is planted (again) — its next occurrence, unless one is already waiting."""
    from automations.services.installs import _replan

    _require_active(install)
    if run_at is not None:
        trigger_data = _check_trigger_data(install, trigger_data)
        settings_for_run(install)
        if run_at <= timezone.now():
            raise ValidationFailed.for_field("run_at", "must be in the future")
        run = ActionRun.objects.create(
            team_id=install.team_id,
            install=install,
            source=Source.LATER,
            trigger="manual",
            trigger_data=trigger_data,
            due_at=run_at,
            requested_by=by,
        )
        history_add(install=install, name="scheduled", message=f"Once, at {run_at.isoformat()}.", user=by, run=run)
        return run
    parsed = schedules.parse(install.schedule, team_timezone=install.team.timezone)
    if parsed.kind == "none":
        raise ValidationFailed.for_field("schedule", "is empty: set run_at, cron or interval with PUT first")
    if not parsed.enabled:
        raise ValidationFailed.for_field("schedule.enabled", "is false: enable the schedule first")
    waiting = (
        ActionRun.objects.filter(
            install=install,
            status=Status.SCHEDULED,
            source=Source.SCHEDULE,
            schedule_revision=install.schedule_revision,
        )
        .order_by("due_at")
        .first()
    )
    if waiting is not None:
        return waiting
    install = ActionInstall.objects.select_for_update(of=("self",)).get(pk=install.pk)
    return _replan(install, by=by, announce=True)


def _require_active(install: ActionInstall) -> None:
    if install.deleted_at is not None:
        raise ValidationFailed.for_field("id", "This install is deleted.")
    if not install.installed:
        raise ValidationFailed.for_field("installed", "is false: the install is paused")


# --- the dispatcher -------------------------------------------------------------------------------------------------


def runs_dispatch(*, now: datetime.datetime | None = None, limit: int = DISPATCH_BATCH, max_batches: int = 20) -> int:
    """Claim every due scheduled run (batches of `limit`) and hand it to a worker; returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    for _ in range(max_batches):
        claimed, seen = _dispatch_batch(now=now, limit=limit)
        queued += claimed
        if seen < limit:
            break
    return queued


def _due_ids(now: datetime.datetime, limit: int) -> list[int]:
    due = ActionRun.objects.filter(status=Status.SCHEDULED, due_at__lte=now).order_by("due_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    return list(due.values_list("pk", flat=True)[:limit])


@transaction.atomic
def _dispatch_batch(*, now: datetime.datetime, limit: int) -> tuple[int, int]:
    ids = _due_ids(now, limit)
    runs = ActionRun.objects.filter(pk__in=ids).select_related("install__team").order_by("due_at", "pk")
    to_send = []
    for run in runs:
        # The claim: only the process whose UPDATE changed the row goes on (another dispatcher got 0).
        if not ActionRun.objects.filter(pk=run.pk, status=Status.SCHEDULED).update(
            status=Status.QUEUED, claimed_at=now, updated_at=now
        ):
            continue
        install = run.install
        if run.source == Source.SCHEDULE:
            _plant_next(run, install, now=now)
        late = (now - run.due_at).total_seconds()
        if install.deleted_at is not None or not install.installed:
            _cancel(run, "The install is deleted or paused.")
        elif run.source == Source.SCHEDULE and late > settings.AUTOMATIONS_MISSED_AFTER_SECONDS:
            _cancel(run, f"Missed: it was due at {run.due_at.isoformat()} and nothing ran it for {int(late)} s.")
        else:
            to_send.append(run.pk)
    _enqueue(to_send)
    return len(to_send), len(ids)


def _plant_next(run: ActionRun, install: ActionInstall, *, now: datetime.datetime) -> None:
    """A recurring schedule's next occurrence, planted when this one is claimed (never by a far-future task)."""
    if run.schedule_revision != install.schedule_revision or install.deleted_at is not None:
        return  # an older schedule's run (the new one planted its own)
    try:
        parsed = schedules.parse(install.schedule, team_timezone=install.team.timezone)
    except ValidationFailed:
        return
    following = parsed.next_after_due(run.due_at, now=now) if parsed.recurring and parsed.enabled else None
    if following is not None and install.installed:
        plant(install, due=following)
    ActionInstall.objects.filter(pk=install.pk).update(next_run_at=following)


def _cancel(run: ActionRun, reason: str) -> None:
    now = timezone.now()
    ActionRun.objects.filter(pk=run.pk).update(status=Status.CANCELED, error=reason, finished_at=now, updated_at=now)
    history_add(install=run.install, name="run canceled", message=reason, run=run)


# --- executing a run ------------------------------------------------------------------------------------------------


def run_execute(*, run_id: int) -> str:
    """The worker's part: claim queued → running, run the activity, record the outcome. Returns the new status, or
    "skipped" when the run was not queued (a redelivered task, a canceled run)."""
    now = timezone.now()
    if not ActionRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1, updated_at=now, error=""
    ):
        return "skipped"
    run = ActionRun.objects.select_related(
        "team", "install__team", "install__action", "install__installed_by", "install__version__activity",
        "install__addon_install__addon",
    ).get(pk=run_id)  # fmt: skip
    install = run.install
    activity = activity_for(install.version.activity.key)
    try:
        ctx = _context(run, install, activity)
    except (ValidationFailed, ActivityFailed) as exc:
        return _finish(run, Status.FAILED, error=_describe(exc))
    try:
        if activity.atomic:
            with transaction.atomic():
                result = activity.run(ctx)
                return _finish(run, Status.SUCCEEDED, result=result)
        result = activity.run(ctx)
        return _finish(run, Status.SUCCEEDED, result=result)
    except (ActivityFailed, ValidationFailed) as exc:
        return _finish(run, Status.FAILED, error=_describe(exc))
    except ApplicationError as exc:  # a service refused: permanent, like a validation error
        return _finish(run, Status.FAILED, error=exc.message)
    except TransientFailure as exc:
        return _retry_or_fail(run, str(exc))
    except Exception as exc:  # unexpected (a database hiccup, a bug): recorded and tried again with backoff
        logger.exception("Run %s of install %s failed", run.pk, install.pk)
        return _retry_or_fail(run, f"{type(exc).__name__}: {exc}")


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationFailed) and exc.details:
        return "; ".join(f"{field}: {', '.join(messages)}" for field, messages in exc.details.items())
    return getattr(exc, "message", None) or str(exc)


def _context(run: ActionRun, install: ActionInstall, activity) -> RunContext:
    """Everything the activity needs, checked now (settings complete, trigger_data, addon permissions)."""
    settings_ = settings_for_run(install)
    trigger_data = _check_trigger_data(install, run.trigger_data)
    for name, operation in activity.permissions_needed(settings_):
        if not allows(install.addon_install, name, operation):
            raise ActivityFailed(f"The addon is not allowed to {operation} ({name}): a manager withdrew it.")

    def progress(percent: float, note: str = "") -> None:
        ActionRun.objects.filter(pk=run.pk).update(
            progress=round(min(max(percent, 0), 100), 1), progress_note=note[:200], updated_at=timezone.now()
        )

    return RunContext(
        run=run,
        install=install,
        team=install.team,
        settings=settings_,
        trigger_data=trigger_data,
        addon_settings=addon_settings_data(install.addon_install),
        progress=progress,
    )


def _summary(result: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in result.items() if not isinstance(v, (dict, list)) or len(str(v)) < 120)


def _finish(run: ActionRun, status: str, *, result: dict | None = None, error: str = "") -> str:
    """Record the outcome (only a running run: a sweeper may have taken it back) and the install's last run."""
    now = timezone.now()
    changes = {"status": status, "finished_at": now, "updated_at": now, "result": result or {}, "error": error[:4000]}
    if status == Status.SUCCEEDED:
        changes["progress"] = 100
    if not ActionRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(**changes):
        return "skipped"
    ActionInstall.objects.filter(pk=run.install_id).update(last_run_at=now, last_run_status=status)
    if status == Status.SUCCEEDED:
        history_add(install=run.install, name="run succeeded", message=_summary(result or {}) or "Done.", run=run)
    else:
        history_add(install=run.install, name="run failed", message=error, run=run)
    return status


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def _retry_or_fail(run: ActionRun, error: str) -> str:
    run.refresh_from_db(fields=["attempts"])
    if run.attempts >= settings.AUTOMATIONS_MAX_ATTEMPTS:
        return _finish(run, Status.FAILED, error=f"{error} (gave up after {run.attempts} attempts)")
    due = timezone.now() + retry_delay(run.attempts)
    # Back to the dispatcher with a later due time: no countdown task (DESIGN.md §4).
    if ActionRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        status=Status.SCHEDULED, due_at=due, error=error[:4000], updated_at=timezone.now()
    ):
        message = f"Attempt {run.attempts} failed ({error}); trying again at {due.isoformat()}."
        history_add(install=run.install, name="run retrying", message=message, run=run)
    return Status.SCHEDULED


# --- events ---------------------------------------------------------------------------------------------------------


def runs_for_event(*, event: str, team_id: int, key: str, data: dict) -> list[ActionRun]:
    """core.hooks handler: a run for each live install in the team whose trigger listens to `event` and whose
    settings match it; created in the event's transaction (nothing if it rolls back), sent to a worker on commit.
    One run per install and occurrence (`key`): an event told twice starts nothing twice."""
    from automations.triggers import triggers_for_event

    trigger_keys = [t.key for t in triggers_for_event(event)]
    if not trigger_keys:
        return []
    installs = (
        ActionInstall.objects.live()
        .filter(team_id=team_id, installed=True, version__trigger__key__in=trigger_keys)
        .select_related("version__trigger")
    )
    return _start(installs, dedupe_key=f"event:{key}", data=data, matcher=True)


def _start(installs, *, dedupe_key: str, data: dict, matcher: bool) -> list[ActionRun]:
    created, now = [], timezone.now()
    for install in installs:
        trigger = trigger_for(install.version.trigger.key)
        if matcher and not trigger.matches(install.settings or {}, data):
            continue
        try:
            with transaction.atomic():
                run = ActionRun.objects.create(
                    team_id=install.team_id,
                    install=install,
                    source=Source.EVENT,
                    trigger=trigger.key,
                    dedupe_key=dedupe_key,
                    trigger_data=data,
                    due_at=now,
                    status=Status.QUEUED,
                    claimed_at=now,
                )
        except IntegrityError:
            continue  # this occurrence already started a run of this install
        history_add(install=install, name="triggered", message=f"{trigger.name}.", run=run)
        created.append(run)
    _enqueue([run.pk for run in created])
    return created


def start_for(install: ActionInstall, *, dedupe_key: str, data: dict) -> ActionRun | None:
    """A run of one install for a watched condition (automations/watchers.py), once per key."""
    runs = _start([install], dedupe_key=dedupe_key, data=data, matcher=False)
    return runs[0] if runs else None


# --- the sweeper ----------------------------------------------------------------------------------------------------


def runs_sweep(*, now: datetime.datetime | None = None) -> dict:
    """Re-send queued runs whose task was lost; give runs whose worker died back to the dispatcher (an atomic
    activity left nothing behind) or fail them (a non-atomic one may have done part of its work)."""
    now = now or timezone.now()
    lost = list(
        ActionRun.objects.filter(status=Status.QUEUED, claimed_at__lt=now - LOST_AFTER).values_list("pk", flat=True)
    )
    _enqueue(lost)
    stuck = ActionRun.objects.filter(status=Status.RUNNING, started_at__lt=now - STUCK_AFTER).select_related(
        "install__version__activity"
    )
    retried = failed = 0
    for run in stuck:
        if activity_for(run.install.version.activity.key).atomic:
            retried += _retry_or_fail(run, "The worker stopped during the run.") == Status.SCHEDULED
        else:
            failed += _finish(run, Status.FAILED, error="The worker stopped during the run; it may be half done.") != (
                "skipped"
            )
    return {"requeued": len(lost), "retried": retried, "failed": failed}


def runs_tick(*, now: datetime.datetime | None = None) -> dict:
    """The beat job: watch the time-based triggers, dispatch what is due, sweep what was lost."""
    from automations.watchers import runs_watch

    now = now or timezone.now()
    watched = runs_watch(now=now)
    queued = runs_dispatch(now=now)
    swept = runs_sweep(now=now)
    return {"watched": watched, "queued": queued, **swept}
