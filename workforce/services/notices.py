"""Shift reminders by SMS (DESIGN.md §4, issue 4 "Scheduled work"): plan them as rows, send each exactly once.

`notices_plan` materialises one ShiftNotice per (shift, employee, kind) for published, assigned shifts in a window
around now; `notices_dispatch` claims the due rows with a conditional UPDATE (scheduled → sending, inside the same
transaction that queues the Text and marks the row sent), re-checks that the notice still makes sense and sends one
SMS through messaging.services.text_queue, or cancels it. One beat job (workforce.notices_tick_task) runs both every
30 s; nothing is ever scheduled as a far-future Celery ETA.

Kinds:
- upcoming: `shift_upcoming_notification_minutes` before the start, while the shift has not started;
- forgot_clock_in: `shift_forgot_clockin_minutes` after the start, if the assignee has no session for the shift;
- forgot_clock_out: `shift_forgot_clockout_minutes` after the end, if a session for the shift is still open;
- published: written by workforce.services.publishing when shifts are published (due at once, sent right after
  commit); the rows a crash left scheduled are sent here, still one text per employee and publish.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from messaging.models import Text
from messaging.services import text_queue
from workforce.models import Attendance, Shift, ShiftNotice, WorkforceSettings
from workforce.services import publishing

logger = logging.getLogger(__name__)

Kind = ShiftNotice.Kind
Status = ShiftNotice.Status

REMINDER_KINDS = (Kind.UPCOMING, Kind.FORGOT_CLOCK_IN, Kind.FORGOT_CLOCK_OUT)
# Shifts starting within this window are planned; a reminder asked further ahead is sent when the shift enters it.
LOOKAHEAD = timedelta(hours=48)
# Shifts that ended longer ago than this are not planned any more (forgot-clock-out is due after the end).
LOOKBACK = timedelta(hours=24)
# A reminder more than this late (beat was down, the row was re-planned late) is canceled instead of sent.
MAX_LATENESS = timedelta(hours=6)
DISPATCH_BATCH = 500


@dataclass(frozen=True)
class TickResult:
    planned: int
    sent: int
    canceled: int
    rescheduled: int


def _settings_by_team(team_ids) -> dict[int, WorkforceSettings]:
    """Each team's WorkforceSettings; a team that never saved them gets the defaults (notifications on)."""
    team_ids = set(team_ids)
    found = {ws.team_id: ws for ws in WorkforceSettings.objects.filter(team_id__in=team_ids)}
    return {team_id: found.get(team_id) or WorkforceSettings(team_id=team_id) for team_id in team_ids}


def due_at_for(*, kind: str, shift: Shift, settings: WorkforceSettings) -> datetime | None:
    """When a reminder of `kind` about `shift` is due under the team's current settings (None: not computed)."""
    if kind == Kind.UPCOMING:
        return shift.start_at - timedelta(minutes=settings.shift_upcoming_notification_minutes)
    if kind == Kind.FORGOT_CLOCK_IN:
        return shift.start_at + timedelta(minutes=settings.shift_forgot_clockin_minutes)
    if kind == Kind.FORGOT_CLOCK_OUT:
        return shift.end_at + timedelta(minutes=settings.shift_forgot_clockout_minutes)
    return None


def notices_plan(*, now: datetime | None = None) -> int:
    """Write the reminder rows of published, assigned shifts around `now`; returns how many rows were added.

    Existing scheduled rows whose shift moved (or whose team changed its minutes) get their `due_at` refreshed.
    Idempotent: the unique (shift, user, kind) key and `ignore_conflicts` make concurrent runs harmless.
    """
    now = now or timezone.now()
    shifts = list(
        Shift.objects.filter(
            status=Shift.Status.PUBLISHED,
            assignee__isnull=False,
            start_at__lte=now + LOOKAHEAD,
            end_at__gte=now - LOOKBACK,
        )
        .exclude(data__has_key="demo")  # generated demo shifts (automations.demo): their people have made-up phones
        .only("id", "team_id", "assignee_id", "start_at", "end_at")
    )
    if not shifts:
        return 0
    settings = _settings_by_team(shift.team_id for shift in shifts)
    existing = {
        (notice.shift_id, notice.user_id, notice.kind): notice
        for notice in ShiftNotice.objects.filter(
            shift_id__in=[shift.pk for shift in shifts], kind__in=REMINDER_KINDS
        ).only("id", "shift_id", "user_id", "kind", "status", "due_at")
    }
    new, moved = [], []
    for shift in shifts:
        team_settings = settings[shift.team_id]
        if not team_settings.shift_notifications_enabled:
            continue
        for kind in REMINDER_KINDS:
            due = due_at_for(kind=kind, shift=shift, settings=team_settings)
            notice = existing.get((shift.pk, shift.assignee_id, kind))
            if notice is not None:
                if notice.status == Status.SCHEDULED and notice.due_at != due:
                    notice.due_at = due
                    moved.append(notice)
                continue
            if due + MAX_LATENESS < now:
                continue  # planned too late to be of use (e.g. a shift published after it ended)
            if kind == Kind.UPCOMING and shift.start_at <= now:
                continue
            new.append(
                ShiftNotice(team_id=shift.team_id, shift_id=shift.pk, user_id=shift.assignee_id, kind=kind, due_at=due)
            )
    with transaction.atomic():
        if moved:
            # Only rows still scheduled: a dispatcher may have claimed one meanwhile (then it re-checks anyway).
            for notice in moved:
                ShiftNotice.objects.filter(pk=notice.pk, status=Status.SCHEDULED).update(due_at=notice.due_at)
        ShiftNotice.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


