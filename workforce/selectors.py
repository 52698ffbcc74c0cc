"""Read helpers of the workforce app shared by its API areas, the admin and tasks (DESIGN.md §3). Keep it small.

Availability rule (used when a manager assigns a shift): an employee is *unavailable* on a date when a record for
that team, user and date exists AND its three slots (`am`, `pm`, `nd`) are all 0. No record means "not said",
which is not unavailable. The shifts service refuses such an assignment unless the manager forces it.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from workforce.models import Attendance, Availability, Shift


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """A datetime becomes its local (TIME_ZONE) date; a date stays as it is."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def availability_on(team, user, date: datetime.date | datetime.datetime) -> Availability | None:
    """The employee's availability record on `date` (a datetime counts by its local date), or None. One query."""
    return Availability.objects.filter(team=team, user=user, date=_as_date(date)).first()


def availabilities_on(team, user, dates: list[datetime.date]) -> dict[datetime.date, Availability]:
    """The employee's availability records on `dates`, by date. One query, however many dates."""
    return {record.date: record for record in Availability.objects.filter(team=team, user=user, date__in=dates)}


def is_unavailable(availability: Availability | None) -> bool:
    """True when a record exists and am, pm and nd are all 0 (see the module docstring)."""
    return availability is not None and availability.am == 0 and availability.pm == 0 and availability.nd == 0


def unavailable_on(team, user, date: datetime.date | datetime.datetime) -> bool:
    return is_unavailable(availability_on(team, user, date))


def shifts_visible_to(team, user) -> QuerySet[Shift]:
    """Shifts an employee may see in `team`: published, and assigned to them or open to request (no assignee)."""
    return Shift.objects.filter(team=team, status=Shift.Status.PUBLISHED).filter(
        Q(assignee=user) | Q(assignee__isnull=True)
    )


def unfilled_shifts_starting(*, team_id: int, after: datetime.datetime, before: datetime.datetime) -> QuerySet[Shift]:
    """Shifts of the team with nobody assigned (open, or published open to request) starting in (after, before]."""
    return Shift.objects.filter(
        team_id=team_id,
        assignee__isnull=True,
        status__in=(Shift.Status.OPEN, Shift.Status.PUBLISHED),
        start_at__gt=after,
        start_at__lte=before,
    ).order_by("start_at", "pk")


def shifts_missing_clock_in(
    *, team_id: int, after: datetime.datetime, before: datetime.datetime, now: datetime.datetime
) -> QuerySet[Shift]:
    """Published, assigned shifts of the team that started in (after, before] and are not over at `now`, whose
    employee has no clock session for them (linked by the shift or its event), as the forgot-clock-in reminder reads
    it."""
    session = Attendance.objects.filter(user_id=OuterRef("assignee_id")).filter(
        Q(shift_id=OuterRef("pk")) | Q(event_id=OuterRef("event_id"))
    )
    return (
        Shift.objects.filter(
            team_id=team_id,
            status=Shift.Status.PUBLISHED,
            assignee__isnull=False,
            start_at__gt=after,
            start_at__lte=before,
            end_at__gt=now,
        )
        .exclude(Exists(session))
        .order_by("start_at", "pk")
    )
