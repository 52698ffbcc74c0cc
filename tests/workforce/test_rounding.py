"""The time clock's arithmetic (workforce/services/rounding.py): pure functions, table-tested."""

import datetime

import pytest

from workforce.services.rounding import Durations, round_seconds, rounded_hours, session_durations

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("method", "step", "minutes", "expected_minutes"),
    [
        ("none", 15, 67, 67),
        ("none", 0, 67, 67),
        ("up", 15, 61, 75),
        ("up", 15, 60, 60),
        ("up", 15, 0, 0),
        ("down", 15, 74, 60),
        ("down", 15, 75, 75),
        ("nearest", 15, 67, 60),
        ("nearest", 15, 68, 75),  # 67.5 is the half step; 68 is past it
        ("nearest", 15, 7.5, 15),  # a half step rounds up
        ("nearest", 6, 8, 6),
        ("up", 0, 61, 61),  # a step of 0 means no rounding
        ("nearest", 30, 457, 450),
    ],
)
def test_round_seconds(method, step, minutes, expected_minutes):
    assert round_seconds(int(minutes * 60), method=method, step_minutes=step) == expected_minutes * 60


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        round_seconds(60, method="sideways", step_minutes=15)


@pytest.mark.parametrize(
    ("punches", "work_minutes", "break_minutes"),
    [
        ([("start", 0), ("stop", 480)], 480, 0),
        ([("start", 0), ("pause", 180), ("resume", 210), ("stop", 480)], 450, 30),
        ([("start", 0), ("pause", 60), ("resume", 70), ("pause", 200), ("resume", 215), ("stop", 300)], 275, 25),
        ([("start", 0), ("pause", 100), ("stop", 130)], 100, 30),  # clocked out while on break
        ([("stop", 480), ("resume", 210), ("start", 0), ("pause", 180)], 450, 30),  # order of arrival does not matter
        ([], 0, 0),
        ([("pause", 10), ("stop", 20)], 0, 0),  # no start: nothing worked
    ],
)
def test_session_durations(punches, work_minutes, break_minutes):
    durations = session_durations([(status, at(m)) for status, m in punches])
    assert durations == Durations(work_minutes * 60, break_minutes * 60)


def test_open_session_counts_up_to_until():
    durations = session_durations([("start", at(0)), ("pause", at(60))], until=at(90))
    assert durations == Durations(60 * 60, 30 * 60)


@pytest.mark.parametrize(
    ("method", "step", "round_breaks", "work_min", "break_min", "expected"),
    [
        ("none", 15, False, 457, 20, (457 / 60, 20 / 60)),
        ("nearest", 15, False, 457, 20, (7.5, 20 / 60)),
        ("nearest", 15, True, 457, 20, (7.5, 0.25)),
        ("up", 15, True, 457, 20, (7.75, 0.5)),
        ("down", 15, True, 457, 20, (7.5, 0.25)),
        ("down", 60, False, 59, 0, (0.0, 0.0)),
    ],
)
def test_rounded_hours(method, step, round_breaks, work_min, break_min, expected):
    hours = rounded_hours(
        Durations(work_min * 60, break_min * 60), method=method, step_minutes=step, round_breaks=round_breaks
    )
    assert hours == pytest.approx(expected, abs=1e-6)
