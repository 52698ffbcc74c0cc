"""A team's automations in the console: installed addons, installed actions (schedule in words, next and last run,
"Run now"), runs (status, attempts, progress, result or error) and history — scoped to the teams a manager runs.

Every change goes through automations.services (the same checks as the API): editing an install's title, settings,
schedule or pause calls install_update; "Run now" calls run_now.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from accounts.admin import ReadOnlyAdminMixin, TeamScopedAdminMixin
from automations import schedules
from automations.models import ActionInstall, ActionRun, AddonInstall, AddonPermission, AddonSetting, HistoryEntry
from automations.services import installs as install_services
from automations.services import runs as run_services
from core.exceptions import ApplicationError, ValidationFailed

RECENT_RUNS = 20
RUN_COLUMNS = ("Run", "Source", "Due", "Status", "Attempts", "Progress", "Result")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PermissionInline(_ReadOnlyInline):
    model = AddonPermission
    fields = ("name", "title", "operations", "updated_by", "updated_at")
    readonly_fields = fields


class SettingInline(_ReadOnlyInline):
    model = AddonSetting
    fields = ("name", "data", "user", "updated_at")
    readonly_fields = fields


@admin.register(AddonInstall)
class AddonInstallAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Installed with the API (POST /addons/{package}/install); permissions and settings shown as the team set
    them."""

    list_display = ("addon", "team", "version", "installed_by", "created_at")
    list_select_related = ("addon", "team", "installed_by")
    list_filter = ("addon",)
    search_fields = ("addon__title", "addon__package", "team__name")
    fields = ("team", "addon", "version", "installed_by", "created_at", "updated_at")
    readonly_fields = fields
    inlines = [PermissionInline, SettingInline]


def _progress(run: ActionRun) -> str:
    if run.status == ActionRun.Status.RUNNING or (run.progress and run.status != ActionRun.Status.SUCCEEDED):
        return format_html(
            '<progress max="100" value="{}"></progress> {}% {}', run.progress, int(run.progress), run.progress_note
        )
    return run.progress_note or "-"


def _outcome(run: ActionRun) -> str:
    if run.error:
        return run.error
    return ", ".join(f"{k}: {v}" for k, v in (run.result or {}).items()) or "-"


def latest_runs_table(install: ActionInstall) -> str:
    """The install's latest runs, newest first: status, attempts, progress, result or error (one query)."""
    runs = ActionRun.objects.filter(install=install).order_by("-due_at", "-id")[:RECENT_RUNS]
    rows = format_html_join(
        "",
        '<tr><td><a href="{}">#{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                reverse("admin:automations_actionrun_change", args=[r.pk]),
                r.pk,
                r.get_source_display(),
                r.due_at.strftime("%Y-%m-%d %H:%M:%S"),
                r.get_status_display(),
                r.attempts,
                _progress(r),
                _outcome(r),
            )
            for r in runs
        ),
    )
    if not rows:
        return "No runs yet."
    head = format_html_join("", "<th>{}</th>", ((h,) for h in RUN_COLUMNS))
    return format_html("<table><tr>{}</tr>{}</table>", head, rows)


class ActionInstallForm(forms.ModelForm):
    """Settings and schedule as JSON, checked by the same services as the API before anything is saved."""

    settings = forms.JSONField(required=False, help_text="See the action's variables (GET /actions/{id}/variables).")
    schedule = forms.JSONField(
        required=False,
        help_text='{"cron": "0 7 * * 1-5", "timezone": "Europe/Moscow"}, {"interval": {"every": 15, "period": '
        '"minutes"}} or {"run_at": "2026-05-01T09:00"}; "enabled": false pauses it.',
    )

    class Meta:
        model = ActionInstall
        fields = ("title", "summary", "description", "settings", "schedule", "installed")

    def clean(self):
        data = super().clean()
        instance = self.instance
        try:
            install_services.settings_check(
                install_or_version=instance, team=instance.team, settings=data.get("settings") or {}, complete=False
            )
            schedules.parse(data.get("schedule") or {}, team_timezone=instance.team.timezone)
        except ValidationFailed as exc:
            for field, problems in exc.details.items():
                name = field.split(".", 1)[0]
                self.add_error(name if name in self.fields else None, f"{field}: {'; '.join(problems)}")
        return data


