"""An install's `schedule` (a Crewdesk extension of the free-form ActionInstall.schedule): check it, find its next
occurrence, and say it in words for the console.

    {"run_at": "2026-05-01T09:00:00"}                       once (a time without an offset is in `timezone`)
    {"cron": "0 7 * * 1-5", "timezone": "Europe/Moscow"}   standard 5-field cron, in that time zone (DST-aware)
    {"interval": {"every": 15, "period": "minutes"}}        every 15 minutes from when it is scheduled
    + "timezone" (IANA; default the team's), "enabled" (default true)

Cron times are computed with cronsim (healthchecks' library; no dependencies, DST handled as cron does).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from cron_descriptor import Options, get_description
from cronsim import CronSim, CronSimError
from django.conf import settings
from django.utils.dateparse import parse_datetime

from automations.variables import check
from core.exceptions import ValidationFailed

PERIODS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
SCHEDULE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "description": "Crewdesk extension: one of run_at, cron or interval, with timezone and enabled.",
    "properties": {
        "run_at": {"type": "string", "description": "ISO 8601 date-time; without an offset it is in `timezone`."},
        "cron": {"type": "string", "description": "minute hour day-of-month month day-of-week, e.g. 0 7 * * 1-5"},
        "interval": {
            "type": "object",
            "additionalProperties": False,
            "required": ["every", "period"],
            "properties": {
                "every": {"type": "integer", "minimum": 1, "maximum": 100000},
                "period": {"type": "string", "enum": list(PERIODS)},
            },
        },
        "timezone": {"type": "string", "description": "IANA time zone; the team's when absent."},
        "enabled": {"type": "boolean", "default": True},
    },
}


@dataclass(frozen=True)
class Schedule:
    kind: str  # once | cron | interval | none
    zone: zoneinfo.ZoneInfo
    enabled: bool = True
    run_at: datetime.datetime | None = None
    cron: str = ""
    every: datetime.timedelta | None = None

    @property
    def recurring(self) -> bool:
        return self.kind in ("cron", "interval")

    def first_after(self, moment: datetime.datetime) -> datetime.datetime | None:
        """The first occurrence after `moment` (for once: run_at itself, if it is still ahead)."""
        if self.kind == "once":
            return self.run_at if self.run_at > moment else None
        if self.kind == "cron":
            return next(CronSim(self.cron, moment.astimezone(self.zone))).astimezone(datetime.UTC)
        if self.kind == "interval":
            return moment + self.every
        return None

    def next_after_due(self, due: datetime.datetime, *, now: datetime.datetime) -> datetime.datetime | None:
        """The occurrence that follows the one due at `due`: the first one after now (missed ones are not
        made up: a beat that was down does not fire a backlog)."""
        if self.kind == "cron":
            return self.first_after(max(due, now))
        if self.kind == "interval":
            if due + self.every > now:
                return due + self.every
            skipped = (now - due) // self.every
            return due + self.every * (skipped + 1)
        return None


def _zone(name: str | None, *, default: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or default or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed.for_field("schedule.timezone", "is not an IANA time zone") from None


def parse(schedule: dict | None, *, team_timezone: str = "UTC") -> Schedule:
    """A checked Schedule from a stored or given object; ValidationFailed names `schedule.<field>`."""
    schedule = {} if schedule is None else schedule
    if not isinstance(schedule, dict):
        raise ValidationFailed.for_field("schedule", "must be an object")
    check(schedule, SCHEDULE_SCHEMA, field="schedule")
    zone = _zone(schedule.get("timezone"), default=team_timezone)
    enabled = schedule.get("enabled", True)
    given = [key for key in ("run_at", "cron", "interval") if schedule.get(key) not in (None, "")]
    if len(given) > 1:
        raise ValidationFailed.for_field("schedule", f"give one of run_at, cron or interval, not {' and '.join(given)}")
    if not given:
        return Schedule(kind="none", zone=zone, enabled=enabled)
    if given[0] == "run_at":
        run_at = parse_datetime(schedule["run_at"])
        if run_at is None:
            raise ValidationFailed.for_field("schedule.run_at", "must be an ISO 8601 date-time")
        if run_at.tzinfo is None:
            run_at = run_at.replace(tzinfo=zone)
        return Schedule(kind="once", zone=zone, enabled=enabled, run_at=run_at.astimezone(datetime.UTC))
    if given[0] == "cron":
        expression = " ".join(schedule["cron"].split())
        try:
            CronSim(expression, datetime.datetime.now(zone))
        except CronSimError as exc:
            raise ValidationFailed.for_field("schedule.cron", f"is not a 5-field cron expression: {exc}") from None
        return Schedule(kind="cron", zone=zone, enabled=enabled, cron=expression)
    every = datetime.timedelta(seconds=schedule["interval"]["every"] * PERIODS[schedule["interval"]["period"]])
    if every.total_seconds() < settings.AUTOMATIONS_MIN_INTERVAL_SECONDS:
        minimum = settings.AUTOMATIONS_MIN_INTERVAL_SECONDS
        raise ValidationFailed.for_field("schedule.interval", f"must be at least {minimum} seconds")
    return Schedule(kind="interval", zone=zone, enabled=enabled, every=every)


def describe(schedule: dict | None, *, team_timezone: str = "UTC") -> str:
    """The schedule in words, e.g. "At 07:00, Monday through Friday (Europe/Moscow)"."""
    try:
        parsed = parse(schedule, team_timezone=team_timezone)
    except ValidationFailed:
        return "Invalid schedule"
    if parsed.kind == "once":
        text = f"Once, at {parsed.run_at.astimezone(parsed.zone):%Y-%m-%d %H:%M} ({parsed.zone.key})"
    elif parsed.kind == "cron":
        options = Options()
        options.use_24hour_time_format = True
        text = f"{get_description(parsed.cron, options)} ({parsed.zone.key})"
    elif parsed.kind == "interval":
        every = schedule["interval"]
        unit = every["period"] if every["every"] != 1 else every["period"].rstrip("s")
        text = f"Every {every['every']} {unit}" if every["every"] != 1 else f"Every {unit}"
    else:
        return "No schedule"
    return text if parsed.enabled else f"Paused: {text}"
