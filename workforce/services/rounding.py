"""Pure time arithmetic of the time clock: hours worked and on break in one clock session, and the team's rounding.

No database access here, so every rule is table-tested (tests/workforce/test_rounding.py).

- A session's punches run start → (pause → resume)* → stop. Break time is the time between a `pause` and the next
  `resume` (or `stop`, when the employee clocked out while on break); work time is the rest of start → stop.
- Rounding (`timesheets_rounding_method`: none | up | down | nearest) applies to the session totals, in steps of
  `timesheets_rounding_minutes`; `nearest` rounds a half step up. Breaks are rounded only when the team enables
  break rounding. A step of 0 means no rounding.
"""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

NONE, UP, DOWN, NEAREST = "none", "up", "down", "nearest"
METHODS = (NONE, UP, DOWN, NEAREST)


@dataclass(frozen=True)
class Durations:
    work_seconds: int
    break_seconds: int


def session_durations(punches: Iterable[tuple[str, datetime.datetime]], *, until: datetime.datetime | None = None):
    """(status, at) punches of one session, in order → Durations. A session without `stop` counts up to `until`."""
    started = paused = None
    end = None
    break_seconds = 0.0
    for status, at in sorted(punches, key=lambda punch: punch[1]):
        if status == "start" and started is None:
            started = at
        elif status == "pause" and started is not None and paused is None:
            paused = at
        elif status == "resume" and paused is not None:
            break_seconds += (at - paused).total_seconds()
            paused = None
        elif status == "stop" and started is not None:
            end = at
            break
    if started is None:
        return Durations(0, 0)
    end = end or until or started
    if paused is not None:
        break_seconds += max((end - paused).total_seconds(), 0)
    total = max((end - started).total_seconds(), 0)
    break_seconds = min(break_seconds, total)
    return Durations(work_seconds=round(total - break_seconds), break_seconds=round(break_seconds))


def round_seconds(seconds: int, *, method: str, step_minutes: int) -> int:
    """`seconds` rounded to whole steps of `step_minutes` per `method`."""
    if method not in METHODS:
        raise ValueError(f"unknown rounding method {method!r}")
    step = int(step_minutes) * 60
    if method == NONE or step <= 0:
        return int(seconds)
    if method == UP:
        return math.ceil(seconds / step) * step
    if method == DOWN:
        return math.floor(seconds / step) * step
    return math.floor(seconds / step + 0.5) * step  # nearest, half up


def to_hours(seconds: int) -> float:
    return round(seconds / 3600, 6)


def rounded_hours(durations: Durations, *, method: str, step_minutes: int, round_breaks: bool) -> tuple[float, float]:
    """(work_hours, break_hours) of a session (or a sum of sessions) per the team's rounding settings."""
    work = round_seconds(durations.work_seconds, method=method, step_minutes=step_minutes)
    breaks = durations.break_seconds
    if round_breaks:
        breaks = round_seconds(breaks, method=method, step_minutes=step_minutes)
    return to_hours(work), to_hours(breaks)
