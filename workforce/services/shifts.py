"""Shifts: the open → assigned → published lifecycle, the backing Event, publishing notices, deletion, and the lean
read path the shift lists use (spec tommy-1 "Resource: WorkforceShift"; DESIGN.md §6).

Writes are keyword-only and atomic. A shift always has its Event (kind "shift", same title and times), written in the
same transaction. Publishing notifies each affected employee once per publish, one SMS listing their new and
changed shifts (workforce.services.publishing).
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Team, User
from core import hooks
from core.exceptions import ValidationFailed
from workforce import selectors
from workforce.models import Event, Shift, ShiftNotice, ShiftRequest
from workforce.services import publishing
from workforce.services.shift_cache import shifts_changed

EVENT_KIND = "shift"
STATUS = Shift.Status
# Every documented WorkforceShift field, in the order the lean read path selects them.
ROW_FIELDS = (
    "id",
    "user_id",
    "team_id",
    "assignee_id",
    "event_id",
    "title",
    "start_at",
    "end_at",
    "status",
    "location_id",
    "location_name",
    "role",
    "department",
    "details",
    "data",
)
# The longest shift: generous for multi-day on-call duty; a typo in a year (2000 for 2026) is refused instead of
# becoming a 26-year shift whose availability check, reminders and timesheet would all be nonsense.
MAX_SHIFT_LENGTH = datetime.timedelta(days=7)
# How far around a page the viewer's shifts are read for `shift_on_same_day`. A local day can last 25 hours (DST
# ends) or more, so two starts on one local day can be more than a day apart: one day of margin missed them.
SAME_DAY_MARGIN = datetime.timedelta(days=2)
EDITABLE = ("title", "start_at", "end_at", "location_id", "location_name", "role", "department", "details", "data")


def team_zone(team: Team) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(team.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


# --- reads (lean path) -------------------------------------------------------------------------------------------


def shifts_annotated(queryset: QuerySet[Shift], *, viewer: User) -> QuerySet:
    """`queryset` as plain dicts of every documented field plus `shift_requested` (the viewer has a live —
    requested/shortlisted/approved — request for the shift), an EXISTS subquery in the same query.

    `shift_on_same_day` is added to a fetched page by `mark_same_day` (one more query, whatever the page size).
    """
    live = ShiftRequest.objects.filter(shift_id=OuterRef("pk"), user_id=viewer.pk, status__in=ShiftRequest.LIVE)
    return queryset.annotate(shift_requested=Exists(live)).values(*ROW_FIELDS, "shift_requested")


def mark_same_day(rows: list[dict], *, viewer: User, team: Team) -> list[dict]:
    """Set `shift_on_same_day` on each row: another shift of the team assigned to the viewer starts on the same
    local day (team timezone, DST-correct because days are computed in Python).

    One query over the viewer's shifts in the page's time window (an index range on assignee, start_at) — cheaper
    and more exact than a per-row subquery truncating every one of the viewer's shifts to a date in SQL.
    """
    if not rows:
        return rows
    lowest = min(row["start_at"] for row in rows) - SAME_DAY_MARGIN
    highest = max(row["start_at"] for row in rows) + SAME_DAY_MARGIN
    mine = Shift.objects.filter(
        team_id=team.pk, assignee_id=viewer.pk, start_at__gte=lowest, start_at__lt=highest
    ).values_list("pk", "start_at")
    return mark_days(rows, zone=team_zone(team), viewer_shift_starts=mine)


def mark_days(
    rows: list[dict], *, zone: datetime.tzinfo, viewer_shift_starts: Iterable[tuple[int, datetime.datetime]]
) -> list[dict]:
    """`shift_on_same_day` from the (id, start_at) of the viewer's shifts around the rows (see mark_same_day)."""
    shifts_by_day: dict[datetime.date, set[int]] = {}
    for pk, start_at in viewer_shift_starts:
        shifts_by_day.setdefault(start_at.astimezone(zone).date(), set()).add(pk)
    for row in rows:
        same_day = shifts_by_day.get(row["start_at"].astimezone(zone).date())
        row["shift_on_same_day"] = bool(same_day) and (len(same_day) > 1 or row["id"] not in same_day)
    return rows


