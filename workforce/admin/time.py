"""Admin pages for workforce time (see workforce/admin/__init__.py): clock sessions, timesheets, timesheet items.

Clock sessions and items are read-only here: their rules (sequencing, rounding, locking) live in
workforce.services.{attendance,timesheets} and the API calls them; corrections are the manager API's PUT, whose
original-vs-edited history is shown inline on each session. Timesheets are approved or denied with actions that go
through the same service as the API (`timesheets_bulk_update`: all or nothing per team).
"""

from collections import defaultdict

from django.contrib import admin, messages
from django.utils.translation import ngettext

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from core.exceptions import ApplicationError
from workforce.models import Attendance, AttendanceEdit, AttendancePunch, Timesheet, TimesheetItem
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


@admin.register(Timesheet)
class TimesheetAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "team", "start_date", "end_date", "status", "decided_by", "decided_at")
    list_filter = ("status", "manual")
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

    def has_decide_permission(self, request):
        return request.user.has_perm("workforce.change_timesheet")

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
