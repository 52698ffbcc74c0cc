"""The managers' console for automations: syncs and the demo-data markers, read-only and team-scoped."""

from functools import partial

from django.contrib import admin
from django.urls import path

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from automations.admin import demo as admin_demo
from automations.models import DemoRecord, Sync


@admin.register(Sync)
class SyncAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Syncs are written by background jobs (automations.services) only; "Load demo data" starts one."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("demo/", view(partial(admin_demo.demo_view, self)), name="automations_sync_demo"),
            path(
                "<int:pk>/progress/",
                view(partial(admin_demo.progress_view, self)),
                name="automations_sync_progress",
            ),
            path(
                "<int:pk>/progress/state/",
                view(partial(admin_demo.progress_state_view, self)),
                name="automations_sync_progress_state",
            ),
            *super().get_urls(),
        ]

    list_display = ("item_type", "status", "team", "user", "progress_percentage", "success_items", "created_at")
    list_filter = ("status", "direction")
    list_select_related = ("team", "user")
    search_fields = ("item_type", "message", "team__name", "team__slug")
    date_hierarchy = "created_at"
    fields = (
        "team",
        "user",
        "integration_id",
        "status",
        "direction",
        "item_type",
        "progress_percentage",
        "total_items",
        "success_items",
        "failed_items",
        "options",
        "message",
        "started_at",
        "ended_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields


@admin.register(DemoRecord)
class DemoRecordAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which rows demo data generated (removed by DELETE /team/demo_data/reset). Operators only: not in the
    "Team manager" group."""

    list_display = ("__str__", "content_type", "object_id", "team", "sync", "created_at")
    list_filter = ("content_type",)
    list_select_related = ("team", "sync__team", "content_type")
    search_fields = ("team__name", "team__slug")
    fields = ("team", "sync", "content_type", "object_id", "created_at")
    readonly_fields = fields