# --- dispatch --------------------------------------------------------------------------------------------------------


def _team_zone(team) -> ZoneInfo:
    try:
        return ZoneInfo(team.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def notice_body(notice: ShiftNotice) -> str:
    """The SMS text of a notice, with times in the team's time zone."""
    shift, team = notice.shift, notice.team
    zone = _team_zone(team)
    start, end = shift.start_at.astimezone(zone), shift.end_at.astimezone(zone)
    title = shift.title or "your shift"
    where = f" at {shift.location_name}" if shift.location_name else ""
    if notice.kind == Kind.UPCOMING:
        return f"{team.name}: reminder, {title}{where} starts at {start:%H:%M} on {start:%a %d %b}."
    if notice.kind == Kind.FORGOT_CLOCK_IN:
        return f"{team.name}: you have not clocked in for {title}{where}, which started at {start:%H:%M}."
    if notice.kind == Kind.FORGOT_CLOCK_OUT:
        return f"{team.name}: you are still clocked in for {title}, which ended at {end:%H:%M}. Please clock out."
    return f"{team.name}: new shift published, {title}{where} on {start:%a %d %b} {start:%H:%M}–{end:%H:%M}."


@dataclass(frozen=True)
class _Context:
    now: datetime
    settings: dict[int, WorkforceSettings]
    members: set[tuple[int, int]]  # (team_id, user_id) of active memberships
    sessions: set[tuple[int, int]]  # (shift_id, user_id) with any attendance session for the shift
    open_sessions: set[tuple[int, int]]  # (shift_id, user_id) with a session not stopped


def _context(notices: list[ShiftNotice], now: datetime) -> _Context:
    """Everything the re-checks need for a batch, in a constant number of queries."""
    team_ids = {n.team_id for n in notices}
    user_ids = {n.user_id for n in notices}
    members = set(
        Membership.objects.active().filter(team_id__in=team_ids, user_id__in=user_ids).values_list("team_id", "user_id")
    )
    shifts = {n.shift_id: n.shift for n in notices if n.kind in (Kind.FORGOT_CLOCK_IN, Kind.FORGOT_CLOCK_OUT)}
    sessions, open_sessions = set(), set()
    if shifts:
        event_to_shift = {shift.event_id: shift_id for shift_id, shift in shifts.items()}
        rows = Attendance.objects.filter(
            Q(shift_id__in=list(shifts)) | Q(event_id__in=list(event_to_shift)), user_id__in=user_ids
        ).values_list("shift_id", "event_id", "user_id", "status")
        for shift_id, event_id, user_id, status in rows:
            for key in {shift_id, event_to_shift.get(event_id)} - {None}:
                sessions.add((key, user_id))
                if status != Attendance.Status.STOP:
                    open_sessions.add((key, user_id))
    return _Context(now, _settings_by_team(team_ids), members, sessions, open_sessions)


def _verdict(notice: ShiftNotice, ctx: _Context) -> tuple[str, datetime | None]:
    """("send", None), ("cancel", None) or ("reschedule", new due_at) for a claimed notice."""
    shift, now = notice.shift, ctx.now
    settings = ctx.settings[notice.team_id]
    if not settings.shift_notifications_enabled:
        return "cancel", None
    if shift.status != Shift.Status.PUBLISHED or shift.team_id != notice.team_id:
        return "cancel", None
    if notice.kind == Kind.PUBLISHED:
        stale = now - notice.due_at > MAX_LATENESS or now >= shift.end_at
        if stale or shift.assignee_id not in (None, notice.user_id):
            return "cancel", None
    elif shift.assignee_id != notice.user_id:
        return "cancel", None
    if (notice.team_id, notice.user_id) not in ctx.members or not notice.user.phone:
        return "cancel", None
    due = due_at_for(kind=notice.kind, shift=shift, settings=settings)
    if due is not None:
        if due > now:
            return "reschedule", due  # the shift moved later, or the team asked for a different lead time
        if now - due > MAX_LATENESS:
            return "cancel", None
    key = (shift.pk, notice.user_id)
    if notice.kind == Kind.UPCOMING and now >= shift.start_at:
        return "cancel", None
    if notice.kind == Kind.FORGOT_CLOCK_IN and (key in ctx.sessions or now >= shift.end_at):
        return "cancel", None
    if notice.kind == Kind.FORGOT_CLOCK_OUT and key not in ctx.open_sessions:
        return "cancel", None
    return "send", None


def _due_rows(now: datetime, limit: int):
    queryset = ShiftNotice.objects.filter(status=Status.SCHEDULED, due_at__lte=now).order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: a concurrent dispatcher skips the rows this one holds instead of waiting for them.
        queryset = queryset.select_for_update(skip_locked=True)
    return list(queryset.values_list("id", flat=True)[:limit])


@transaction.atomic
def _dispatch_batch(*, now: datetime, limit: int) -> tuple[int, int, int, int]:
    ids = _due_rows(now, limit)
    if not ids:
        return 0, 0, 0, 0
    # The claim: only rows still scheduled move; a concurrent or redelivered run finds none of them.
    ShiftNotice.objects.filter(pk__in=ids, status=Status.SCHEDULED).update(status=Status.SENDING)
    notices = list(
        ShiftNotice.objects.filter(pk__in=ids, status=Status.SENDING).select_related("shift", "user", "team")
    )
    ctx = _context(notices, now)
    sent, canceled, rescheduled, published = [], [], [], []
    for notice in notices:
        verdict, due = _verdict(notice, ctx)
        if verdict == "cancel":
            canceled.append(notice.pk)
        elif verdict == "reschedule":
            notice.status, notice.due_at = Status.SCHEDULED, due
            rescheduled.append(notice)
        elif notice.kind == Kind.PUBLISHED:
            published.append(notice)  # sent below: one text per employee and publish
        else:
            body = notice_body(notice)
            if _queue(notice, body, canceled):
                sent.append(notice)
    for rows in publishing.group(published):
        body = publishing.published_body(team=rows[0].team, entries=publishing.entries_of(rows))
        text = _queue(rows[0], body, canceled)
        for notice in rows[1:]:
            if text is None:
                canceled.append(notice.pk)
            else:
                notice.text = text
        if text is not None:
            sent.extend(rows)
    for notice in sent:
        notice.status, notice.sent_at = Status.SENT, now
    ShiftNotice.objects.bulk_update(sent, ["status", "text", "sent_at"], batch_size=500)
    ShiftNotice.objects.bulk_update(rescheduled, ["status", "due_at"], batch_size=500)
    ShiftNotice.objects.filter(pk__in=canceled, status=Status.SENDING).update(status=Status.CANCELED)
    return len(notices), len(sent), len(canceled), len(rescheduled)


def _queue(notice: ShiftNotice, body: str, canceled: list[int]):
    """Queue the Text of `notice` (set on it); on failure the notice is canceled and None returned."""
    try:
        with transaction.atomic():
            notice.text = text_queue(
                to=notice.user.phone, body=body, purpose=Text.Purpose.NOTIFICATION, team_id=notice.team_id
            )
    except Exception:  # one bad row must not hold back the others forever
        logger.exception("Shift notice %s could not be queued; canceled", notice.pk)
        canceled.append(notice.pk)
        return None
    return notice.text


def notices_dispatch(*, now: datetime | None = None, limit: int = DISPATCH_BATCH, max_batches: int = 20) -> dict:
    """Send every due notice once. Claim, re-check, Text and status change commit together per batch, so a
    crash leaves the rows scheduled (retried next tick) and never a sent SMS with a scheduled row."""
    now = now or timezone.now()
    totals = {"sent": 0, "canceled": 0, "rescheduled": 0}
    for _ in range(max_batches):
        claimed, sent, canceled, rescheduled = _dispatch_batch(now=now, limit=limit)
        totals["sent"] += sent
        totals["canceled"] += canceled
        totals["rescheduled"] += rescheduled
        if claimed < limit:
            break
    return totals


def notices_tick(*, now: datetime | None = None) -> TickResult:
    """The beat job: plan, then dispatch."""
    now = now or timezone.now()
    planned = notices_plan(now=now)
    totals = notices_dispatch(now=now)
    return TickResult(planned=planned, **totals)


@transaction.atomic
def notices_cancel(*, shift_id: int, user_id: int | None = None, kinds=REMINDER_KINDS) -> int:
    """Cancel the scheduled notices of a shift (e.g. on clock-in, unpublish or delete); returns how many."""
    queryset = ShiftNotice.objects.filter(shift_id=shift_id, status=Status.SCHEDULED, kind__in=list(kinds))
    if user_id is not None:
        queryset = queryset.filter(user_id=user_id)
    return queryset.update(status=Status.CANCELED)
