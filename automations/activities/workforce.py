"""Activities on the schedule and hours: create a week of shifts from a template, e-mail approved hours as CSV."""

import datetime

from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from automations.activities.base import Activity, ActivityFailed, RunContext, TransientFailure, refuse
from core.exceptions import ApplicationError
from workforce.exports import approved_hours_csv
from workforce.models import Shift
from workforce.services import shifts as shift_services
from workforce.services.week import local_midnight, week_start

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
TEMPLATE_SHIFT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["day", "start", "end"],
    "properties": {
        "day": {"type": "string", "enum": list(DAYS)},
        "start": {"type": "string", "pattern": TIME, "description": "Local time HH:MM."},
        "end": {"type": "string", "pattern": TIME, "description": "HH:MM; earlier than start means the next day."},
        "title": {"type": "string", "maxLength": 200},
        "role": {"type": "string", "maxLength": 100},
        "location_name": {"type": "string", "maxLength": 200},
        "count": {"type": "integer", "minimum": 1, "maximum": 20, "default": 1},
        "assignee_id": {"type": "integer", "description": "A member to assign (else the shift is open)."},
    },
}


def _clock(value: str) -> datetime.time:
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


class CreateShiftsFromTemplate(Activity):
    key = "create_shifts_from_template"
    name = "Create shifts from a weekly template"
    description = (
        "Creates the shifts of a week (the current or the next one, in the team's time zone) from a template of "
        "days and times; a shift that already exists with the same times, title and employee is not made twice."
    )
    settings = {
        "shifts": {"type": "array", "minItems": 1, "maxItems": 200, "items": TEMPLATE_SHIFT},
        "week": {"type": "string", "enum": ["next", "current"], "default": "next"},
        "publish": {"type": "boolean", "default": False, "description": "Publish them (employees are texted)."},
    }
    required_settings = ("shifts",)
    permission = ("shifts", "create")
    atomic = False  # one transaction per day, with progress; repeating it creates nothing twice

    def permissions_needed(self, settings: dict) -> list[tuple[str, str]]:
        return [("shifts", "create"), *([("shifts", "publish")] if settings.get("publish") else [])]

    def clean(self, *, team, settings: dict, complete: bool) -> None:
        wanted = {s.get("assignee_id") for s in settings.get("shifts") or [] if isinstance(s, dict)} - {None}
        members = set(
            Membership.objects.active().filter(team=team, user_id__in=wanted).values_list("user_id", flat=True)
        )
        for index, entry in enumerate(settings.get("shifts") or []):
            if isinstance(entry, dict) and entry.get("assignee_id") not in (None, *members):
                refuse(f"shifts.{index}.assignee_id", "is not an active member of this team")

    def _planned(self, ctx: RunContext) -> list[tuple[datetime.datetime, datetime.datetime, dict]]:
        today = timezone.localtime(timezone.now(), shift_services.team_zone(ctx.team)).date()
        first = week_start(ctx.team, today)
        if ctx.settings.get("week", "next") == "next":
            first += datetime.timedelta(days=7)
        planned = []
        for entry in ctx.settings["shifts"]:
            day = first + datetime.timedelta(days=(DAYS.index(entry["day"]) - first.weekday()) % 7)
            midnight = local_midnight(ctx.team, day)
            start = datetime.datetime.combine(day, _clock(entry["start"]), tzinfo=midnight.tzinfo)
            end = datetime.datetime.combine(day, _clock(entry["end"]), tzinfo=midnight.tzinfo)
            if end <= start:
                end = datetime.datetime.combine(day + datetime.timedelta(days=1), _clock(entry["end"]), start.tzinfo)
            planned.append((start, end, entry))
        return sorted(planned, key=lambda p: p[0])

    def run(self, ctx: RunContext) -> dict:
        planned = self._planned(ctx)
        created, existing, refused = 0, 0, []
        for index, (start, end, entry) in enumerate(planned, start=1):
            with transaction.atomic():
                made, found, error = self._make(ctx, start, end, entry)
            created, existing = created + made, existing + found
            if error:
                refused.append(error)
            ctx.report(100 * index / len(planned), f"{created} shifts created")
        return {"created": created, "already_there": existing, "refused": refused}

    def _make(self, ctx: RunContext, start, end, entry: dict) -> tuple[int, int, str]:
        title, assignee_id = entry.get("title", ""), entry.get("assignee_id")
        same = Shift.objects.filter(team=ctx.team, start_at=start, end_at=end, title=title, assignee_id=assignee_id)
        found = same.count()
        wanted = entry.get("count", 1) - found
        assignee = None
        if assignee_id and wanted > 0:
            membership = Membership.objects.active().filter(team=ctx.team, user_id=assignee_id).first()
            assignee = membership.user if membership else None
        status = "published" if ctx.settings.get("publish") else None
        fields = {k: entry[k] for k in ("title", "role", "location_name") if k in entry}
        made = 0
        for _ in range(max(wanted, 0)):
            try:
                shift_services.shift_create(
                    team=ctx.team, by=ctx.actor, start_at=start, end_at=end, status=status, assignee=assignee, **fields
                )
            except ApplicationError as exc:
                return made, found, f"{entry['day']} {entry['start']}: {exc.message}"
            made += 1
        return made, min(found, entry.get("count", 1)), ""


