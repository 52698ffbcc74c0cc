"""The catalogue in the console: developers, addons, actions (with their versions), triggers, activities and abuse
reports. Loaded by a data migration; superusers edit the texts, roles, permissions, settings schemas and flags
(team managers only read them). An action's trigger, activity and variables are its versions' (read-only here:
a new version comes from the catalogue loader, so installs never change under a team's feet)."""

from django.contrib import admin
from django.db import models

from automations.models import Action, ActionVersion, Activity, Addon, AddonReport, Developer, Solution, Trigger

URLS_ARE_HTTPS = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, without its warning


class SolutionInline(admin.TabularInline):
    model = Solution
    extra = 0
    fields = ("key", "name", "summary")


@admin.register(Developer)
class DeveloperAdmin(admin.ModelAdmin):
    formfield_overrides = URLS_ARE_HTTPS
    list_display = ("name", "key", "updated_at")
    search_fields = ("name", "key")
    fields = ("key", "name", "details", "icon_url", "user")
    autocomplete_fields = ("user",)
    inlines = [SolutionInline]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ("name", "key", "kind", "unique", "published")
    readonly_fields = ("key", "kind")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Addon)
class AddonAdmin(admin.ModelAdmin):
    formfield_overrides = URLS_ARE_HTTPS
    list_display = ("title", "package", "version", "roles", "recommended", "published", "updated_at")
    list_filter = ("recommended", "published", "developer")
    search_fields = ("title", "package", "description")
    list_select_related = ("developer",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("package", "title", "developer", "version", "description", "recommended", "published")}),
        ("Who may install, and what it may do", {"fields": ("roles", "permissions", "settings_schema")}),
        (
            "Presentation",
            {"fields": ("author", "environment", "homepage", "icon_url", "file_base_url", "input_devices", "locales")},
        ),
        ("Views", {"fields": ("views", "created_at", "updated_at")}),
    )
    autocomplete_fields = ("developer",)
    inlines = [ActionInline]


class VersionInline(admin.TabularInline):
    model = ActionVersion
    fk_name = "action"
    extra = 0
    fields = ("number", "trigger", "activity", "variables", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    formfield_overrides = URLS_ARE_HTTPS
    list_display = ("name", "key", "addon", "kind", "trigger", "activity", "unique", "published")
    list_filter = ("kind", "unique", "published", "addon")
    search_fields = ("name", "key", "summary", "description")
    list_select_related = ("addon", "current_version__trigger", "current_version__activity")
    fields = (
        "key", "name", "addon", "developer", "summary", "description", "icon_url", "author", "kind", "unique",
        "dependencies", "published", "current_version",
    )  # fmt: skip
    readonly_fields = ("key", "kind", "current_version")
    autocomplete_fields = ("addon", "developer")
    inlines = [VersionInline]

    @admin.display(description="trigger")
    def trigger(self, obj):
        return obj.current_version.trigger if obj.current_version else "-"

    @admin.display(description="activity")
    def activity(self, obj):
        return obj.current_version.activity if obj.current_version else "-"


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    list_display = ("name", "key")
    search_fields = ("name", "key")
    readonly_fields = ("key",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("name", "key")
    search_fields = ("name", "key")
    readonly_fields = ("key",)


@admin.register(AddonReport)
class AddonReportAdmin(admin.ModelAdmin):
    """Operators review reports (not in the Team manager group)."""

    list_display = ("addon", "user", "team", "created_at")
    list_select_related = ("addon", "user", "team")
    search_fields = ("addon__title", "addon__package", "reason")
    fields = ("addon", "user", "team", "reason", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
