"""Triggers that are a condition in time rather than a change: a shift still unfilled N hours before it starts, a
missed clock-in. Nothing happens at that moment for a service to announce, so the dispatcher's tick looks for them
(workforce selectors, a constant number of queries per install) and starts one run per install and shift
(the run's dedupe key), however many ticks see the same shift.
"""

import datetime

from automations.models import ActionInstall, ActionRun
from automations.services.runs import start_for
from workforce.selectors import shifts_missing_clock_in, unfilled_shifts_starting

# How far back a condition is still worth acting on (a tick that was down for a while catches up within this).
LOOKBACK = datetime.timedelta(hours=1)
PER_INSTALL = 200


def _shift_data(shift) -> dict:
    return {
        "shift_id": shift.pk,
        "title": shift.title,
        "start_at": shift.start_at.isoformat(),
        "end_at": shift.end_at.isoformat(),
        "location_name": shift.location_name,
        "role": shift.role,
    }


def _installs(trigger: str):
    return (
        ActionInstall.objects.live()
        .filter(installed=True, version__trigger__key=trigger)
        .select_related("version__trigger", "team")
    )


def _start_new(install: ActionInstall, found: list[tuple[str, dict]]) -> int:
    """Start a run for each (key, data) this install has not run for yet (one query for the keys it has)."""
    seen = set(
        ActionRun.objects.filter(install=install, dedupe_key__in=[key for key, _ in found]).values_list(
            "dedupe_key", flat=True
        )
    )
    return sum(start_for(install, dedupe_key=key, data=data) is not None for key, data in found if key not in seen)


def runs_watch(*, now: datetime.datetime) -> int:
    started = 0
    for install in _installs("shift_unfilled"):
        hours = int((install.settings or {}).get("hours_before", 24))
        horizon = now + datetime.timedelta(hours=hours)
        # Every unfilled shift starting within `hours` (one made inside the window is alerted at once); the key
        # includes the start, so a shift moved to another time is looked at again.
        shifts = unfilled_shifts_starting(team_id=install.team_id, after=now, before=horizon)[:PER_INSTALL]
        found = [
            (f"unfilled:{s.pk}:{s.start_at.isoformat()}", {**_shift_data(s), "hours_before": hours}) for s in shifts
        ]
        started += _start_new(install, found)
    for install in _installs("missed_clock_in"):
        minutes = int((install.settings or {}).get("minutes_late", 15))
        late = now - datetime.timedelta(minutes=minutes)
        shifts = shifts_missing_clock_in(team_id=install.team_id, after=late - LOOKBACK, before=late, now=now)
        found = [
            (
                f"missed-clock-in:{s.pk}:{s.assignee_id}:{s.start_at.isoformat()}",
                {**_shift_data(s), "user_id": s.assignee_id, "minutes_late": minutes},
            )
            for s in shifts[:PER_INSTALL]
        ]
        started += _start_new(install, found)
    return started
