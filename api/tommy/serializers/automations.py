"""Tommy shapes of the automations app (spec tommy-2 "Developer", "Addon", "Action", "ActionInstall", "AuditLog").

Reads are plain dicts built from the selectors' rows (no query per row); writes are small DRF serializers that only
check the body's shape — the services check the rest (variables, roles, schedules).

Extensions (documented in the OpenAPI schema and docs/decisions.md): ActionInstall `action_version_id`,
`schedule_text`, `next_run_at`, `last_run_at`, `last_run_status`; Action `install_id` and `run` on the install and
run answers; Setting `name`; AuditLog `created_at`, `status`, `run_id`.
"""

from rest_framework import serializers

from automations import schedules
from automations.models import (
    Action,
    ActionInstall,
    ActionRun,
    ActionVersion,
    Addon,
    AddonPermission,
    AddonSetting,
    Developer,
    HistoryEntry,
)


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def step(kind, version: ActionVersion | None) -> dict | None:
    """The Trigger / Activity shape: {id, action_version_id, name, description}."""
    if version is None:
        return None
    row = version.trigger if kind == "trigger" else version.activity
    return {"id": row.pk, "action_version_id": version.pk, "name": row.name, "description": row.description}


def addon_data(addon: Addon, *, installed: bool | None = None) -> dict:
    return {
        "id": addon.pk,
        "user_id": addon.developer.user_id,
        "developer_id": addon.developer_id,
        "package": addon.package,
        "title": addon.title,
        "author": addon.author,
        "environment": addon.environment,
        "version": addon.version,
        "description": addon.description,
        "homepage": addon.homepage,
        "icon_url": addon.icon_url,
        "file_base_url": addon.file_base_url,
        "installed": bool(getattr(addon, "is_installed", False) if installed is None else installed),
        "updated_at": _iso(addon.updated_at),
        "roles": addon.roles,
        "permissions": addon.permissions,
        "input_devices": addon.input_devices,
        "locales": addon.locales,
        "views": addon.views,
    }


def action_data(action: Action, *, installed: bool | None = None, version: ActionVersion | None = None) -> dict:
    version = version or action.current_version
    return {
        "id": action.pk,
        "user_id": action.developer.user_id,
        "developer_id": action.developer_id,
        "action_version_id": version.pk if version else None,
        "author": action.author,
        "trigger": step("trigger", version),
        "activity": step("activity", version),
        "dependencies": action.dependencies,
        "name": action.name,
        "summary": action.summary,
        "description": action.description,
        "icon_url": action.icon_url,
        "installed": bool(getattr(action, "is_installed", False) if installed is None else installed),
        "kind": action.kind,
        "unique": action.unique,
    }


def run_data(run: ActionRun | None) -> dict | None:
    if run is None:
        return None
    return {
        "id": run.pk,
        "status": run.status,
        "source": run.source,
        "due_at": _iso(run.due_at),
        "trigger_data": run.trigger_data,
    }


def action_answer(install: ActionInstall, *, run: ActionRun | None = None) -> dict:
    """POST /actions/installs, run, run_later: the Action as the document says, installed, plus the install's id
    and (for runs) the run."""
    data = action_data(install.action, installed=install.deleted_at is None, version=install.version)
    data["install_id"] = install.pk
    if run is not None:
        data["run"] = run_data(run)
    return data


def developer_data(developer: Developer) -> dict:
    return {
        "id": developer.pk,
        "name": developer.name,
        "details": developer.details,
        "icon_url": developer.icon_url,
        "addons": [addon_data(a) for a in developer.addons.all()],
        "actions": [action_data(a) for a in developer.actions.all()],
        "solutions": [
            {
                "id": s.pk,
                "user_id": s.user_id,
                "developer_id": s.developer_id,
                "name": s.name,
                "summary": s.summary,
                "description": s.description,
            }
            for s in developer.solutions.all()
        ],
    }


