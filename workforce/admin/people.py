"""Admin pages for workforce people (see workforce/admin/__init__.py): settings, employee profiles,
availabilities, shift questions and answers, events. Scoped to the teams a non-superuser manages."""

from django.contrib import admin, messages

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from accounts.admin.scoping import request_team_ids
from accounts.models import Membership
from workforce.models import (
    Availability,
    EmployeeProfile,
    Event,
    Shift,
    ShiftAnswer,
    ShiftQuestion,
    WorkforceSettings,
)
from workforce.services.availability import availability_set_locks


@admin.register(WorkforceSettings)
class WorkforceSettingsAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("team", "name", "week_start", "timesheets_rounding_method", "shift_notifications_enabled")
    list_filter = ("week_start", "timesheets_rounding_method", "shift_notifications_enabled")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    search_fields = ("name", "team__name")
    readonly_fields = ("updated_at",)


@admin.register(EmployeeProfile)
class EmployeeProfileAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("membership", "team", "has_vehicle", "compliance_check", "updated_at")
    list_filter = ("has_vehicle",)
    list_select_related = ("team", "membership__user", "membership__team")
    autocomplete_fields = ("membership",)
    search_fields = ("membership__user__email", "membership__user__last_name", "compliance_check", "team__name")
    fields = ("membership", "has_vehicle", "compliance_check", "notes", "updated_at")
    readonly_fields = ("updated_at",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "membership" and not request.user.is_superuser:
            kwargs["queryset"] = Membership.objects.filter(team_id__in=request_team_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.team_id = obj.membership.team_id  # the profile lives in its membership's team
        super().save_model(request, obj, form, change)


@admin.register(Availability)
class AvailabilityAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """Where managers lock slots (no API does): a locked slot cannot be changed by the employee."""

    scoped_user_fields = ("user",)
    list_display = ("user", "team", "date", "am", "pm", "nd", "am_locked", "pm_locked", "nd_locked")
    list_filter = ("date", "am_locked", "pm_locked", "nd_locked")
    list_select_related = ("user", "team")
    date_hierarchy = "date"
    autocomplete_fields = ("user", "team")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    readonly_fields = ("updated_at",)
    actions = ["lock_slots", "unlock_slots"]

    @admin.action(description="Lock all slots of the selected days")
    def lock_slots(self, request, queryset):
        changed = availability_set_locks(records=list(queryset), locked=True)
        self.message_user(request, f"Locked {changed} day(s).", messages.SUCCESS)

    @admin.action(description="Unlock all slots of the selected days")
    def unlock_slots(self, request, queryset):
        changed = availability_set_locks(records=list(queryset), locked=False)
        self.message_user(request, f"Unlocked {changed} day(s).", messages.SUCCESS)


@admin.register(ShiftQuestion)
class ShiftQuestionAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("text", "team", "when", "offset_minutes", "always", "enabled", "created_at")
    list_filter = ("when", "always", "enabled")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    search_fields = ("text", "team__name")
    readonly_fields = ("created_at",)


@admin.register(ShiftAnswer)
class ShiftAnswerAdmin(ReadOnlyAdminMixin, TeamScopedAdminMixin, admin.ModelAdmin):
    """A journal of what employees answered (written through the API only)."""

    list_display = ("question", "user", "shift", "attendance", "team", "created_at")
    list_filter = ("question__when", "created_at")
    list_select_related = ("question", "user", "shift", "attendance__user", "team")
    search_fields = ("text", "question__text", "user__email")


@admin.register(Event)
class EventAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """A shift's event is changed through its shift: its times are read-only here and it cannot be deleted."""

    scoped_user_fields = ("user",)
    list_display = ("__str__", "team", "kind", "start_at", "end_at", "user")
    list_filter = ("kind", "start_at")
    list_select_related = ("team", "user")
    date_hierarchy = "start_at"
    autocomplete_fields = ("team", "user")
    search_fields = ("title", "details", "location_name", "team__name")
    readonly_fields = ("created_at", "updated_at")

    def _backs_shift(self, obj) -> bool:
        return obj is not None and obj.pk is not None and Shift.objects.filter(event=obj).exists()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "start_at", "end_at") if self._backs_shift(obj) else fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._backs_shift(obj)
