"""The time clock: one Attendance row per clock session, one AttendancePunch per clock action (spec tommy-1
"WorkforceAttendance"; decisions in docs/decisions.md, prefix "time").

Sequencing: `start` opens a session (only when none is open: the database constraint attendance_one_open_session
backs the check); `pause`, `resume` and `stop` act on the caller's open session in this order:
start → pause | stop, pause → resume | stop, resume → pause | stop. Anything else is a validation error.
The session row shows its latest clock action (status and where it happened); its punches keep every action.

Linked to a shift through `event_id` (the Event backing the caller's shift), a session keeps the shift's timesheet
item current (workforce.services.timesheets.shift_item_sync): active while clocked in, hours computed from the
punches and rounded per the team's settings on stop. A manager's correction keeps the original values in
AttendanceEdit rows.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership
from core.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from workforce.models import Attendance, AttendanceEdit, AttendancePunch, Shift, ShiftNotice, WorkforceSettings
from workforce.services.timesheets import shift_item_sync

Status = Attendance.Status
START, PAUSE, RESUME, STOP = Status.START, Status.PAUSE, Status.RESUME, Status.STOP
NEXT = {START: {PAUSE, STOP}, PAUSE: {RESUME, STOP}, RESUME: {PAUSE, STOP}}

CHANNELS = ("mobile", "web", "kiosk")
DEFAULT_CHANNEL = "mobile"
LOCATION_FIELDS = ("latitude", "longitude", "accuracy", "address", "location_name")
CORRECTABLE_FIELDS = ("started_at", "ended_at", *LOCATION_FIELDS)


def workforce_settings_of(team) -> WorkforceSettings:
    """The team's workforce settings; the model defaults when the team never saved any (nothing is written)."""
    return WorkforceSettings.objects.filter(team=team).first() or WorkforceSettings(team=team)


def open_session(*, team, user, lock: bool = False) -> Attendance | None:
    queryset = Attendance.objects.filter(team=team, user=user).exclude(status=STOP)
    return (queryset.select_for_update(of=("self",)) if lock else queryset).first()


def _check_channel(settings: WorkforceSettings, channel: str) -> None:
    if channel not in CHANNELS:
        raise ValidationFailed.for_field("channel", f"must be one of {', '.join(CHANNELS)}.")
    if not getattr(settings, f"timeclock_enable_{channel}"):
        raise PermissionDeniedError(f"Clocking in from {channel} is disabled for this team.")


def _check_requirements(settings: WorkforceSettings, status: str, location: dict, image) -> None:
    details = {}
    if settings.timeclock_require_gps:
        for name in ("latitude", "longitude"):
            if location.get(name) is None:
                details[name] = ["is required: this team requires a GPS position on every clock action."]
    if settings.timeclock_require_photo and status in (START, STOP) and not image:
        details["image"] = ["is required: this team requires a photo when clocking in and out."]
    if details:
        raise ValidationFailed("Validation failed", details=details)


def _shift_for_event(*, team, user, event_id: int) -> Shift:
    shift = Shift.objects.filter(team=team, event_id=event_id).first()
    if shift is None:
        raise ValidationFailed.for_field("event_id", "is not the event of a shift in this team.")
    if shift.assignee_id != user.pk:
        raise ValidationFailed.for_field("event_id", "is the event of a shift that is not assigned to this employee.")
    return shift


def _cancel_forgot_clock_in(*, shift: Shift, user) -> int:
    """A clock-in cancels the shift's pending forgot-clock-in notice (a conditional UPDATE, so a dispatcher that
    already claimed it — status `sending` — is not overridden)."""
    return ShiftNotice.objects.filter(
        shift=shift, user=user, kind=ShiftNotice.Kind.FORGOT_CLOCK_IN, status=ShiftNotice.Status.SCHEDULED
    ).update(status=ShiftNotice.Status.CANCELED)


def _punch(session: Attendance, *, status: str, at, location: dict, image) -> AttendancePunch:
    punch_location = {k: location[k] for k in ("latitude", "longitude", "accuracy", "address") if k in location}
    punch_location["address"] = punch_location.get("address") or ""
    return AttendancePunch.objects.create(attendance=session, status=status, at=at, image=image, **punch_location)


