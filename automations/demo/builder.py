"""Builds a realistic demo team in stages: members, a week of shifts, requests, attendances, timesheets.

Every generated row is registered as an automations.DemoRecord (bulk_create) in the same transaction as the row,
so `demo_reset` removes exactly what was generated. People go through the accounts services (the layer below);
the workforce rows are written with bulk_create (one query per table, whatever the size). Published demo shifts
carry `data["demo"] = True`, which the reminder planner skips: demo employees have made-up phone numbers.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from accounts.models import Membership, User
from accounts.services.memberships import membership_add
from accounts.services.users import user_create
from automations.demo.themes import FIRST_NAMES, LAST_NAMES, SEED_TYPES, THEMES
from automations.models import DemoRecord, Sync
from core.exceptions import ValidationFailed
from workforce.models import (
    Attendance,
    AttendancePunch,
    Event,
    Shift,
    ShiftRequest,
    Timesheet,
    TimesheetItem,
)
from workforce.services.shift_cache import shifts_changed

PHONE_PREFIX = "+7999"
EMAIL_DOMAIN = "demo.crewdesk.local"
DEMO_MARKER = "demo"

# Upper bounds of the options (a demo is not a bulk import); defaults when an option is absent.
LIMITS = {
    "number_of_team_members": (1, 200, 8),
    "number_of_shifts": (0, 2000, 40),
    "number_of_timesheets": (0, 500, None),  # default: one per generated member
    "total_team_members": (1, 200, None),
    "shifts_per_member_per_week": (0, 14, None),
    "weeks_back": (0, 8, None),
    "weeks_forward": (0, 8, None),
}
INVALID_SEED_TYPE = "Invalid seed type"


@dataclass(frozen=True)
class DemoPlan:
    seed_type: str
    members: int
    shifts: int
    timesheets: int
    attendance_rate: float
    days_back: int
    days_forward: int

    @property
    def total_items(self) -> int:
        return self.members + self.shifts + self.timesheets


def _bounded(options: dict, name: str) -> int | None:
    raw = options.get(name)
    if raw is None:
        return None
    low, high, _ = LIMITS[name]
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ValidationFailed.for_field(f"options.{name}", "must be an integer.")
    if not low <= raw <= high:
        raise ValidationFailed.for_field(f"options.{name}", f"must be between {low} and {high}.")
    return raw


def demo_plan(*, seed_type, options: dict | None) -> DemoPlan:
    """Validate the seed type and options; apply defaults and bounds."""
    if seed_type not in SEED_TYPES:
        raise ValidationFailed(INVALID_SEED_TYPE, details={"seed_type": [f"must be one of {', '.join(SEED_TYPES)}."]})
    options = options or {}
    if not isinstance(options, dict):
        raise ValidationFailed.for_field("options", "must be an object.")
    values = {name: _bounded(options, name) for name in LIMITS}
    members = values["number_of_team_members"] or values["total_team_members"] or LIMITS["number_of_team_members"][2]
    days_back, days_forward = 3, 3
    if values["weeks_back"] is not None or values["weeks_forward"] is not None:
        days_back, days_forward = 7 * (values["weeks_back"] or 0), max(7 * (values["weeks_forward"] or 0) - 1, 0)
    shifts = values["number_of_shifts"]
    if shifts is None and values["shifts_per_member_per_week"] is not None:
        weeks = max(1, (days_back + days_forward + 1) // 7)
        shifts = min(members * values["shifts_per_member_per_week"] * weeks, LIMITS["number_of_shifts"][1])
    if shifts is None:
        shifts = LIMITS["number_of_shifts"][2]
    timesheets = values["number_of_timesheets"]
    rate = options.get("attendance_rate", 0.9)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValidationFailed.for_field("options.attendance_rate", "must be a number between 0.0 and 1.0.")
    return DemoPlan(
        seed_type=seed_type,
        members=members,
        shifts=shifts,
        timesheets=members if timesheets is None else timesheets,
        attendance_rate=float(rate),
        days_back=days_back,
        days_forward=days_forward,
    )


@dataclass
class DemoBuilder:
    sync: Sync
    plan: DemoPlan
    now: datetime
    members: list[User] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)

    STAGES = ("add_members", "add_shifts", "add_requests", "add_attendances", "add_timesheets")

    def __post_init__(self):
        self.team = self.sync.team
        self.theme = THEMES[self.plan.seed_type]
        self.rng = random.Random(self.sync.pk)  # the same sync always builds the same team
        try:
            self.zone = ZoneInfo(self.team.timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = ZoneInfo("UTC")
        self.today = self.now.astimezone(self.zone).date()

    # --- bookkeeping ----------------------------------------------------------------------------------------------

    def register(self, objects: list[Model]) -> int:
        if not objects:
            return 0
        content_type = ContentType.objects.get_for_model(type(objects[0]))
        DemoRecord.objects.bulk_create(
            [DemoRecord(team=self.team, sync=self.sync, content_type=content_type, object_id=o.pk) for o in objects],
            batch_size=1000,
        )
        return len(objects)

    def _local(self, day: date, hour: int, minutes: int = 0) -> datetime:
        return datetime.combine(day, time(hour % 24), tzinfo=self.zone) + timedelta(minutes=minutes)

    # --- stages ---------------------------------------------------------------------------------------------------

    def _free_phones(self, count: int) -> list[str]:
        taken = set(User.objects.filter(phone__startswith=PHONE_PREFIX).values_list("phone", flat=True))
        taken |= {
            PHONE_PREFIX + email.split("@")[0].removeprefix("demo-")
            for email in User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", flat=True)
        }
        number, phones = self.rng.randrange(10**7), []
        while len(phones) < count:
            phone = f"{PHONE_PREFIX}{number % 10**7:07d}"
            if phone not in taken:
                phones.append(phone)
            number += 1
        return phones

    def add_members(self) -> int:
        """New pending users (never signed up) with +7999… phones, each a member of the team."""
        memberships = []
        for index, phone in enumerate(self._free_phones(self.plan.members)):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            user = user_create(
                first_name=first,
                last_name=last,
                phone=phone,
                email=f"demo-{phone.removeprefix(PHONE_PREFIX)}@{EMAIL_DOMAIN}",
            )
            role = self.theme.roles[index % len(self.theme.roles)]
            memberships.append(
                membership_add(
                    team=self.team,
                    user=user,
                    status=Membership.Status.MEMBER,
                    invited_by=self.sync.user,
                    role=role,
                    roles=[role],
                    locations=[self.rng.choice(self.theme.locations)],
                    tags=[self.rng.choice(self.theme.departments)],
                )
            )
            self.members.append(user)
        self.register(memberships)
        return self.register(self.members)

    def add_shifts(self) -> int:
        """Shifts spread over the days around today: past ones assigned and published, future ones a mix of open,
        assigned and published."""
        days = [self.today + timedelta(days=d) for d in range(-self.plan.days_back, self.plan.days_forward + 1)]
        events, shifts = [], []
        busy: set[tuple[int, date]] = set()
        for index in range(self.plan.shifts):
            day = days[index % len(days)]
            title, hour, hours = self.rng.choice(self.theme.shifts)
            start = self._local(day, hour)
            end = start + timedelta(hours=hours)
            location = self.rng.choice(self.theme.locations)
            past = end <= self.now
            assignee = None
            if past or index % 4:
                free = [m for m in self.members if (m.pk, day) not in busy] or self.members
                assignee = self.rng.choice(free)
                busy.add((assignee.pk, day))
            status = Shift.Status.OPEN
            if assignee is not None:
                status = Shift.Status.ASSIGNED if (not past and index % 4 == 3) else Shift.Status.PUBLISHED
            events.append(
                Event(
                    team=self.team,
                    user=self.sync.user,
                    kind="shift",
                    title=title,
                    location_name=location,
                    start_at=start,
                    end_at=end,
                )
            )
            shifts.append(
                Shift(
                    team=self.team,
                    user=self.sync.user,
                    assignee=assignee,
                    title=title,
                    start_at=start,
                    end_at=end,
                    status=status,
                    location_name=location,
                    role=self.rng.choice(self.theme.roles),
                    department=self.rng.choice(self.theme.departments),
                    details=f"Demo {self.plan.seed_type.replace('_', ' ')} shift",
                    data={DEMO_MARKER: True},
                    published_at=self.now if status == Shift.Status.PUBLISHED else None,
                )
            )
        Event.objects.bulk_create(events, batch_size=500)
        for shift, event in zip(shifts, events, strict=True):
            shift.event = event
        Shift.objects.bulk_create(shifts, batch_size=500)
        shifts_changed(team_id=self.team.pk)  # the cached shift lists (workforce.services.shift_cache)
        self.shifts = shifts
        self.register(events)
        return self.register(shifts)

    def add_requests(self) -> int:
        """Open future shifts get one or two live requests; some assigned shifts show the approved request."""
        requests = []
        for shift in self.shifts:
            if shift.assignee_id is None and shift.start_at > self.now and self.members:
                for user in self.rng.sample(self.members, k=min(len(self.members), self.rng.randint(1, 2))):
                    status = self.rng.choice([ShiftRequest.Status.REQUESTED, ShiftRequest.Status.SHORTLISTED])
                    requests.append(ShiftRequest(team=self.team, shift=shift, user=user, requestor=user, status=status))
            elif shift.assignee_id is not None and self.rng.random() < 0.5:
                requests.append(
                    ShiftRequest(
                        team=self.team,
                        shift=shift,
                        user_id=shift.assignee_id,
                        requestor_id=shift.assignee_id,
                        status=ShiftRequest.Status.APPROVED,
                        decided_by=self.sync.user,
                        decided_at=self.now,
                    )
                )
        ShiftRequest.objects.bulk_create(requests, batch_size=500)
        shifts_changed(team_id=self.team.pk)
        return self.register(requests)

    def add_attendances(self) -> int:
        """Finished published shifts were worked (at `attendance_rate`): a stopped session with its four punches."""
        attendances, punches = [], []
        for shift in self.shifts:
            worked = shift.status == Shift.Status.PUBLISHED and shift.end_at <= self.now
            if not worked or self.rng.random() >= self.plan.attendance_rate:
                continue
            started = shift.start_at + timedelta(minutes=self.rng.randint(-10, 8))
            ended = shift.end_at + timedelta(minutes=self.rng.randint(-5, 20))
            attendance = Attendance(
                team=self.team,
                user_id=shift.assignee_id,
                shift=shift,
                event_id=shift.event_id,
                status=Attendance.Status.STOP,
                location_name=shift.location_name,
                address=shift.location_name,
                started_at=started,
                ended_at=ended,
            )
            attendances.append(attendance)
            pause = started + (ended - started) / 2
            punches.append(
                [
                    (Attendance.Status.START, started),
                    (Attendance.Status.PAUSE, pause),
                    (Attendance.Status.RESUME, pause + timedelta(minutes=30)),
                    (Attendance.Status.STOP, ended),
                ]
            )
        Attendance.objects.bulk_create(attendances, batch_size=500)
        rows = [
            AttendancePunch(attendance=attendance, status=status, at=at, address=attendance.address)
            for attendance, steps in zip(attendances, punches, strict=True)
            for status, at in steps
        ]
        AttendancePunch.objects.bulk_create(rows, batch_size=1000)
        self.attendances = attendances
        self.register(rows)
        return self.register(attendances)

    def add_timesheets(self) -> int:
        """Weekly timesheets, round-robin over the members and going back week by week, with an item per
        attendance in the period."""
        if not self.members:
            return 0
        monday = self.today - timedelta(days=self.today.weekday())
        timesheets = []
        for index in range(self.plan.timesheets):
            user = self.members[index % len(self.members)]
            weeks_ago = index // len(self.members)
            start = monday - timedelta(weeks=weeks_ago)
            if weeks_ago == 0:
                status = self.rng.choice([Timesheet.Status.UNSUBMITTED, Timesheet.Status.SUBMITTED])
            else:
                status = self.rng.choice([Timesheet.Status.SUBMITTED, Timesheet.Status.APPROVED])
            decided = status == Timesheet.Status.APPROVED
            timesheets.append(
                Timesheet(
                    team=self.team,
                    user=user,
                    resource_type="User",
                    resource_id=user.pk,
                    start_date=start,
                    end_date=start + timedelta(days=6),
                    status=status,
                    submitted_at=self.now if status != Timesheet.Status.UNSUBMITTED else None,
                    decided_by=self.sync.user if decided else None,
                    decided_at=self.now if decided else None,
                )
            )
        Timesheet.objects.bulk_create(timesheets, batch_size=500)
        sheet_of = {(t.user_id, t.start_date): t for t in timesheets}
        items = []
        for attendance in self.attendances:
            day = attendance.started_at.astimezone(self.zone).date()
            timesheet = sheet_of.get((attendance.user_id, day - timedelta(days=day.weekday())))
            if timesheet is None:
                continue
            hours = (attendance.ended_at - attendance.started_at).total_seconds() / 3600
            items.append(
                TimesheetItem(
                    team=self.team,
                    timesheet=timesheet,
                    shift_id=attendance.shift_id,
                    user_id=attendance.user_id,
                    work_hours=round(max(hours - 0.5, 0), 2),
                    break_hours=0.5,
                    address=attendance.address,
                    manual=False,
                    started_at=attendance.started_at,
                    ended_at=attendance.ended_at,
                )
            )
        TimesheetItem.objects.bulk_create(items, batch_size=500)
        self.register(items)
        return self.register(timesheets)
