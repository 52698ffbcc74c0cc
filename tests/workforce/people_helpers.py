"""Helpers shared by the workforce people tests (settings, employees, availabilities, questions, events)."""

import datetime

from django.utils import timezone

from workforce.models import Event, Shift

URL = "/api/v1"


def make_shift(team, *, assignee=None, status=Shift.Status.PUBLISHED, data=None, start=None) -> Shift:
    """A shift with its backing event (rows written directly: the shifts API is another area's)."""
    start = start or timezone.now() + datetime.timedelta(days=1)
    end = start + datetime.timedelta(hours=8)
    event = Event.objects.create(team=team, kind="shift", title="Shift", start_at=start, end_at=end)
    return Shift.objects.create(
        team=team, event=event, assignee=assignee, status=status, start_at=start, end_at=end, data=data or {}
    )