def install_data(install: ActionInstall) -> dict:
    return {
        "id": install.pk,
        "action_id": install.action_id,
        "addon_install_id": install.addon_install_id,
        "action_version_id": install.version_id,
        "title": install.title,
        "summary": install.summary,
        "description": install.description,
        "schedule": install.schedule,
        "schedule_text": schedules.describe(install.schedule, team_timezone=install.team.timezone),
        "installed": install.installed,
        "deleted_at": _iso(install.deleted_at),
        "updated_at": _iso(install.updated_at),
        "tag_ids": install.tag_ids,
        "tags_list": install.tags_list,
        "trigger": step("trigger", install.version),
        "activity": step("activity", install.version),
        "settings": install.settings,
        "next_run_at": _iso(install.next_run_at),
        "last_run_at": _iso(install.last_run_at),
        "last_run_status": install.last_run_status or None,
    }


def permission_data(permission: AddonPermission, *, team_id: int) -> dict:
    return {
        "user_id": permission.updated_by_id,
        "team_id": team_id,
        "name": permission.name,
        "title": permission.title,
        "hint": permission.hint,
        "resource_type": permission.resource_type,
        "resource_kind": permission.resource_kind,
        "operations": permission.operations,
    }


def setting_data(setting: AddonSetting, *, team_id: int) -> dict:
    return {
        "user_id": setting.user_id,
        "team_id": team_id,
        "addon_install_id": setting.addon_install_id,
        "name": setting.name,
        "resource_id": setting.resource_id,
        "resource_type": setting.resource_type,
        "context": setting.context,
        "format": setting.format,
        "data": setting.data,
    }


def history_data(entry: HistoryEntry) -> dict:
    return {
        "user_id": entry.user_id,
        "team_id": entry.team_id,
        "name": entry.name,
        "message": entry.message,
        "created_at": _iso(entry.created_at),
        "run_id": entry.run_id,
        "status": entry.run.status if entry.run_id else None,
    }


# --- the answers' shapes, for the OpenAPI document (the dicts above are what is sent) -----------------------------


class ActionStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action_version_id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()


class AddonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField(allow_null=True)
    developer_id = serializers.IntegerField()
    package = serializers.CharField()
    title = serializers.CharField()
    author = serializers.CharField()
    environment = serializers.CharField()
    version = serializers.CharField()
    description = serializers.CharField()
    homepage = serializers.CharField()
    icon_url = serializers.CharField()
    file_base_url = serializers.CharField()
    installed = serializers.BooleanField()
    updated_at = serializers.DateTimeField()
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.DictField())
    input_devices = serializers.ListField(child=serializers.DictField())
    locales = serializers.ListField(child=serializers.CharField())
    views = serializers.ListField(child=serializers.DictField())


class RunBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    source = serializers.CharField()
    due_at = serializers.DateTimeField()
    trigger_data = serializers.DictField()


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField(allow_null=True)
    developer_id = serializers.IntegerField()
    action_version_id = serializers.IntegerField(allow_null=True)
    author = serializers.CharField()
    trigger = ActionStepSerializer(allow_null=True)
    activity = ActionStepSerializer(allow_null=True)
    dependencies = serializers.DictField()
    name = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    icon_url = serializers.CharField()
    installed = serializers.BooleanField()
    kind = serializers.CharField()
    unique = serializers.BooleanField()


class ActionAnswerSerializer(ActionSerializer):
    """The Action, plus (extensions) the install it is about and, for run/run_later, the run."""

    install_id = serializers.IntegerField()
    run = RunBriefSerializer(required=False, allow_null=True)


class SolutionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField(allow_null=True)
    developer_id = serializers.IntegerField()
    name = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()


class DeveloperSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    details = serializers.CharField()
    icon_url = serializers.CharField()
    addons = AddonSerializer(many=True)
    actions = ActionSerializer(many=True)
    solutions = SolutionSerializer(many=True)


class ActionInstallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action_id = serializers.IntegerField()
    addon_install_id = serializers.IntegerField(allow_null=True)
    action_version_id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    schedule = serializers.DictField()
    schedule_text = serializers.CharField()
    installed = serializers.BooleanField()
    deleted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    tag_ids = serializers.ListField(child=serializers.IntegerField())
    tags_list = serializers.ListField(child=serializers.CharField())
    trigger = ActionStepSerializer()
    activity = ActionStepSerializer()
    settings = serializers.DictField()
    next_run_at = serializers.DateTimeField(allow_null=True)
    last_run_at = serializers.DateTimeField(allow_null=True)
    last_run_status = serializers.CharField(allow_null=True)


class AddonPermissionSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    hint = serializers.CharField()
    resource_type = serializers.CharField()
    resource_kind = serializers.CharField()
    operations = serializers.ListField(child=serializers.CharField())


class AddonSettingSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField()
    addon_install_id = serializers.IntegerField()
    name = serializers.CharField()
    resource_id = serializers.IntegerField(allow_null=True)
    resource_type = serializers.CharField()
    context = serializers.CharField()
    format = serializers.CharField()
    data = serializers.JSONField(allow_null=True)


class AuditLogSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(allow_null=True)
    team_id = serializers.IntegerField()
    name = serializers.CharField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()
    run_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True)


class ReportAnswerSerializer(serializers.Serializer):
    success = serializers.BooleanField()


# --- request bodies -------------------------------------------------------------------------------------------------


class ActionInstallCreateSerializer(serializers.Serializer):
    """POST /actions/installs: the document sends the Action model; its `id` (or `action_id`) names the action.
    `title`, `settings`, `schedule`, `tag_ids`, `tags_list` may come along (the install's fields)."""

    id = serializers.IntegerField(required=False, min_value=1)
    action_id = serializers.IntegerField(required=False, min_value=1)
    title = serializers.CharField(required=False, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=500)
    description = serializers.CharField(required=False, allow_blank=True)
    settings = serializers.JSONField(required=False)
    schedule = serializers.JSONField(required=False)
    tag_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=100)
    tags_list = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=100)

    def validate(self, attrs):
        if attrs.get("id") is None and attrs.get("action_id") is None:
            raise serializers.ValidationError({"id": ["is required: the id of the action to install"]})
        return attrs


class ActionInstallUpdateSerializer(serializers.Serializer):
    """PUT /actions/installs/{id}: id, action_id, addon_install_id, deleted_at, updated_at, trigger and activity
    are read-only (sent back as they were read, they are ignored)."""

    title = serializers.CharField(required=False, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=500)
    description = serializers.CharField(required=False, allow_blank=True)
    settings = serializers.JSONField(required=False)
    schedule = serializers.JSONField(required=False)
    installed = serializers.BooleanField(required=False)
    tag_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=100)
    tags_list = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=100)


class RunSerializer(serializers.Serializer):
    trigger_data = serializers.JSONField(required=False, default=dict)


class RunLaterSerializer(serializers.Serializer):
    """Extensions of the bodiless run_later: a one-off `run_at` with its `trigger_data`."""

    run_at = serializers.DateTimeField(required=False)
    trigger_data = serializers.JSONField(required=False, default=dict)


class PermissionUpdateSerializer(serializers.Serializer):
    operations = serializers.JSONField()


class SettingPutSerializer(serializers.Serializer):
    """The document's Setting: `data` required; context, format, resource_type, resource_id kept as given."""

    data = serializers.JSONField()
    context = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    format = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    resource_type = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    resource_id = serializers.IntegerField(required=False, allow_null=True, default=None)

    def to_internal_value(self, data):
        if isinstance(data, dict) and "data" not in data:
            raise serializers.ValidationError({"data": ["This field is required."]})
        return super().to_internal_value(data)


class ReportSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
