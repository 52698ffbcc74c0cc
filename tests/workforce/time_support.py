"""Helpers for the time-area tests (attendances, timesheets, items): shifts with their Event, settings, a clock.

Plain functions and fixtures imported by the test modules that use them (tests/workforce/ is shared by several
areas, so nothing here lives in a conftest).
"""

import datetime

import pytest

from tests.helpers import user_client
from workforce.models import Event, Shift, WorkforceSettings
from workforce.services import attendance as attendance_services

MONDAY_9AM = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
API = "/api/v1/workforce"


def make_shift(team, assignee, *, start=MONDAY_9AM, hours: int = 8, status=Shift.Status.PUBLISHED) -> Shift:
    end = start + datetime.timedelta(hours=hours)
    event = Event.objects.create(team=team, kind="shift", title="Shift", start_at=start, end_at=end)
    return Shift.objects.create(
        team=team, assignee=assignee, event=event, title="Shift", start_at=start, end_at=end, status=status
    )


def set_workforce(team, **fields) -> WorkforceSettings:
    return WorkforceSettings.objects.update_or_create(team=team, defaults=fields)[0]


class Clock:
    """Stands in for django.utils.timezone inside workforce.services.attendance: `now()` is what the test says."""

    def __init__(self, now: datetime.datetime):
        self.current = now

    def now(self) -> datetime.datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    c = Clock(MONDAY_9AM)
    monkeypatch.setattr(attendance_services, "timezone", c)
    return c


@pytest.fixture
def employee(teammate):
    """The teammate (a plain member) with a token: their current team is `team`."""
    return user_client(teammate)


@pytest.fixture
def manager(owner):
    """The owner (owner + manager) with a token."""
    return user_client(owner)


@pytest.fixture
def rival(outsider):
    """The outsider: owner and manager of `other_team` only."""
    return user_client(outsider)
