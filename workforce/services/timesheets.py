"""Timesheets (pay periods with an approval status) and their items (spec tommy-1 "WorkforceTimesheet",
"WorkforceTimesheetItem"; decisions in docs/decisions.md, prefix "time").

Statuses: unsubmitted ↔ submitted by the employee; preapproved / approved / denied by a manager (one by one or in
bulk, all-or-nothing). An approved timesheet and its items are locked; a manager un-approves by setting another
status. One timesheet per employee and day: periods of one employee do not overlap, so "the timesheet covering a
date" is unique.

Items: one per (shift, employee) (database constraint). Clock sessions keep the item of their shift current
(`shift_item_sync`); hand-entered items are `manual`.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from core import hooks
from core.exceptions import PermissionDeniedError, ValidationFailed
from workforce.models import Attendance, Shift, Timesheet, TimesheetItem
from workforce.services.rounding import Durations, rounded_hours, session_durations

Status = Timesheet.Status
EMPLOYEE_STATUSES = (Status.UNSUBMITTED, Status.SUBMITTED)
DECIDED_STATUSES = (Status.PREAPPROVED, Status.APPROVED, Status.DENIED)
RESOURCE_USER, RESOURCE_TEAM_MEMBER = "User", "TeamMember"
EDITABLE_FIELDS = ("start_date", "end_date", "manual")


def local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


# --- timesheets ---------------------------------------------------------------------------------------------------


def covering_timesheet(*, team, user, day: datetime.date) -> Timesheet | None:
    """The employee's timesheet whose period contains `day`, unless it is approved (locked)."""
    return (
        Timesheet.objects.filter(team=team, user=user, start_date__lte=day, end_date__gte=day)
        .exclude(status=Status.APPROVED)
        .first()
    )


def timesheet_owner(*, team, resource_type: str | None, resource_id: int | None):
    """The employee a timesheet belongs to: resource_type "User" (resource_id = user id) or "TeamMember"
    (resource_id = membership id); an active member of `team` either way."""
    resource_type = resource_type or RESOURCE_USER
    if resource_id is None:
        raise ValidationFailed.for_field("resource_id", "is required: the employee the timesheet is for.")
    memberships = Membership.objects.active().filter(team=team).select_related("user")
    if resource_type == RESOURCE_USER:
        membership = memberships.filter(user_id=resource_id).first()
    elif resource_type == RESOURCE_TEAM_MEMBER:
        membership = memberships.filter(pk=resource_id).first()
    else:
        raise ValidationFailed.for_field("resource_type", f"must be {RESOURCE_USER} or {RESOURCE_TEAM_MEMBER}.")
    if membership is None:
        raise ValidationFailed.for_field("resource_id", "is not an active member of this team.")
    return membership.user


def _check_period(timesheet: Timesheet) -> None:
    if timesheet.start_date is None or timesheet.end_date is None:
        details = {"start_date": ["is required."], "end_date": ["is required."]}
        raise ValidationFailed("A timesheet needs start_date and end_date.", details=details)
    if timesheet.start_date > timesheet.end_date:
        raise ValidationFailed.for_field("end_date", "must be on or after start_date.")
    overlapping = Timesheet.objects.filter(
        team_id=timesheet.team_id,
        user_id=timesheet.user_id,
        start_date__lte=timesheet.end_date,
        end_date__gte=timesheet.start_date,
    ).exclude(pk=timesheet.pk)
    if overlapping.exists():
        raise ValidationFailed.for_field("start_date", "overlaps another timesheet of this employee.")


def _set_status(timesheet: Timesheet, status: str, *, by, now) -> None:
    if status == timesheet.status:
        return
    timesheet.status = status
    if status == Status.SUBMITTED:
        timesheet.submitted_at = now
        _announce_submitted(timesheet)
    if status in DECIDED_STATUSES:
        timesheet.decided_by, timesheet.decided_at = by, now
    else:
        timesheet.decided_by, timesheet.decided_at = None, None


def _announce_submitted(timesheet: Timesheet) -> None:
    """Installed automations listening to "timesheet submitted" start their runs (core.hooks; once per submit)."""
    data = {
        "timesheet_id": timesheet.pk,
        "user_id": timesheet.user_id,
        "start_date": str(timesheet.start_date),
        "end_date": str(timesheet.end_date),
    }
    key = f"timesheet:{timesheet.pk}:submitted:{timesheet.submitted_at.isoformat()}"
    hooks.emit(hooks.TIMESHEET_SUBMITTED, team_id=timesheet.team_id, key=key, data=data)