def shifts_visible_to_employee(queryset: QuerySet[Shift], *, user: User) -> QuerySet[Shift]:
    """Employees see published shifts only: their own (assignee) and the open ones they may request (no assignee)."""
    return queryset.filter(status=STATUS.PUBLISHED).filter(Q(assignee_id=user.pk) | Q(assignee__isnull=True))


def shifts_active_for_employee(queryset: QuerySet[Shift], *, user: User, now=None) -> QuerySet[Shift]:
    now = now or timezone.now()
    return queryset.filter(status=STATUS.PUBLISHED, assignee_id=user.pk, start_at__lte=now, end_at__gte=now)


# --- availability ------------------------------------------------------------------------------------------------


def _local_dates(start_at: datetime.datetime, end_at: datetime.datetime, zone) -> list[datetime.date]:
    """The local dates (team timezone) a shift touches; a shift ending exactly at midnight does not touch the next."""
    first = start_at.astimezone(zone).date()
    last = (end_at - datetime.timedelta(microseconds=1)).astimezone(zone).date()
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def unavailable_days(*, team: Team, user: User, start_at, end_at) -> list[str]:
    """Dates (ISO) of the shift on which `user` said they are unavailable — the people area's rule
    (workforce.selectors.is_unavailable: a record whose am, pm and nd are all 0). One query."""
    days = _local_dates(start_at, end_at, team_zone(team))
    records = selectors.availabilities_on(team, user, days)
    return [day.isoformat() for day in days if selectors.is_unavailable(records.get(day))]


def _check_assignee(*, team: Team, assignee: User, start_at, end_at, force: bool) -> None:
    if not Membership.objects.active().filter(team=team, user=assignee).exists():
        raise ValidationFailed.for_field("assignee_id", "No such user.")  # as an unknown id: ids cannot be probed
    if force:
        return
    blocked = unavailable_days(team=team, user=assignee, start_at=start_at, end_at=end_at)
    if blocked:
        raise ValidationFailed.for_field(
            "assignee_id",
            f"The employee is unavailable on {', '.join(blocked)}; pass force: true to assign anyway.",
        )


# --- writes ------------------------------------------------------------------------------------------------------


def _check_times(start_at, end_at) -> None:
    if start_at is None:
        raise ValidationFailed.for_field("start_at", "This field is required.")
    if end_at is None:
        raise ValidationFailed.for_field("end_at", "This field is required.")
    if end_at <= start_at:
        raise ValidationFailed.for_field("end_at", "end_at must be after start_at.")
    if end_at - start_at > MAX_SHIFT_LENGTH:
        raise ValidationFailed.for_field("end_at", f"A shift lasts at most {MAX_SHIFT_LENGTH.days} days.")


def _resolve_status(*, current: str | None, requested: str | None, assignee: User | None) -> str:
    """The status a shift ends up with: `assigned` needs an assignee, `open` has none; `published` takes both
    (a published shift with no assignee is open to request). Without an explicit status the assignee decides
    between open and assigned, and a published shift stays published."""
    if requested is None:
        if current == STATUS.PUBLISHED:
            return STATUS.PUBLISHED
        return STATUS.ASSIGNED if assignee is not None else STATUS.OPEN
    if requested == STATUS.ASSIGNED and assignee is None:
        raise ValidationFailed.for_field("status", "An assigned shift needs an assignee_id.")
    if requested == STATUS.OPEN and assignee is not None:
        raise ValidationFailed.for_field("status", "An open shift has no assignee; set assignee_id to null.")
    return requested


