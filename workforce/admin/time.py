"""Admin pages for workforce time (see workforce/admin/__init__.py): clock sessions, timesheets, timesheet items.

Clock sessions and items are read-only here: their rules (sequencing, rounding, locking) live in
workforce.services.{attendance,timesheets} and the API calls them; corrections are the manager API's PUT, whose
original-vs-edited history is shown inline on each session. Timesheets are approved or denied with actions that go
through the same service as the API (`timesheets_bulk_update`: all or nothing per team), from the list or from a
timesheet's page; the list shows scheduled vs worked hours and breaks with totals per person and week, and exports
the approved hours as CSV for payroll (django-import-export).
"""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from core.exceptions import ApplicationError
from workforce.exports import ApprovedHoursResource
from workforce.models import Attendance, AttendanceEdit, AttendancePunch, Timesheet, TimesheetItem
from workforce.services.hours import scheduled_hours, with_hours
from workforce.services.timesheets import timesheets_bulk_update


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PunchInline(_ReadOnlyInline):
    model = AttendancePunch
    fields = ("status", "at", "latitude", "longitude", "accuracy", "address", "image")
    readonly_fields = fields


class EditInline(_ReadOnlyInline):
    """A manager's corrections: each row is {"field": [original, new]}."""

    model = AttendanceEdit
    fields = ("created_at", "edited_by", "punch", "changes")
    readonly_fields = fields
    verbose_name = "correction (original → edited)"
    verbose_name_plural = "corrections (original → edited)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("edited_by", "punch")


