"""What a team installed: addons (with the permissions it granted and the settings it chose) and actions (with their
settings, schedule and tags). Team-owned rows (DESIGN.md §2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.tenancy import TeamScopedQuerySet


class AddonInstall(models.Model):
    """An addon installed in a team; lets the addon's actions be installed there."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="addon_installs")
    addon = models.ForeignKey("automations.Addon", on_delete=models.PROTECT, related_name="installs")
    version = models.CharField(max_length=32, help_text="The addon's version when installed or last updated.")
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["team", "addon"], name="addon_install_once_per_team")]

    def __str__(self) -> str:
        return f"{self.addon} in {self.team}"


class AddonInstallScopedQuerySet(TeamScopedQuerySet):
    team_lookup = "addon_install__team"


class AddonPermission(models.Model):
    """A permission an addon install holds: which `operations` on a kind of resource its actions may perform.
    Made from the addon's definition at install; a manager narrows (or restores) the operations."""

    addon_install = models.ForeignKey(AddonInstall, on_delete=models.CASCADE, related_name="permissions")
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    hint = models.CharField(max_length=500, blank=True)
    resource_type = models.CharField(max_length=100, blank=True)
    resource_kind = models.CharField(max_length=100, blank=True)
    operations = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AddonInstallScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["addon_install", "name"], name="addon_permission_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {', '.join(self.operations) or 'nothing'}"


class AddonSetting(models.Model):
    """One named setting of an addon install; `data` is validated against the addon's settings_schema."""

    addon_install = models.ForeignKey(AddonInstall, on_delete=models.CASCADE, related_name="settings")
    name = models.CharField(max_length=100)
    data = models.JSONField(null=True, blank=True)
    context = models.CharField(max_length=100, blank=True)
    format = models.CharField(max_length=50, blank=True)
    resource_type = models.CharField(max_length=100, blank=True)
    resource_id = models.BigIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AddonInstallScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["addon_install", "name"], name="addon_setting_unique_name")]

    def __str__(self) -> str:
        return self.name


class ActionInstallQuerySet(TeamScopedQuerySet):
    def live(self):
        """Not deleted (DELETE /actions/installs/{id} is soft)."""
        return self.filter(deleted_at__isnull=True)


class ActionInstall(models.Model):
    """An action installed in a team: its own title, settings, schedule and tags, pinned to an action version.

    `schedule` (a Crewdesk extension; the document leaves it free-form): {"run_at"} once, or {"cron", "timezone"},
    or {"interval": {"every", "period"}}, plus "enabled" (default true). `schedule_revision` grows with every
    change, so runs planted by an older schedule are told apart (and canceled) when it changes.
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="action_installs")
    action = models.ForeignKey("automations.Action", on_delete=models.PROTECT, related_name="installs")
    version = models.ForeignKey("automations.ActionVersion", on_delete=models.PROTECT, related_name="installs")
    addon_install = models.ForeignKey(
        AddonInstall, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_installs"
    )
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    settings = models.JSONField(default=dict, blank=True)
    schedule = models.JSONField(default=dict, blank=True)
    schedule_revision = models.PositiveIntegerField(default=0)
    tag_ids = models.JSONField(default=list, blank=True)
    tags_list = models.JSONField(default=list, blank=True)
    installed = models.BooleanField(default=True)
    # Copied from Action.unique at install, so the constraint below can read it (a condition cannot join).
    action_unique = models.BooleanField(default=False, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True, help_text="When the latest run finished.")
    last_run_status = models.CharField(max_length=16, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True, help_text="The next planted scheduled run.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionInstallQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["team", "deleted_at"], name="action_install_team_live")]
        constraints = [
            # `unique` actions: one live install per team (the service checks first; this holds under races).
            models.UniqueConstraint(
                fields=["team", "action"],
                condition=Q(deleted_at__isnull=True, action_unique=True),
                name="action_install_unique_action",
            )
        ]

    def __str__(self) -> str:
        return self.title