def shift_validate(
    *,
    team: Team,
    start_at,
    end_at,
    status: str | None,
    assignee: User | None,
    current: Shift | None = None,
    force=False,
) -> str:
    """The checks shift_create/shift_update make, without writing (the admin form shows them as form errors).
    Returns the status the shift would end up with."""
    _check_times(start_at, end_at)
    final = _resolve_status(current=current.status if current else None, requested=status, assignee=assignee)
    moved = current is None or (start_at, end_at) != (current.start_at, current.end_at)
    if assignee is not None and (moved or assignee.pk != current.assignee_id):
        _check_assignee(team=team, assignee=assignee, start_at=start_at, end_at=end_at, force=force)
    return final


def _sync_event(shift: Shift) -> None:
    Event.objects.filter(pk=shift.event_id).update(
        title=shift.title,
        start_at=shift.start_at,
        end_at=shift.end_at,
        details=shift.details,
        location_name=shift.location_name,
        updated_at=timezone.now(),
    )


@transaction.atomic
def shift_create(
    *,
    team: Team,
    by: User | None,
    start_at: datetime.datetime,
    end_at: datetime.datetime,
    status: str | None = None,
    assignee: User | None = None,
    force: bool = False,
    **fields,
) -> Shift:
    """Create a shift and its backing Event (kind "shift"). `assignee` makes it `assigned` (checked against the
    employee's availability unless `force`); `status="published"` publishes it at once."""
    _check_times(start_at, end_at)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown shift fields: {sorted(unknown)}")
    final = _resolve_status(current=None, requested=status, assignee=assignee)
    if assignee is not None:
        _check_assignee(team=team, assignee=assignee, start_at=start_at, end_at=end_at, force=force)
    event = Event.objects.create(
        team=team,
        user=by,
        kind=EVENT_KIND,
        title=fields.get("title", ""),
        details=fields.get("details", ""),
        location_name=fields.get("location_name", ""),
        start_at=start_at,
        end_at=end_at,
    )
    shift = Shift.objects.create(
        team=team,
        user=by,
        event=event,
        start_at=start_at,
        end_at=end_at,
        assignee=assignee,
        status=STATUS.OPEN,
        **fields,
    )
    if final == STATUS.PUBLISHED:
        _publish(shift)
    else:
        shift.status = final
        shift.save(update_fields=["status", "updated_at"])
    shifts_changed(team_id=shift.team_id)
    return shift


_UNSET = object()