def _clean_location(location: dict) -> dict:
    cleaned = {k: v for k, v in location.items() if k in LOCATION_FIELDS}
    for name in ("address", "location_name"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    return cleaned


def _sync_item(session: Attendance, settings: WorkforceSettings) -> None:
    if session.shift_id:
        shift_item_sync(shift=session.shift, user=session.user, settings=settings)


@transaction.atomic
def attendance_clock(
    *,
    team,
    user,
    status: str,
    attendance: Attendance | None = None,
    event_id: int | None = None,
    image=None,
    channel: str = DEFAULT_CHANNEL,
    enforce_settings: bool = True,
    at: datetime.datetime | None = None,
    **location,
) -> Attendance:
    """One clock action of `user` in `team`: `start` opens a session, the others advance the open one.

    `attendance` names the session a PUT addresses (it must be the open one). `enforce_settings` is False only for a
    manager's correction; clock actions (employee, kiosk or manager clock-in) obey the channel, GPS and photo rules.
    """
    settings = workforce_settings_of(team)
    location = _clean_location(location)
    if enforce_settings:
        _check_channel(settings, channel)
        _check_requirements(settings, status, location, image)
    at = at or timezone.now()
    if status == START:
        if attendance is not None:
            raise ValidationFailed.for_field("status", "a session cannot be started again; POST a new `start`.")
        return _start(team=team, user=user, settings=settings, event_id=event_id, image=image, at=at, **location)

    if attendance is not None:
        session = Attendance.objects.select_for_update(of=("self",)).filter(pk=attendance.pk).first()
        if session is None:
            raise NotFoundError("No such attendance.")
        if session.status == STOP:
            raise ValidationFailed.for_field("status", "this clock session is closed (stopped).")
    else:
        session = open_session(team=team, user=user, lock=True)
        if session is None:
            raise ValidationFailed.for_field("status", f"cannot {status}: you are not clocked in.")
    if status not in NEXT[session.status]:
        raise ValidationFailed.for_field("status", f"cannot go from {session.status} to {status}.")
    if event_id is not None and event_id != session.event_id:
        raise ValidationFailed.for_field("event_id", "cannot change during a clock session.")
    if at < session.started_at:
        raise ValidationFailed.for_field("status", "a clock action cannot be earlier than the clock-in.")

    _punch(session, status=status, at=at, location=location, image=image)
    session.status = status
    for name, value in location.items():
        setattr(session, name, value)
    if image:
        session.image = image
    if status == STOP:
        session.ended_at = at
    session.save()
    if status == STOP:
        _sync_item(session, settings)
    return session


def _start(*, team, user, settings, event_id, image, at, **location) -> Attendance:
    shift = _shift_for_event(team=team, user=user, event_id=event_id) if event_id is not None else None
    if open_session(team=team, user=user) is not None:
        raise ValidationFailed.for_field("status", "cannot start: you are already clocked in; stop that session first.")
    try:
        with transaction.atomic():
            session = Attendance.objects.create(
                team=team,
                user=user,
                status=START,
                event_id=shift.event_id if shift else None,
                shift=shift,
                image=image,
                started_at=at,
                **location,
            )
    except IntegrityError:  # a concurrent clock-in won the race for attendance_one_open_session
        raise ConflictError("You are already clocked in.") from None
    _punch(session, status=START, at=at, location=location, image=image)
    if shift is not None:
        _cancel_forgot_clock_in(shift=shift, user=user)
        shift_item_sync(shift=shift, user=user, settings=settings)
    return session


def member_of_team(*, team, user_id: int):
    """The active member `user_id` of `team` (for a manager's or kiosk clock-in), or a validation error."""
    membership = Membership.objects.active().filter(team=team, user_id=user_id).select_related("user").first()
    if membership is None:
        raise ValidationFailed.for_field("user_id", "is not an active member of this team.")
    return membership.user


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _punch_order_is_legal(punches: list[AttendancePunch]) -> bool:
    statuses = [p.status for p in sorted(punches, key=lambda p: (p.at, p.pk))]
    if not statuses or statuses[0] != START:
        return False
    for before, after in zip(statuses, statuses[1:], strict=False):
        if before == STOP or after not in NEXT[before]:
            return False
    return True


@transaction.atomic
def attendance_correct(
    *,
    attendance: Attendance,
    by,
    status: str | None = None,
    event_id: int | None = None,
    punches: list[dict] | None = None,
    **changes,
) -> Attendance:
    """A manager's correction of a session (times, location, shift link) and of its punches' times.

    The original values are kept: one AttendanceEdit row for the session's fields and one per corrected punch, each
    `{"field": [original, new]}`. A `status` different from the current one is a clock action on the employee's
    behalf (e.g. clocking out someone who forgot), without the channel/GPS/photo rules. The timesheet items of the
    shifts involved are recomputed.
    """
    session = Attendance.objects.select_for_update(of=("self",)).select_related("user").get(pk=attendance.pk)
    if status is not None and status != session.status:
        session = attendance_clock(
            team=session.team, user=session.user, status=status, attendance=session, enforce_settings=False
        )
    settings = workforce_settings_of(session.team)
    old_shift = session.shift
    session_changes: dict = {}
    all_punches = list(session.punches.all())
    punch_changes: dict[int, dict] = {}

    if event_id is not None and event_id != session.event_id:
        shift = _shift_for_event(team=session.team, user=session.user, event_id=event_id)
        session_changes["event_id"] = [session.event_id, shift.event_id]
        session.shift, session.event_id = shift, shift.event_id

    for name in CORRECTABLE_FIELDS:
        if name not in changes:
            continue
        new = changes[name]
        if name in ("address", "location_name") and new is None:
            new = ""
        if name == "ended_at" and session.status != STOP:
            raise ValidationFailed.for_field("ended_at", "can only be corrected on a stopped session.")
        if name in ("started_at", "ended_at") and new is None:
            raise ValidationFailed.for_field(name, "may not be null.")
        old = getattr(session, name)
        if old == new:
            continue
        session_changes[name] = [_json_value(old), _json_value(new)]
        setattr(session, name, new)
        if name in ("started_at", "ended_at"):
            boundary = START if name == "started_at" else STOP
            for punch in all_punches:
                if punch.status == boundary:
                    punch.at = new

    by_id = {p.pk: p for p in all_punches}
    for entry in punches or ():
        punch = by_id.get(entry.get("id"))
        if punch is None:
            raise ValidationFailed.for_field("punches", f"punch {entry.get('id')} is not part of this session.")
        diff = {}
        for name in ("at", "latitude", "longitude", "accuracy", "address"):
            if name in entry and getattr(punch, name) != entry[name]:
                diff[name] = [_json_value(getattr(punch, name)), _json_value(entry[name])]
                setattr(punch, name, entry[name] if entry[name] is not None or name != "address" else "")
        if diff:
            punch_changes[punch.pk] = diff
            if "at" in diff and punch.status == START:
                session.started_at = punch.at
            if "at" in diff and punch.status == STOP:
                session.ended_at = punch.at

    if not session_changes and not punch_changes:
        return session
    if session.ended_at is not None and session.ended_at < session.started_at:
        raise ValidationFailed.for_field("ended_at", "must not be before started_at.")
    if not _punch_order_is_legal(all_punches):
        raise ValidationFailed.for_field("punches", "the corrected times put the clock actions out of order.")

    session.save()
    AttendancePunch.objects.bulk_update(all_punches, ["at", "latitude", "longitude", "accuracy", "address"])
    edits = []
    if session_changes:
        edits.append(AttendanceEdit(attendance=session, edited_by=by, changes=session_changes))
    for punch_id, diff in punch_changes.items():
        edits.append(AttendanceEdit(attendance=session, punch_id=punch_id, edited_by=by, changes=diff))
    AttendanceEdit.objects.bulk_create(edits)

    for shift in {s for s in (old_shift, session.shift) if s is not None}:
        shift_item_sync(shift=shift, user=session.user, settings=settings)
    return session