def _attach_loose_items(timesheet: Timesheet) -> int:
    """Items of the employee not on any timesheet whose day falls in the period join it."""
    period = (timesheet.start_date, timesheet.end_date)
    in_period = Q(shift__start_at__date__range=period) | Q(shift__isnull=True, started_at__date__range=period)
    ids = list(
        TimesheetItem.objects.filter(team_id=timesheet.team_id, user_id=timesheet.user_id, timesheet__isnull=True)
        .filter(in_period)
        .values_list("pk", flat=True)
    )
    return TimesheetItem.objects.filter(pk__in=ids).update(timesheet=timesheet, updated_at=timezone.now())


@transaction.atomic
def timesheet_create(
    *,
    team,
    by,
    start_date: datetime.date,
    end_date: datetime.date,
    resource_type: str | None = None,
    resource_id: int | None = None,
    status: str = Status.UNSUBMITTED,
    manual: bool = False,
) -> Timesheet:
    """A manager opens a pay period for an employee; the employee's loose items in the period join it."""
    user = timesheet_owner(team=team, resource_type=resource_type, resource_id=resource_id)
    timesheet = Timesheet(
        team=team,
        user=user,
        resource_type=resource_type or RESOURCE_USER,
        resource_id=resource_id,
        start_date=start_date,
        end_date=end_date,
        manual=manual,
    )
    _check_period(timesheet)
    _set_status(timesheet, status, by=by, now=timezone.now())
    timesheet.save()
    _attach_loose_items(timesheet)
    return timesheet


def _changed(timesheet: Timesheet, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if getattr(timesheet, name) != value}


def _apply_manager_change(timesheet: Timesheet, fields: dict, *, by, now, has_active_items: bool) -> None:
    """Validate and apply a manager's change in memory (the caller saves)."""
    changes = _changed(timesheet, fields)
    status = changes.pop("status", None)
    resource = {k: changes.pop(k) for k in ("resource_type", "resource_id") if k in changes}
    if resource:
        raise ValidationFailed.for_field(next(iter(resource)), "the employee of a timesheet cannot change.")
    if changes and timesheet.is_locked and status in (None, Status.APPROVED):
        raise ValidationFailed("An approved timesheet is locked; set another status to change it.")
    for name, value in changes.items():
        setattr(timesheet, name, value)
    if "start_date" in changes or "end_date" in changes:
        _check_period(timesheet)
    if status == Status.APPROVED and has_active_items:
        raise ValidationFailed.for_field("status", "an employee is still clocked in on an item of this timesheet.")
    if status is not None:
        _set_status(timesheet, status, by=by, now=now)


@transaction.atomic
def timesheet_update_by_manager(*, timesheet: Timesheet, by, **fields) -> Timesheet:
    """Any field but the owner; `status` to any value (un-approving is setting another status)."""
    timesheet = Timesheet.objects.select_for_update(of=("self",)).get(pk=timesheet.pk)
    active = timesheet.items.filter(active=True).exists()
    _apply_manager_change(timesheet, fields, by=by, now=timezone.now(), has_active_items=active)
    timesheet.save()
    return timesheet


@transaction.atomic
def timesheets_bulk_update(*, team, by, timesheet_ids: list[int], **fields) -> list[Timesheet]:
    """The same fields on every listed timesheet of `team`, all or nothing."""
    ids = list(dict.fromkeys(timesheet_ids))
    if not ids:
        raise ValidationFailed.for_field("timesheet_ids", "must list at least one timesheet.")
    timesheets = list(Timesheet.objects.select_for_update(of=("self",)).filter(team=team, pk__in=ids).order_by("pk"))
    unknown = sorted(set(ids) - {t.pk for t in timesheets})
    if unknown:
        raise ValidationFailed.for_field("timesheet_ids", f"unknown in this team: {', '.join(map(str, unknown))}.")
    with_active = set(
        TimesheetItem.objects.filter(timesheet_id__in=ids, active=True).values_list("timesheet_id", flat=True)
    )
    now = timezone.now()
    for timesheet in timesheets:
        try:
            _apply_manager_change(timesheet, fields, by=by, now=now, has_active_items=timesheet.pk in with_active)
        except ValidationFailed as exc:
            raise ValidationFailed(f"Timesheet {timesheet.pk}: {exc.message}", details=exc.details) from None
        timesheet.updated_at = now
    Timesheet.objects.bulk_update(
        timesheets,
        ["start_date", "end_date", "manual", "status", "submitted_at", "decided_by", "decided_at", "updated_at"],
    )
    return timesheets


