"""The week schedule of a team, as the managers' week board shows it (issue 11 §2): one row per member, one column
per day, the open shifts in their own row, availability per member and day; and the board's week-wide writes —
copy last week as drafts, publish the week (one SMS per employee, workforce.services.publishing).

Days are local days of the team's time zone; a week starts on the team's `week_start` (Monday by default).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import Membership, Team, User
from core.exceptions import ApplicationError
from workforce import selectors
from workforce.models import Availability, Shift, WorkforceSettings
from workforce.services import publishing
from workforce.services import shifts as shift_services

WEEKDAYS = {"monday": 0, "turesday": 1, "wednesday": 2}  # WorkforceSettings.WeekStart ("turesday" as documented)
DAYS = 7


def week_start(team: Team, day: datetime.date) -> datetime.date:
    """The first day of the team's week that contains `day`."""
    settings = WorkforceSettings.objects.filter(team=team).only("week_start").first()
    first = WEEKDAYS.get(settings.week_start if settings else "monday", 0)
    return day - datetime.timedelta(days=(day.weekday() - first) % 7)


def local_midnight(team: Team, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=shift_services.team_zone(team))


def week_shifts(team: Team, start: datetime.date):
    """The team's shifts starting in the week (local days)."""
    return Shift.objects.filter(
        team=team,
        start_at__gte=local_midnight(team, start),
        start_at__lt=local_midnight(team, start + datetime.timedelta(days=DAYS)),
    )


@dataclass
class BoardCell:
    day: datetime.date
    shifts: list[Shift] = field(default_factory=list)
    availability: str = ""  # "" (no record, or available) or a short note: "Unavailable", "Not AM", …

    @property
    def unavailable(self) -> bool:
        return self.availability == "Unavailable"


@dataclass
class BoardRow:
    user: User | None  # None: the open shifts' row
    membership: Membership | None = None
    cells: list[BoardCell] = field(default_factory=list)

    @property
    def hours(self) -> float:
        seconds = sum((s.end_at - s.start_at).total_seconds() for cell in self.cells for s in cell.shifts)
        return round(seconds / 3600, 2)


@dataclass
class WeekBoard:
    team: Team
    start: datetime.date
    days: list[datetime.date]
    open_row: BoardRow
    rows: list[BoardRow]
    unannounced: set[int]
    to_publish: int  # drafts plus published shifts with changes nobody was told about

    @property
    def previous(self) -> datetime.date:
        return self.start - datetime.timedelta(days=DAYS)

    @property
    def next(self) -> datetime.date:
        return self.start + datetime.timedelta(days=DAYS)


def _availability_note(record: Availability | None) -> str:
    if record is None:
        return ""
    if selectors.is_unavailable(record):
        return "Unavailable"
    off = [label for label, value in (("AM", record.am), ("PM", record.pm), ("night", record.nd)) if value == 0]
    return f"Not {', '.join(off)}" if off else ""


def week_board(*, team: Team, start: datetime.date) -> WeekBoard:
    """Everything the board draws, in four queries whatever the team's size."""
    days = [start + datetime.timedelta(days=n) for n in range(DAYS)]
    zone = shift_services.team_zone(team)
    members = list(
        Membership.objects.active()
        .filter(team=team)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    shifts = list(week_shifts(team, start).select_related("assignee"))
    records = Availability.objects.filter(team=team, date__in=days, user_id__in=[m.user_id for m in members])
    availability = {(r.user_id, r.date): r for r in records}
    rows = {
        m.user_id: BoardRow(
            user=m.user,
            membership=m,
            cells=[BoardCell(day=d, availability=_availability_note(availability.get((m.user_id, d)))) for d in days],
        )
        for m in members
    }
    open_row = BoardRow(user=None, cells=[BoardCell(day=d) for d in days])
    for shift in shifts:
        index = (shift.start_at.astimezone(zone).date() - start).days
        row = rows.get(shift.assignee_id) if shift.assignee_id else open_row
        if row is None:  # assigned to someone who left the team: still shown, in their own row
            row = rows[shift.assignee_id] = BoardRow(user=shift.assignee, cells=[BoardCell(day=d) for d in days])
        row.cells[index].shifts.append(shift)
    unannounced = publishing.unannounced(shifts)
    drafts = sum(1 for s in shifts if s.status != Shift.Status.PUBLISHED)
    return WeekBoard(
        team=team,
        start=start,
        days=days,
        open_row=open_row,
        rows=list(rows.values()),
        unannounced=unannounced,
        to_publish=drafts + len(unannounced),
    )


@dataclass(frozen=True)
class Copied:
    created: int
    skipped: int  # already in this week
    left_open: list[str]  # shifts whose employee cannot take them this week (unavailable, left): copied unassigned


@transaction.atomic
def week_copy_previous(*, team: Team, start: datetime.date, by: User | None) -> Copied:
    """Copy last week's shifts into the week starting `start`, as drafts (open or assigned, never published).

    Times keep their local wall-clock time (DST-safe). A shift already present (same employee, times and title) is
    not copied twice, so pressing the button again copies nothing. An employee who is unavailable that day, or no
    longer in the team, does not get the copy: it stays open, and the answer lists it.
    """
    zone = shift_services.team_zone(team)
    source = list(week_shifts(team, start - datetime.timedelta(days=DAYS)).select_related("assignee"))
    existing = set(week_shifts(team, start).values_list("assignee_id", "start_at", "end_at", "title"))
    created, skipped, left_open = 0, 0, []
    for shift in source:
        start_at = _plus_week(shift.start_at, zone)
        end_at = _plus_week(shift.end_at, zone)
        if (shift.assignee_id, start_at, end_at, shift.title) in existing:
            skipped += 1
            continue
        fields = {name: getattr(shift, name) for name in shift_services.EDITABLE if name not in ("start_at", "end_at")}
        fields["data"] = {k: v for k, v in (shift.data or {}).items() if k != "demo"}
        try:
            with transaction.atomic():
                shift_services.shift_create(
                    team=team, by=by, start_at=start_at, end_at=end_at, assignee=shift.assignee, **fields
                )
        except ApplicationError:
            shift_services.shift_create(team=team, by=by, start_at=start_at, end_at=end_at, assignee=None, **fields)
            left_open.append(f"{shift.title or 'Shift'} of {shift.assignee} on {start_at.astimezone(zone):%a %d %b}")
        created += 1
    return Copied(created=created, skipped=skipped, left_open=left_open)


def _plus_week(moment: datetime.datetime, zone) -> datetime.datetime:
    local = moment.astimezone(zone).replace(tzinfo=None) + datetime.timedelta(days=DAYS)
    return local.replace(tzinfo=zone)


def week_publish(*, team: Team, start: datetime.date, by: User | None) -> shift_services.Published:
    """Publish the week: every draft, and every published shift with changes its employee was not told about.
    One publish: each employee gets one text listing their new and changed shifts."""
    shifts = list(week_shifts(team, start))
    unannounced = publishing.unannounced(shifts)
    chosen = [s for s in shifts if s.status != Shift.Status.PUBLISHED or s.pk in unannounced]
    return shift_services.shifts_publish(shifts=chosen, by=by)
