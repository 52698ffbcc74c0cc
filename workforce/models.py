"""Scheduling and time: settings, events, shifts and requests, availability, questions, the time clock,
timesheets, and the reminders the scheduler sends (tommy WORKFORCE, spec/tommy-1 lines 242+).

Every row carries `team` (tenant scoping, DESIGN.md §2). Invariants that must hold under concurrency are database
constraints, so they hold on SQLite and PostgreSQL alike: one approved request per shift, one open clock session per
employee, one timesheet item per shift and employee, one reminder per shift, employee and kind.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.tenancy import TeamScopedQuerySet

USER = settings.AUTH_USER_MODEL


class WorkforceSettings(models.Model):
    """The team's workforce account (GET/PUT /workforce): time clock rules, rounding and notification timing."""

    class WeekStart(models.TextChoices):
        MONDAY = "monday", "Monday"
        TUESDAY = "turesday", "Tuesday"  # spelled as the document spells it
        WEDNESDAY = "wednesday", "Wednesday"

    class Rounding(models.TextChoices):
        NONE = "none", "None"
        UP = "up", "Up"
        DOWN = "down", "Down"
        NEAREST = "nearest", "Nearest"

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="workforce_settings")
    name = models.CharField(max_length=200, blank=True)
    week_start = models.CharField(max_length=16, choices=WeekStart, default=WeekStart.MONDAY)
    timeclock_require_gps = models.BooleanField(default=False)
    timeclock_require_photo = models.BooleanField(default=False)
    timeclock_enable_mobile = models.BooleanField(default=True)
    timeclock_enable_web = models.BooleanField(default=True)
    timeclock_enable_kiosk = models.BooleanField(default=False)
    timesheets_rounding_method = models.CharField(max_length=16, choices=Rounding, default=Rounding.NONE)
    timesheets_rounding_minutes = models.PositiveIntegerField(default=15)
    timesheets_enable_break_rounding = models.BooleanField(default=False)
    shift_upcoming_notification_minutes = models.PositiveIntegerField(default=60)
    shift_forgot_clockin_minutes = models.PositiveIntegerField(default=15)
    shift_forgot_clockout_minutes = models.PositiveIntegerField(default=30)
    shift_notifications_enabled = models.BooleanField(default=True)
    event_notifications_enabled = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "workforce settings"
        verbose_name_plural = "workforce settings"

    def __str__(self) -> str:
        return f"Workforce settings of {self.team}"


class EmployeeProfile(models.Model):
    """Workforce-only facts about a team member (WorkforceEmployeeInput's extra fields)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField("accounts.Membership", on_delete=models.CASCADE, related_name="employee")
    has_vehicle = models.BooleanField(default=False)
    compliance_check = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Employee profile of {self.membership}"


class Event(models.Model):
    """A calendar event (tommy Event); every shift is backed by one."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=32, blank=True, help_text='e.g. "shift", "meeting"')
    title = models.CharField(max_length=255, blank=True)
    details = models.TextField(blank=True)
    location_name = models.CharField(max_length=255, blank=True)
    color = models.CharField(max_length=32, blank=True)
    start_at = models.DateTimeField(null=True, blank=True)
    end_at = models.DateTimeField(null=True, blank=True)
    addons_install_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["start_at", "id"]
        indexes = [models.Index(fields=["team", "start_at"], name="event_team_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_at__isnull=True) | Q(end_at__isnull=True) | Q(end_at__gte=F("start_at")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"event {self.pk}"


class Shift(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ASSIGNED = "assigned", "Assigned"
        PUBLISHED = "published", "Published"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="shifts")
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Who created the shift."
    )
    assignee = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts")
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="shift")
    title = models.CharField(max_length=255, blank=True)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status, default=Status.OPEN, db_index=True)
    location_id = models.BigIntegerField(null=True, blank=True)
    location_name = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=100, blank=True)
    department = models.CharField(max_length=100, blank=True)
    details = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["start_at", "id"]
        indexes = [
            # the lists' order (start_at, id) straight from the index: no sort step for a page
            models.Index(fields=["team", "start_at", "id"], name="shift_team_start_id"),
            models.Index(fields=["assignee", "start_at"], name="shift_assignee_start"),
        ]
        constraints = [models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.title or 'Shift'} {self.start_at:%Y-%m-%d %H:%M}"


class ShiftRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SHORTLISTED = "shortlisted", "Shortlisted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CANCELED = "canceled", "Canceled"

    LIVE = (Status.REQUESTED, Status.SHORTLISTED, Status.APPROVED)

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="shift_requests")
    shift = models.ForeignKey(
        Shift,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        help_text="Null once the shift was deleted (the request is kept, canceled).",
    )
    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="shift_requests", help_text="The employee the request is for."
    )
    requestor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status, default=Status.REQUESTED, db_index=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two managers approving different requests for one shift at once: the database keeps exactly one.
            models.UniqueConstraint(
                fields=["shift"], condition=Q(status="approved"), name="shift_request_one_approved_per_shift"
            ),
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=Q(status__in=["requested", "shortlisted", "approved"]),
                name="shift_request_one_live_per_employee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} for shift {self.shift_id} ({self.status})"