@transaction.atomic
def timesheet_update_by_employee(*, timesheet: Timesheet, user, **fields) -> Timesheet:
    """The employee submits or unsubmits their own timesheet; nothing else, and not once a manager decided."""
    timesheet = Timesheet.objects.select_for_update(of=("self",)).get(pk=timesheet.pk)
    if timesheet.user_id != user.pk:
        raise PermissionDeniedError("This is not your timesheet.")
    if timesheet.status in DECIDED_STATUSES:
        raise PermissionDeniedError(f"This timesheet is {timesheet.status}; only a manager can change it now.")
    changes = _changed(timesheet, fields)
    status = changes.pop("status", None)
    if changes:
        raise PermissionDeniedError(f"Employees may only submit or unsubmit a timesheet (not {', '.join(changes)}).")
    if status is not None and status not in EMPLOYEE_STATUSES:
        raise PermissionDeniedError("Employees may only submit or unsubmit a timesheet.")
    if status is not None:
        _set_status(timesheet, status, by=user, now=timezone.now())
        timesheet.save()
    return timesheet


@transaction.atomic
def timesheet_delete_by_employee(*, timesheet: Timesheet, user) -> None:
    """Only an unsubmitted timesheet; its manual items go with it, clock items stay (detached)."""
    timesheet = Timesheet.objects.select_for_update(of=("self",)).get(pk=timesheet.pk)
    if timesheet.user_id != user.pk:
        raise PermissionDeniedError("This is not your timesheet.")
    if timesheet.status != Status.UNSUBMITTED:
        raise PermissionDeniedError(f"This timesheet is {timesheet.status}; only unsubmitted ones can be deleted.")
    timesheet.items.filter(manual=False).update(timesheet=None, updated_at=timezone.now())
    timesheet.items.all().delete()
    timesheet.delete()


# --- items ----------------------------------------------------------------------------------------------------------


def _locked(item: TimesheetItem) -> bool:
    return item.timesheet_id is not None and item.timesheet.is_locked


def shift_item_sync(*, shift: Shift, user, settings) -> TimesheetItem | None:
    """Make the (shift, employee) item match the employee's clock sessions on that shift.

    Hours: the sum of the stopped sessions, rounded per `settings`; `active` while a session is open. The item is
    clock-derived (manual false) and joins the employee's covering, non-approved timesheet when it has none.
    With no session left (a correction moved it to another shift) a clock-derived item is deleted.
    """
    sessions = list(
        Attendance.objects.filter(team_id=shift.team_id, user=user, shift=shift).prefetch_related("punches")
    )
    item = (
        TimesheetItem.objects.select_for_update(of=("self",))
        .select_related("timesheet")
        .filter(shift=shift, user=user)
        .first()
    )
    if item is not None and _locked(item):
        raise ValidationFailed("The timesheet of this shift is approved; its items are locked.")
    if not sessions:
        if item is not None and not item.manual:
            item.delete()
        return None
    stopped = [s for s in sessions if s.status == Attendance.Status.STOP]
    work = brk = 0
    for session in stopped:
        durations = session_durations([(p.status, p.at) for p in session.punches.all()])
        work, brk = work + durations.work_seconds, brk + durations.break_seconds
    work_hours, break_hours = rounded_hours(
        Durations(work, brk),
        method=settings.timesheets_rounding_method,
        step_minutes=settings.timesheets_rounding_minutes,
        round_breaks=settings.timesheets_enable_break_rounding,
    )
    active = len(stopped) < len(sessions)
    values = {
        "work_hours": work_hours,
        "break_hours": break_hours,
        "active": active,
        "manual": False,
        "started_at": min(s.started_at for s in sessions),
        "ended_at": None if active else max(s.ended_at for s in stopped),
    }
    if item is None:
        first = min(sessions, key=lambda s: s.started_at)
        timesheet = covering_timesheet(team=shift.team, user=user, day=local_date(shift.start_at))
        try:
            with transaction.atomic():
                return TimesheetItem.objects.create(
                    team_id=shift.team_id, shift=shift, user=user, timesheet=timesheet, address=first.address, **values
                )
        except IntegrityError:
            item = TimesheetItem.objects.select_for_update(of=("self",)).get(shift=shift, user=user)
    for name, value in values.items():
        setattr(item, name, value)
    if item.timesheet_id is None:
        item.timesheet = covering_timesheet(team=shift.team, user=user, day=local_date(shift.start_at))
    item.save()
    return item