@admin.register(Attendance)
class AttendanceAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "team", "status", "started_at", "ended_at", "shift", "location_name")
    list_filter = ("status", ("ended_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "team", "shift")
    search_fields = ("user__email", "user__phone", "user__first_name", "user__last_name", "location_name")
    date_hierarchy = "started_at"
    fields = (
        "team",
        "user",
        "shift",
        "event",
        "status",
        "started_at",
        "ended_at",
        "latitude",
        "longitude",
        "accuracy",
        "address",
        "location_name",
        "image",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [PunchInline, EditInline]


class ItemInline(_ReadOnlyInline):
    model = TimesheetItem
    fields = ("shift", "work_hours", "break_hours", "manual", "active", "started_at", "ended_at", "address")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("shift")


class TimesheetChangeList(ChangeList):
    """The page's timesheets get their scheduled hours (one query), and the filtered set its totals per person and
    per week (at most TOTALS_LIMIT timesheets are summed; the page says so when there are more)."""

    TOTALS_LIMIT = 2000

    def get_results(self, request):
        super().get_results(request)
        scheduled = scheduled_hours(self.result_list)
        for timesheet in self.result_list:
            timesheet.scheduled_hours = scheduled.get(timesheet.pk, 0.0)
        self.totals = self._totals()

    def _totals(self) -> dict:
        rows = list(self.queryset.select_related("user").order_by()[: self.TOTALS_LIMIT + 1])
        capped = len(rows) > self.TOTALS_LIMIT
        rows = rows[: self.TOTALS_LIMIT]
        scheduled = scheduled_hours(rows)
        people, weeks = {}, {}
        for t in rows:
            for key, label, table in ((t.user_id, t.user, people), (t.start_date, t.start_date, weeks)):
                total = table.setdefault(key, {"label": label, "worked": 0.0, "breaks": 0.0, "scheduled": 0.0})
                total["worked"] += t.worked_hours
                total["breaks"] += t.break_hours
                total["scheduled"] += scheduled.get(t.pk, 0.0)
        for table in (people, weeks):
            for total in table.values():
                total.update({k: round(total[k], 2) for k in ("worked", "breaks", "scheduled")})
        return {
            "people": sorted(people.values(), key=lambda r: str(r["label"])),
            "weeks": [weeks[k] for k in sorted(weeks, reverse=True)],
            "capped": capped,
        }


@admin.register(Timesheet)
class TimesheetAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, ExportMixin, admin.ModelAdmin):
    """Timesheets: scheduled vs worked hours and breaks, totals per person and week, approve/deny from the list
    (actions) and from the page (buttons), and "Export approved hours (CSV)" for payroll (django-import-export)."""

    list_display = (
        "user", "team", "start_date", "end_date", "scheduled", "worked", "breaks", "difference", "status",
        "decided_by",
    )  # fmt: skip
    list_filter = ("status", "manual", "start_date")
    list_select_related = ("user", "team", "decided_by")
    search_fields = ("user__email", "user__phone", "user__first_name", "user__last_name")
    date_hierarchy = "start_date"
    fields = (
        "team",
        "user",
        "resource_type",
        "resource_id",
        "start_date",
        "end_date",
        "status",
        "manual",
        "submitted_at",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = [ItemInline]
    actions = ["approve", "deny"]
    change_form_template = "admin/workforce/timesheet/change_form.html"
    import_export_change_list_template = "admin/workforce/timesheet/change_list.html"
    resource_classes = [ApprovedHoursResource]
    export_formats = [base_formats.CSV]
    skip_export_form = True  # one click: the CSV of the approved timesheets the list is filtered to

    def get_queryset(self, request):
        return with_hours(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return TimesheetChangeList

    def get_export_queryset(self, request):
        return (
            super()
            .get_export_queryset(request)
            .filter(status=Timesheet.Status.APPROVED)
            .select_related("user", "team", "decided_by")
        )

    def get_export_filename(self, request, queryset, file_format):
        return f"approved-hours-{timezone.now():%Y-%m-%d}.{file_format.get_extension()}"

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="workforce_timesheet_decide",
        )
        return [decide, *super().get_urls()]

    @admin.display(description="Scheduled h")
    def scheduled(self, obj):
        return getattr(obj, "scheduled_hours", None)

    @admin.display(description="Worked h", ordering="worked_hours")
    def worked(self, obj):
        return round(obj.worked_hours, 2)

    @admin.display(description="Breaks h", ordering="break_hours")
    def breaks(self, obj):
        return round(obj.break_hours, 2)

    @admin.display(description="Worked − scheduled")
    def difference(self, obj):
        scheduled = getattr(obj, "scheduled_hours", None)
        if scheduled is None:
            return "-"
        diff = round(obj.worked_hours - scheduled, 2)
        css = "hours-diff-over" if diff > 0 else ""
        return format_html('<span class="{}">{}</span>', css, f"{diff:+.2f}")

    def has_decide_permission(self, request):
        return request.user.has_perm("workforce.change_timesheet")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        timesheet = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        extra = {}
        if timesheet is not None:
            extra = {
                "hours": {
                    "scheduled": scheduled_hours([timesheet]).get(timesheet.pk, 0.0),
                    "worked": round(timesheet.worked_hours, 2),
                    "breaks": round(timesheet.break_hours, 2),
                },
                "can_decide": self.has_decide_permission(request),
                "decide_url": reverse("admin:workforce_timesheet_decide", args=[timesheet.pk]),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def decide_view(self, request, object_id):
        """POST status=approved|denied: decide one timesheet from its page (the same service as the list)."""
        if request.method != "POST" or not self.has_decide_permission(request):
            raise PermissionDenied
        timesheet = get_object_or_404(self.get_queryset(request), pk=object_id)  # scoped: another team's is a 404
        status = request.POST.get("status")
        if status not in (Timesheet.Status.APPROVED, Timesheet.Status.DENIED):
            raise PermissionDenied
        self._decide(request, Timesheet.objects.filter(pk=timesheet.pk), status)
        return HttpResponseRedirect(reverse("admin:workforce_timesheet_change", args=[timesheet.pk]))

    def _decide(self, request, queryset, status: str) -> None:
        by_team = defaultdict(list)
        for team_id, pk in queryset.values_list("team_id", "pk"):
            by_team[team_id].append(pk)
        done = 0
        for team_id, ids in by_team.items():
            try:
                done += len(timesheets_bulk_update(team=team_id, by=request.user, timesheet_ids=ids, status=status))
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        if done:
            message = ngettext("%(n)d timesheet %(s)s.", "%(n)d timesheets %(s)s.", done) % {"n": done, "s": status}
            self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Approve selected timesheets", permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(request, queryset, Timesheet.Status.APPROVED)

    @admin.action(description="Deny selected timesheets", permissions=["decide"])
    def deny(self, request, queryset):
        self._decide(request, queryset, Timesheet.Status.DENIED)


@admin.register(TimesheetItem)
class TimesheetItemAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "team", "timesheet", "shift", "work_hours", "break_hours", "manual", "active")
    list_filter = ("manual", "active")
    list_select_related = ("user", "team", "timesheet", "timesheet__user", "shift")
    search_fields = ("user__email", "user__phone", "user__first_name", "user__last_name", "address")
    fields = (
        "team",
        "user",
        "timesheet",
        "shift",
        "work_hours",
        "break_hours",
        "address",
        "manual",
        "active",
        "started_at",
        "ended_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
