"""Payroll export of approved hours (CSV with django-import-export), shared by the console's "Export approved hours
(CSV)" button (workforce/admin/time.py) and the automations activity that e-mails it on a schedule."""

import datetime

from import_export import resources
from import_export.fields import Field
from import_export.formats import base_formats

from workforce.models import Timesheet
from workforce.services.hours import scheduled_hours, with_hours


class ApprovedHoursResource(resources.ModelResource):
    """One CSV row per approved timesheet, for payroll: who, which week, hours worked, breaks, scheduled."""

    employee = Field(column_name="Employee")
    email = Field(column_name="Email")
    phone = Field(column_name="Phone")
    team_name = Field(column_name="Team")
    week_start = Field(attribute="start_date", column_name="From")
    week_end = Field(attribute="end_date", column_name="To")
    worked = Field(attribute="worked_hours", column_name="Worked hours")
    breaks = Field(attribute="break_hours", column_name="Break hours")
    scheduled = Field(column_name="Scheduled hours")
    approved_by = Field(column_name="Approved by")
    approved_at = Field(attribute="decided_at", column_name="Approved at")

    class Meta:
        model = Timesheet
        fields = (
            "employee", "email", "phone", "team_name", "week_start", "week_end", "worked", "breaks", "scheduled",
            "approved_by", "approved_at",
        )  # fmt: skip
        export_order = fields

    def before_export(self, queryset, **kwargs):
        self._scheduled = scheduled_hours(queryset)

    def dehydrate_employee(self, timesheet):
        return str(timesheet.user)

    def dehydrate_email(self, timesheet):
        return timesheet.user.email or ""

    def dehydrate_phone(self, timesheet):
        return timesheet.user.phone or ""

    def dehydrate_team_name(self, timesheet):
        return timesheet.team.name

    def dehydrate_scheduled(self, timesheet):
        return self._scheduled.get(timesheet.pk, 0.0)

    def dehydrate_approved_by(self, timesheet):
        return str(timesheet.decided_by) if timesheet.decided_by else ""


def approved_hours(*, team, start: datetime.date, end: datetime.date):
    """The team's approved timesheets whose period overlaps [start, end], with their hours, oldest first."""
    queryset = Timesheet.objects.filter(
        team=team, status=Timesheet.Status.APPROVED, start_date__lte=end, end_date__gte=start
    ).select_related("user", "team", "decided_by")
    return with_hours(queryset).order_by("start_date", "user_id", "pk")


def approved_hours_csv(*, team, start: datetime.date, end: datetime.date) -> tuple[str, int]:
    """The payroll CSV (the console's columns) of `approved_hours`, and its number of rows."""
    queryset = approved_hours(team=team, start=start, end=end)
    dataset = ApprovedHoursResource().export(queryset=queryset)
    return base_formats.CSV().export_data(dataset), len(dataset)