def _item_timesheet(*, team, timesheet_id, owner_id: int | None, caller, as_manager: bool) -> Timesheet:
    """The timesheet an item goes on, locked against a concurrent approval."""
    timesheet = None
    if timesheet_id is not None:
        timesheet = Timesheet.objects.select_for_update(of=("self",)).filter(team=team, pk=timesheet_id).first()
    if timesheet is None or (not as_manager and timesheet.user_id != caller.pk):
        message = "is not a timesheet of this team." if as_manager else "is not one of your timesheets."
        raise ValidationFailed.for_field("timesheet_id", message)
    if owner_id is not None and timesheet.user_id != owner_id:
        raise ValidationFailed.for_field("timesheet_id", "belongs to another employee than this item.")
    if timesheet.is_locked:
        raise ValidationFailed.for_field("timesheet_id", "is approved; its items are locked.")
    return timesheet


def _item_shift(*, team, shift_id, owner_id: int, item: TimesheetItem | None = None) -> Shift:
    shift = Shift.objects.filter(team=team, pk=shift_id).first()
    if shift is None:
        raise ValidationFailed.for_field("shift_id", "is not a shift of this team.")
    if shift.assignee_id != owner_id:
        raise ValidationFailed.for_field("shift_id", "is not assigned to the employee of this item.")
    taken = TimesheetItem.objects.filter(shift=shift, user_id=owner_id)
    if item is not None:
        taken = taken.exclude(pk=item.pk)
    if taken.exists():
        raise ValidationFailed.for_field("shift_id", "already has a timesheet item for this employee.")
    return shift


@transaction.atomic
def timesheet_item_create(
    *,
    team,
    by,
    as_manager: bool,
    timesheet_id: int | None = None,
    shift_id: int | None = None,
    work_hours: float = 0,
    break_hours: float = 0,
    address: str = "",
    manual: bool = True,
) -> TimesheetItem:
    """A hand-entered item on a non-approved timesheet (the caller's own, or any of the team's for a manager);
    the item's employee is the timesheet's. Employees' items are always manual."""
    timesheet = _item_timesheet(team=team, timesheet_id=timesheet_id, owner_id=None, caller=by, as_manager=as_manager)
    shift = _item_shift(team=team, shift_id=shift_id, owner_id=timesheet.user_id) if shift_id is not None else None
    try:
        with transaction.atomic():
            return TimesheetItem.objects.create(
                team=team,
                timesheet=timesheet,
                shift=shift,
                user_id=timesheet.user_id,
                work_hours=work_hours,
                break_hours=break_hours,
                address=address or "",
                manual=manual if as_manager else True,
            )
    except IntegrityError:
        raise ValidationFailed.for_field("shift_id", "already has a timesheet item for this employee.") from None


def _check_item_editable(item: TimesheetItem) -> None:
    if item.active:
        raise ValidationFailed("The employee is clocked in on this item; it changes when they clock out.")
    if _locked(item):
        raise ValidationFailed("The timesheet of this item is approved; its items are locked.")


@transaction.atomic
def timesheet_item_update(*, item: TimesheetItem, by, as_manager: bool, **fields) -> TimesheetItem:
    """Employees: their own items; hours and `manual` only on manual items. Managers: any team item."""
    item = TimesheetItem.objects.select_for_update(of=("self",)).select_related("timesheet").get(pk=item.pk)
    _check_item_editable(item)
    changes = {name: value for name, value in fields.items() if getattr(item, name) != value}
    if not as_manager:
        clock_fields = [name for name in ("work_hours", "break_hours", "manual") if name in changes]
        if clock_fields and not item.manual:
            raise ValidationFailed.for_field(clock_fields[0], "comes from the time clock; ask a manager to correct it.")
        if "manual" in changes:
            raise ValidationFailed.for_field("manual", "cannot be changed by an employee.")
    if "timesheet_id" in changes:
        item.timesheet = _item_timesheet(
            team=item.team,
            timesheet_id=changes.pop("timesheet_id"),
            owner_id=item.user_id,
            caller=by,
            as_manager=as_manager,
        )
    if "shift_id" in changes:
        shift_id = changes.pop("shift_id")
        item.shift = (
            _item_shift(team=item.team, shift_id=shift_id, owner_id=item.user_id, item=item) if shift_id else None
        )
    for name, value in changes.items():
        setattr(item, name, "" if name == "address" and value is None else value)
    item.save()
    return item


@transaction.atomic
def timesheet_item_delete_by_employee(*, item: TimesheetItem, user) -> None:
    item = TimesheetItem.objects.select_for_update(of=("self",)).select_related("timesheet").get(pk=item.pk)
    if item.user_id != user.pk:
        raise PermissionDeniedError("This is not your timesheet item.")
    _check_item_editable(item)
    if not item.manual:
        raise ValidationFailed("This item comes from the time clock; ask a manager to correct it.")
    item.delete()
