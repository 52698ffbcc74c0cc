"""Admin pages for workforce notices (see workforce/admin/__init__.py): the reminders journal, read-only.

Rows are written by workforce.services.notices (and the shifts service on publish) only; staff see their teams'.
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from workforce.models import ShiftNotice


@admin.register(ShiftNotice)
class ShiftNoticeAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "team", "shift", "user", "due_at", "sent_at", "text")
    list_filter = ("kind", "status")
    list_select_related = ("team", "shift", "user", "text")
    search_fields = ("user__first_name", "user__last_name", "user__phone", "shift__title", "team__name")
    date_hierarchy = "due_at"
    fields = ("team", "shift", "user", "kind", "status", "due_at", "text", "sent_at", "created_at")
    readonly_fields = fields
