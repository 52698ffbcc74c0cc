"""What starts a run: the code behind the catalogue's Trigger rows (matched by `key`).

Each trigger brings the settings it needs (merged into its actions' `variables.settings`) and the shape of the
`trigger_data` a run gets (`variables.trigger_data`). Event triggers name the core.hooks event they listen to and
decide whether an install's settings match one occurrence; watched triggers (a shift still unfilled, a missed
clock-in) are found by the dispatcher's tick (automations/watchers.py).
"""

from dataclasses import dataclass, field

from core import hooks

_SHIFT_DATA = {
    "shift_id": {"type": "integer", "description": "The shift."},
    "title": {"type": "string"},
    "start_at": {"type": "string", "description": "ISO 8601."},
    "end_at": {"type": "string", "description": "ISO 8601."},
    "location_name": {"type": "string"},
    "role": {"type": "string"},
}


@dataclass(frozen=True)
class TriggerType:
    key: str
    name: str
    description: str
    kind: str  # scheduled | event | manual (the Action's `kind`)
    settings: dict = field(default_factory=dict)  # JSON Schema properties
    required_settings: tuple[str, ...] = ()
    data: dict = field(default_factory=dict)  # JSON Schema properties of trigger_data
    required_data: tuple[str, ...] = ()
    event: str | None = None  # the core.hooks event it listens to

    def matches(self, settings: dict, data: dict) -> bool:
        """Does one occurrence of the event start a run of an install with these settings?"""
        return True


@dataclass(frozen=True)
class SmsKeyword(TriggerType):
    def matches(self, settings: dict, data: dict) -> bool:
        keyword = (settings.get("keyword") or "").strip().casefold()
        body = (data.get("body") or "").strip().casefold()
        if not keyword or not body:
            return False
        if settings.get("match", "first_word") == "exact":
            return body.rstrip(".!") == keyword
        return body.split()[0].rstrip(".!,:") == keyword


TRIGGERS: dict[str, TriggerType] = {
    t.key: t
    for t in (
        TriggerType(
            key="schedule",
            name="On a schedule",
            description="Runs at the install's schedule: once (run_at), by cron in a time zone, or every interval.",
            kind="scheduled",
        ),
        TriggerType(
            key="manual",
            name="Manual run",
            description="Runs only when someone runs it (the run endpoint or the console's “Run now”).",
            kind="manual",
        ),
        TriggerType(
            key="shift_published",
            name="A shift is published",
            description="Runs once for each shift when it is published.",
            kind="event",
            event=hooks.SHIFT_PUBLISHED,
            data={**_SHIFT_DATA, "assignee_id": {"type": ["integer", "null"]}},
            required_data=("shift_id",),
        ),
        TriggerType(
            key="shift_unfilled",
            name="A shift is still unfilled",
            description="Runs once for each shift that still has nobody assigned a set number of hours before it "
            "starts.",
            kind="event",
            settings={
                "hours_before": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 168,
                    "default": 24,
                    "description": "How many hours before the start to check.",
                }
            },
            data={**_SHIFT_DATA, "hours_before": {"type": "integer"}},
            required_data=("shift_id",),
        ),
        TriggerType(
            key="missed_clock_in",
            name="A missed clock-in",
            description="Runs once when the employee of a published shift has not clocked in a set number of "
            "minutes after it started.",
            kind="event",
            settings={
                "minutes_late": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 720,
                    "default": 15,
                    "description": "Minutes after the start without a clock-in.",
                }
            },
            data={**_SHIFT_DATA, "user_id": {"type": "integer"}, "minutes_late": {"type": "integer"}},
            required_data=("shift_id", "user_id"),
        ),
        TriggerType(
            key="timesheet_submitted",
            name="A timesheet is submitted",
            description="Runs once each time an employee submits a timesheet.",
            kind="event",
            event=hooks.TIMESHEET_SUBMITTED,
            data={
                "timesheet_id": {"type": "integer"},
                "user_id": {"type": "integer"},
                "start_date": {"type": "string"},
                "end_date": {"type": "string"},
            },
            required_data=("timesheet_id",),
        ),
        SmsKeyword(
            key="sms_keyword",
            name="An inbound SMS with a keyword",
            description="Runs when a text to one of the team's numbers starts with (or is exactly) the keyword, "
            "in any case.",
            kind="event",
            event=hooks.SMS_RECEIVED,
            settings={
                "keyword": {"type": "string", "minLength": 1, "maxLength": 40, "pattern": r"^\S+$"},
                "match": {"type": "string", "enum": ["first_word", "exact"], "default": "first_word"},
            },
            required_settings=("keyword",),
            data={
                "from": {"type": "string", "description": "The sender's phone (E.164)."},
                "to": {"type": "string", "description": "The team's number it was sent to."},
                "body": {"type": "string"},
                "user_id": {"type": ["integer", "null"], "description": "The sender, when a member."},
                "inbound_id": {"type": "integer"},
            },
            required_data=("from", "body"),
        ),
    )
}


def trigger_for(key: str) -> TriggerType:
    try:
        return TRIGGERS[key]
    except KeyError:
        raise LookupError(f"No trigger {key!r} in automations/triggers.py") from None


def triggers_for_event(event: str) -> list[TriggerType]:
    return [t for t in TRIGGERS.values() if t.event == event]
