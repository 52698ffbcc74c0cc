"""Consent requests and opt-outs (with the reason and the time), read-only: they change by the members' replies."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from messaging.models import SmsOptOut, UserConsent


@admin.register(UserConsent)
class UserConsentAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "team", "type", "state", "target_id", "created_at", "updated_at")
    list_filter = ("state", "type")
    list_select_related = ("user", "team")
    search_fields = ("target_id", "user__email", "user__first_name", "user__last_name")
    fields = ("uid", "team", "user", "type", "state", "target_id", "args", "created_at", "updated_at")
    readonly_fields = fields


@admin.register(SmsOptOut)
class SmsOptOutAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("phone", "team", "opted_out", "reason", "changed_at")
    list_filter = ("opted_out",)
    list_select_related = ("team",)
    search_fields = ("phone", "reason")
    fields = ("team", "phone", "opted_out", "reason", "changed_at", "created_at")
    readonly_fields = fields