@transaction.atomic
def shift_update(
    *,
    shift: Shift,
    by: User | None,
    status: str | None = None,
    assignee=_UNSET,
    force: bool = False,
    announce: bool = True,
    **fields,
) -> Shift:
    """Partial update. `assignee` (a User or None) reassigns or unassigns; times move the Event too; a change to
    `published` publishes (published_at, notices), a change away from it unpublishes (published_at cleared).

    A published shift that is reassigned or moved is announced to its employee at once (one SMS), unless
    `announce=False` (the week board): then the next publish of the week tells them, with everything else."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown shift fields: {sorted(unknown)}")
    shift = Shift.objects.select_for_update(of=("self",)).select_related("team").get(pk=shift.pk)
    start_at, end_at = fields.get("start_at", shift.start_at), fields.get("end_at", shift.end_at)
    _check_times(start_at, end_at)
    new_assignee = shift.assignee if assignee is _UNSET else assignee
    final = _resolve_status(current=shift.status, requested=status, assignee=new_assignee)
    assignee_changed = (new_assignee.pk if new_assignee else None) != shift.assignee_id
    times_changed = start_at != shift.start_at or end_at != shift.end_at
    if new_assignee is not None and (assignee_changed or times_changed):
        _check_assignee(team=shift.team, assignee=new_assignee, start_at=start_at, end_at=end_at, force=force)
    for name, value in fields.items():
        setattr(shift, name, value)
    shift.assignee = new_assignee
    was_published = shift.status == STATUS.PUBLISHED
    if final == STATUS.PUBLISHED:
        shift.save()
        if not was_published:
            _publish(shift) if announce else _mark_published(shift)
        elif announce and (assignee_changed or times_changed):
            publishing.announce(shifts=[shift])
    else:
        shift.status = final
        if was_published:
            shift.published_at = None
        shift.save()
    _sync_event(shift)
    shifts_changed(team_id=shift.team_id)
    return shift


@transaction.atomic
def shift_assign(*, shift: Shift, assignee: User, by: User | None, force: bool = False) -> Shift:
    """Assign an employee (admin action, request approval): open → assigned; a published shift stays published and
    the new assignee is notified."""
    return shift_update(shift=shift, by=by, assignee=assignee, force=force)


@transaction.atomic
def shift_publish(*, shift: Shift, by: User | None) -> Shift:
    """open/assigned → published (idempotent on a published shift)."""
    return shift_update(shift=shift, by=by, status=STATUS.PUBLISHED)


@transaction.atomic
def shift_delete(*, shift: Shift, by: User | None) -> Shift:
    """Delete a shift: its live requests are canceled (their shift becomes null through the FK), its timesheet items
    are kept (shift null), its backing Event goes too. Returns the deleted shift with its former id."""
    shift = Shift.objects.select_for_update(of=("self",)).get(pk=shift.pk)
    shift_id, event_id = shift.pk, shift.event_id
    ShiftRequest.objects.filter(shift_id=shift_id, status__in=(ShiftRequest.Status.REQUESTED, "shortlisted")).update(
        status=ShiftRequest.Status.CANCELED, decided_by=by, decided_at=timezone.now(), updated_at=timezone.now()
    )
    shifts_changed(team_id=shift.team_id)
    shift.delete()  # SET_NULL: requests, timesheet items, attendances, answers; CASCADE: notices
    Event.objects.filter(pk=event_id).delete()
    shift.pk = shift.id = shift_id
    return shift


# --- publishing -------------------------------------------------------------------------------------------------


def _mark_published(shift: Shift) -> None:
    """Mark `shift` published (first time: published_at); the caller announces it (workforce.services.publishing)."""
    if shift.status != STATUS.PUBLISHED or shift.published_at is None:
        shift.status = STATUS.PUBLISHED
        shift.published_at = shift.published_at or timezone.now()
        shift.save(update_fields=["status", "published_at", "updated_at"])
        _announce_to_automations(shift)


def _announce_to_automations(shift: Shift) -> None:
    """Installed automations listening to "shift published" start their runs (core.hooks; once per publish)."""
    data = {
        "shift_id": shift.pk,
        "title": shift.title,
        "start_at": shift.start_at.isoformat(),
        "end_at": shift.end_at.isoformat(),
        "assignee_id": shift.assignee_id,
        "location_name": shift.location_name,
        "role": shift.role,
    }
    key = f"shift:{shift.pk}:published:{shift.published_at.isoformat()}"
    hooks.emit(hooks.SHIFT_PUBLISHED, team_id=shift.team_id, key=key, data=data)


def _publish(shift: Shift) -> None:
    _mark_published(shift)
    publishing.announce(shifts=[shift])


@dataclass(frozen=True)
class Published:
    shifts: list[Shift]
    notified: int  # employees who get a text


@transaction.atomic
def shifts_publish(*, shifts: Iterable[Shift], by: User | None) -> Published:
    """Publish several shifts as ONE publish (a week on the board, a selection in the admin): each affected
    employee gets one SMS listing their new and changed shifts. Already published shifts whose assignee has not
    been told their current times are announced again (as changed)."""
    ids = [shift.pk for shift in shifts]
    locked = list(Shift.objects.select_for_update(of=("self",)).select_related("team").filter(pk__in=ids))
    team_ids = set()
    for shift in locked:
        _mark_published(shift)
        team_ids.add(shift.team_id)
    batch = publishing.announce(shifts=locked)
    for team_id in team_ids:
        shifts_changed(team_id=team_id)
    notified = ShiftNotice.objects.filter(batch=batch).values("user_id").distinct().count() if batch else 0
    return Published(shifts=locked, notified=notified)
