"""Helpers for the shifts area's tests (test_shifts_api, test_shift_requests_api, test_shift_rules, …)."""

import datetime

from django.utils import timezone

from workforce.services import shifts as shift_services

BASE = "/api/v1/workforce"


def at(days: float = 1, hours: float = 9) -> datetime.datetime:
    """A UTC datetime `days` from today's midnight plus `hours` (whole seconds, so equality survives JSON)."""
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + datetime.timedelta(days=days, hours=hours)


def make_shift(team, by, *, days: float = 1, hours: float = 9, length: float = 8, **fields):
    """A shift through the service (with its Event), starting `days`/`hours` from today's midnight."""
    start = at(days, hours)
    return shift_services.shift_create(
        team=team, by=by, start_at=start, end_at=start + datetime.timedelta(hours=length), **fields
    )


def iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