class Availability(models.Model):
    """An employee's availability on one date: morning (am), afternoon (pm) and night (nd) levels."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="availabilities")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="availabilities")
    date = models.DateField()
    am = models.SmallIntegerField(default=0)
    pm = models.SmallIntegerField(default=0)
    nd = models.SmallIntegerField(default=0)
    am_locked = models.BooleanField(default=False)
    pm_locked = models.BooleanField(default=False)
    nd_locked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "availabilities"
        constraints = [models.UniqueConstraint(fields=["team", "user", "date"], name="availability_one_per_day")]

    def __str__(self) -> str:
        return f"{self.user} on {self.date}"


class ShiftQuestion(models.Model):
    class When(models.TextChoices):
        ALWAYS = "always", "Always"
        START_SHIFT = "start_shift", "At clock-in"
        END_SHIFT = "end_shift", "At clock-out"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="shift_questions")
    text = models.CharField(max_length=500)
    offset_minutes = models.IntegerField(default=0)
    when = models.CharField(max_length=16, choices=When, default=When.ALWAYS)
    always = models.BooleanField(default=False, help_text="Asked on every shift, whatever its tags.")
    enabled = models.BooleanField(default=True)
    tag_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Attendance(models.Model):
    """One clock session of an employee: start → (pause ↔ resume)* → stop. Each punch is an AttendancePunch."""

    class Status(models.TextChoices):
        START = "start", "Clocked in"
        PAUSE = "pause", "On break"
        RESUME = "resume", "Back from break"
        STOP = "stop", "Clocked out"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="attendances")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendances")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendances")
    status = models.CharField(max_length=8, choices=Status, default=Status.START)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=500, blank=True)
    location_name = models.CharField(max_length=255, blank=True)
    image = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=~Q(status="stop"), name="attendance_one_open_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.status} since {self.started_at:%Y-%m-%d %H:%M}"


class AttendancePunch(models.Model):
    """One clock action within a session, with where it happened."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="punches")
    status = models.CharField(max_length=8, choices=Attendance.Status)
    at = models.DateTimeField(default=timezone.now)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=500, blank=True)
    image = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%H:%M}"


class AttendanceEdit(models.Model):
    """A manager's correction of a punch or session: the original values are kept (shown in the admin)."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="edits")
    punch = models.ForeignKey(AttendancePunch, null=True, blank=True, on_delete=models.CASCADE, related_name="edits")
    edited_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(help_text='{"field": [original, new], …}')
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"edit of attendance {self.attendance_id} by {self.edited_by}"


class ShiftAnswer(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")
    question = models.ForeignKey(ShiftQuestion, on_delete=models.CASCADE, related_name="answers")
    attendance = models.ForeignKey(Attendance, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"answer to {self.question_id} by {self.user}"


class Timesheet(models.Model):
    class Status(models.TextChoices):
        UNSUBMITTED = "unsubmitted", "Unsubmitted"
        SUBMITTED = "submitted", "Submitted"
        PREAPPROVED = "preapproved", "Pre-approved"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="timesheets")
    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="timesheets", help_text="The employee whose time it is."
    )
    resource_type = models.CharField(max_length=32, default="User")
    resource_id = models.BigIntegerField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status, default=Status.UNSUBMITTED, db_index=True)
    manual = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="timesheet_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.start_date}–{self.end_date} ({self.status})"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class TimesheetItem(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="timesheet_items")
    timesheet = models.ForeignKey(Timesheet, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.SET_NULL, related_name="timesheet_items")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="timesheet_items")
    work_hours = models.FloatField(default=0)
    break_hours = models.FloatField(default=0)
    address = models.CharField(max_length=500, blank=True)
    manual = models.BooleanField(default=True)
    active = models.BooleanField(default=False, help_text="The employee is clocked in on it.")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"], condition=Q(shift__isnull=False), name="timesheet_item_one_per_shift_and_user"
            ),
            models.CheckConstraint(
                condition=Q(work_hours__gte=0) & Q(break_hours__gte=0), name="timesheet_item_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.work_hours} h"


class ShiftNotice(models.Model):
    """One scheduled message about a shift to one employee; the unique key makes each sent at most once.

    Reminders are once per (shift, employee, kind). Published notices belong to a publish (`batch`): one row per
    shift and employee in it, and ONE SMS per employee per batch listing all their rows; `announced_*` record the
    times the employee was told, so a later publish can tell a changed shift from one already announced.
    """

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", "Upcoming shift"
        FORGOT_CLOCK_IN = "forgot_clock_in", "Forgot to clock in"
        FORGOT_CLOCK_OUT = "forgot_clock_out", "Forgot to clock out"
        PUBLISHED = "published", "Shift published"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELED = "canceled", "Canceled"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind)
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.SCHEDULED, db_index=True)
    text = models.ForeignKey("messaging.Text", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    batch = models.UUIDField(null=True, blank=True, db_index=True, help_text="The publish a published notice is in.")
    announced_start_at = models.DateTimeField(null=True, blank=True)
    announced_end_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user", "kind"], condition=~Q(kind="published"), name="shift_notice_once_per_kind"
            ),
            models.UniqueConstraint(
                fields=["batch", "shift", "user"], condition=Q(kind="published"), name="shift_notice_once_per_publish"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} ({self.status})"
