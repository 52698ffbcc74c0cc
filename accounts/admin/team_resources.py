"""Settings (per user or per team) and team integrations."""

from django.contrib import admin
from django.db import models
from django.db.models import Q

from accounts.admin.scoping import TeamScopedAdminMixin, member_of_any
from accounts.models import Integration, Setting


@admin.register(Setting)
class SettingAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    """A team setting belongs to its team; a user's own is seen by the managers of that user's teams."""

    scoped_user_fields = ("user",)
    list_display = ("name", "context", "user", "team", "format", "updated_at")
    list_filter = ("format",)
    list_select_related = ("user", "team")
    autocomplete_fields = ("user", "team")
    search_fields = ("name", "context", "user__email", "team__name")
    fields = ("user", "team", "name", "context", "format", "data", "resource_type", "resource_id", "addon_install_id")
    readonly_fields = ("created_at", "updated_at")

    def team_scope(self, team_ids: list[int]) -> Q:
        return Q(team_id__in=team_ids) | (Q(team__isnull=True) & Q(member_of_any("user", team_ids)))


@admin.register(Integration)
class IntegrationAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "team", "kind", "enabled", "group", "comment", "created_at")
    list_filter = ("kind", "enabled")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    search_fields = ("comment", "group", "team__name")
    fields = (
        "uid",
        "team",
        "kind",
        "comment",
        "enabled",
        "group",
        "webhook_url",
        "api_key",
        "created_by",
        "created_at",
    )
    readonly_fields = ("uid", "api_key", "created_by", "created_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