PERIODS = ("last_week", "this_week", "last_7_days")


def period_dates(team, period: str, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == "last_7_days":
        return today - datetime.timedelta(days=7), today - datetime.timedelta(days=1)
    first = week_start(team, today)
    if period == "last_week":
        first -= datetime.timedelta(days=7)
    return first, first + datetime.timedelta(days=6)


class ExportApprovedTimesheets(Activity):
    key = "export_timesheets_email"
    name = "E-mail approved timesheets (CSV)"
    description = (
        "E-mails the approved hours of a period as the console's payroll CSV (one row per approved timesheet) to "
        "the given addresses, else the addon's recipients setting, else the team's managers."
    )
    settings = {
        "period": {"type": "string", "enum": list(PERIODS), "default": "last_week"},
        "recipients": {
            "type": "array",
            "maxItems": 20,
            "items": {"type": "string", "maxLength": 254},
            "description": "E-mail addresses.",
        },
        "subject": {"type": "string", "maxLength": 200},
    }
    permission = ("timesheets", "export")
    atomic = False  # e-mail leaves this database; progress is reported as it goes

    def clean(self, *, team, settings: dict, complete: bool) -> None:
        for index, address in enumerate(settings.get("recipients") or []):
            try:
                validate_email(address)
            except Exception:
                refuse(f"recipients.{index}", "is not an e-mail address")

    def _recipients(self, ctx: RunContext) -> list[str]:
        addon_listed = (ctx.addon_settings.get("timesheet_export") or {}).get("recipients")
        listed = ctx.settings.get("recipients") or addon_listed or []
        if listed:
            return list(dict.fromkeys(listed))
        managers = Membership.objects.active().managing().filter(team=ctx.team).select_related("user")
        return list(dict.fromkeys(m.user.email for m in managers if m.user.email))

    def run(self, ctx: RunContext) -> dict:
        zone = shift_services.team_zone(ctx.team)
        today = timezone.localtime(timezone.now(), zone).date()
        start, end = period_dates(ctx.team, ctx.settings.get("period", "last_week"), today=today)
        to = self._recipients(ctx)
        if not to:
            raise ActivityFailed("Nobody to e-mail: give recipients, or a manager needs an e-mail address.")
        ctx.report(10, "reading approved timesheets")
        csv, rows = approved_hours_csv(team=ctx.team, start=start, end=end)
        ctx.report(60, f"{rows} rows")
        filename = f"approved-hours-{ctx.team.slug}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv"
        subject = ctx.settings.get("subject") or f"{ctx.team.name}: approved hours {start:%d %b} – {end:%d %b %Y}"
        body = f"Approved hours of {ctx.team.name} from {start:%Y-%m-%d} to {end:%Y-%m-%d}: {rows} timesheets."
        mail = EmailMessage(subject, body, django_settings.DEFAULT_FROM_EMAIL, to)
        mail.attach(filename, csv, "text/csv")
        try:
            mail.send()
        except OSError as exc:  # SMTP and network errors: the mail server may be back soon
            raise TransientFailure(f"The mail server did not take the message: {exc}") from exc
        ctx.report(100, "sent")
        return {"rows": rows, "recipients": to, "file": filename, "from": str(start), "to": str(end)}
