"""Helpers of the shift-reminder tests (tests/workforce/test_notices.py, test_notice_dispatch_beat.py)."""

from datetime import timedelta

from workforce.models import Attendance, Event, Shift


def make_shift(team, assignee, start, *, hours: int = 8, status=Shift.Status.PUBLISHED, **fields) -> Shift:
    end = start + timedelta(hours=hours)
    event = Event.objects.create(team=team, kind="shift", title="Bar shift", start_at=start, end_at=end)
    return Shift.objects.create(
        team=team,
        event=event,
        assignee=assignee,
        title=fields.pop("title", "Bar shift"),
        start_at=start,
        end_at=end,
        status=status,
        **fields,
    )


def clock_in(shift: Shift, user, at, *, status=Attendance.Status.START) -> Attendance:
    """A clock session for the shift, as the time clock writes it."""
    return Attendance.objects.create(
        team=shift.team,
        user=user,
        shift=shift,
        event=shift.event,
        status=status,
        started_at=at,
        ended_at=at + timedelta(hours=8) if status == Attendance.Status.STOP else None,
    )
