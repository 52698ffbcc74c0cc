"""The schedule extension: parsing, the next occurrence (DST in the install's time zone), and the words the console
shows."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from automations import schedules
from core.exceptions import ValidationFailed

UTC = datetime.UTC


def test_cron_in_a_time_zone_follows_its_clock_across_dst():
    berlin = schedules.parse({"cron": "0 7 * * *", "timezone": "Europe/Berlin"})
    before = datetime.datetime(2026, 3, 27, 12, tzinfo=UTC)  # clocks go forward on 29 March
    first = berlin.first_after(before)
    second = berlin.next_after_due(first, now=first)
    assert first.astimezone(ZoneInfo("Europe/Berlin")).hour == 7
    assert second.astimezone(ZoneInfo("Europe/Berlin")).hour == 7
    assert second - first == datetime.timedelta(hours=23)


def test_a_run_at_without_offset_is_in_the_schedule_time_zone():
    parsed = schedules.parse({"run_at": "2026-05-01T09:00:00", "timezone": "Europe/Moscow"})
    assert parsed.run_at == datetime.datetime(2026, 5, 1, 6, tzinfo=UTC)
    assert parsed.first_after(datetime.datetime(2026, 5, 1, 7, tzinfo=UTC)) is None


def test_the_team_time_zone_is_the_default():
    parsed = schedules.parse({"cron": "30 6 * * *"}, team_timezone="Asia/Tokyo")
    assert parsed.zone.key == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        ({"cron": "0 7 * * 1-5", "timezone": "Europe/Moscow"}, "At 07:00, Monday through Friday (Europe/Moscow)"),
        ({"interval": {"every": 15, "period": "minutes"}}, "Every 15 minutes"),
        ({"interval": {"every": 1, "period": "hours"}}, "Every hour"),
        (
            {"run_at": "2026-05-01T09:00:00+03:00", "timezone": "Europe/Moscow"},
            "Once, at 2026-05-01 09:00 (Europe/Moscow)",
        ),
        ({"cron": "0 7 * * *", "enabled": False}, "Paused: At 07:00 (UTC)"),
        ({}, "No schedule"),
        ({"cron": "nonsense"}, "Invalid schedule"),
    ],
)
def test_schedules_in_words(schedule, words):
    assert schedules.describe(schedule) == words


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ([], "schedule"),
        ({"cron": "0 7 * *"}, "schedule.cron"),
        ({"run_at": "tomorrow"}, "schedule.run_at"),
        ({"every": 5}, "schedule.every"),
        ({"interval": {"every": 0, "period": "hours"}}, "schedule.interval.every"),
        ({"enabled": "yes"}, "schedule.enabled"),
    ],
)
def test_bad_schedules_name_their_field(schedule, field):
    with pytest.raises(ValidationFailed) as caught:
        schedules.parse(schedule)
    assert field in caught.value.details