@admin.register(ActionInstall)
class ActionInstallAdmin(TeamScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "title", "team", "action", "schedule_words", "next_run_at", "last_run_at", "last_run_status", "installed",
    )  # fmt: skip
    list_filter = ("installed", "last_run_status", "action__addon", ("deleted_at", admin.EmptyFieldListFilter))
    list_select_related = ("team", "action")
    search_fields = ("title", "action__name", "team__name")
    form = ActionInstallForm
    readonly_fields = (
        "team", "action", "version", "addon_install", "installed_by", "schedule_words", "next_run_at",
        "last_run_at", "last_run_status", "deleted_at", "created_at", "updated_at", "latest_runs",
    )  # fmt: skip
    fieldsets = (
        (None, {"fields": ("title", "team", "action", "version", "addon_install", "installed_by", "installed")}),
        ("Settings", {"fields": ("settings",)}),
        ("Schedule", {"fields": ("schedule", "schedule_words", "next_run_at", "last_run_at", "last_run_status")}),
        (f"Latest runs (at most {RECENT_RUNS})", {"fields": ("latest_runs",)}),
        ("More", {"classes": ("collapse",), "fields": ("summary", "description", "deleted_at", "created_at")}),
    )
    actions = ["run_now"]

    def has_add_permission(self, request):
        return False  # installed with the API (POST /actions/installs), which checks the addon and its roles

    @admin.display(description="latest runs")
    def latest_runs(self, obj):
        return latest_runs_table(obj)

    @admin.display(description="schedule")
    def schedule_words(self, obj):
        return schedules.describe(obj.schedule, team_timezone=obj.team.timezone)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            install_services.install_update(
                install=obj,
                by=request.user,
                title=data.get("title"),
                summary=data.get("summary"),
                description=data.get("description"),
                settings=data.get("settings") or {},
                schedule=data.get("schedule") or {},
                installed=data.get("installed"),
            )
        except ApplicationError as exc:
            self.message_user(request, f"Not saved: {exc.message} {json.dumps(exc.details)}", messages.ERROR)
        obj.refresh_from_db()

    def has_run_permission(self, request):
        return request.user.has_perm("automations.change_actioninstall")

    @admin.action(description="Run now", permissions=["run"])
    def run_now(self, request, queryset):
        started = 0
        for install in queryset.select_related("team", "version__activity", "version__trigger"):
            try:
                run_services.run_now(install=install, trigger_data={}, by=request.user)
                started += 1
            except ApplicationError as exc:
                details = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.details.items())
                self.message_user(request, f"{install}: {details or exc.message}", messages.ERROR)
        if started:
            self.message_user(request, f"{started} run(s) queued; their results appear below each install.")


@admin.register(ActionRun)
class ActionRunAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "install", "team", "source", "trigger", "due_at", "status", "attempts", "progress_bar")
    list_filter = ("status", "source")
    list_select_related = ("install", "team")
    search_fields = ("install__title", "trigger", "error")
    date_hierarchy = "due_at"
    show_full_result_count = False
    fields = (
        "install", "team", "source", "trigger", "status", "due_at", "attempts", "progress_bar", "outcome",
        "trigger_data", "result", "error", "requested_by", "claimed_at", "started_at", "finished_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description="progress")
    def progress_bar(self, obj):
        return _progress(obj)

    @admin.display(description="outcome")
    def outcome(self, obj):
        return _outcome(obj)


@admin.register(HistoryEntry)
class HistoryEntryAdmin(TeamScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "install", "name", "message", "user")
    list_filter = ("name",)
    list_select_related = ("install", "user")
    search_fields = ("install__title", "message")
    fields = ("created_at", "install", "run", "user", "name", "message")
    readonly_fields = fields
    show_full_result_count = False
