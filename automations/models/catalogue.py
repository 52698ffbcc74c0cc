"""The catalogue (spec tommy-2 "Developer", "Addon", "Action"): who publishes what, loaded by a data migration from
automations/catalogue.py and editable by superusers in the admin. Not team-owned: every team sees the same rows.

An action is a trigger (what starts a run) plus an activity (what a run does); both are code, registered in
automations/triggers.py and automations/activities/, and named here by `key`. An action's trigger, activity and
`variables` live in an ActionVersion, so a later change to the catalogue never changes what an existing install
runs until the team upgrades it (PUT /addons/{package}/install).
"""

from django.conf import settings
from django.db import models


class Developer(models.Model):
    """A publisher of addons, actions and solutions (Crewdesk itself ships the built-in catalogue)."""

    key = models.SlugField(max_length=64, unique=True, help_text="Stable name the catalogue loader matches on.")
    name = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    icon_url = models.URLField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Solution(models.Model):
    """A named bundle a developer describes (the document gives it only a name, summary and description)."""

    developer = models.ForeignKey(Developer, on_delete=models.CASCADE, related_name="solutions")
    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Addon(models.Model):
    """An installable package of actions, with the permissions it asks for and the settings it takes.

    `permissions`: what an install may do, each {name, title, hint, resource_type, resource_kind, operations};
    a team narrows `operations` per install. `settings_schema`: a JSON Schema object whose properties are the
    setting names (PUT /addons/{package}/install/settings/{name} validates `data` against the property).
    """

    developer = models.ForeignKey(Developer, on_delete=models.PROTECT, related_name="addons")
    package = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=200, blank=True)
    environment = models.CharField(max_length=32, default="production")
    version = models.CharField(max_length=32, default="1.0.0")
    description = models.TextField(blank=True)
    homepage = models.URLField(blank=True)
    icon_url = models.URLField(blank=True)
    file_base_url = models.URLField(blank=True)
    roles = models.JSONField(default=list, blank=True, help_text='Any of "owner", "admin", "manager", "member".')
    permissions = models.JSONField(default=list, blank=True)
    settings_schema = models.JSONField(default=dict, blank=True)
    input_devices = models.JSONField(default=list, blank=True)
    locales = models.JSONField(default=list, blank=True)
    views = models.JSONField(default=list, blank=True)
    recommended = models.BooleanField(default=False)
    published = models.BooleanField(default=True, help_text="Unpublished addons are hidden from teams.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def permission_definition(self, name: str) -> dict | None:
        return next((p for p in self.permissions if p.get("name") == name), None)


class Trigger(models.Model):
    """What starts a run (the code behind `key` is in automations/triggers.py)."""

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """What a run does (the code behind `key` is in automations/activities/)."""

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """A trigger plus an activity, in an addon; `current_version` is what new installs get."""

    addon = models.ForeignKey(Addon, on_delete=models.PROTECT, related_name="actions")
    developer = models.ForeignKey(Developer, on_delete=models.PROTECT, related_name="actions")
    key = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    icon_url = models.URLField(blank=True)
    author = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=32, blank=True, help_text="How it starts: scheduled, event or manual.")
    unique = models.BooleanField(default=False, help_text="A team may install it only once.")
    dependencies = models.JSONField(default=dict, blank=True)
    current_version = models.ForeignKey(
        "ActionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ActionVersion(models.Model):
    """One published shape of an action: its trigger, its activity and the `variables` its settings and
    trigger_data must satisfy ({"settings": JSON Schema, "trigger_data": JSON Schema})."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    trigger = models.ForeignKey(Trigger, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    variables = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-number"]
        constraints = [models.UniqueConstraint(fields=["action", "number"], name="action_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.action} v{self.number}"


class AddonReport(models.Model):
    """POST /addons/{package}/report: someone reported an addon as inappropriate (reviewed by operators)."""

    addon = models.ForeignKey(Addon, on_delete=models.CASCADE, related_name="reports")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["addon", "user"], name="addon_report_once_per_user")]

    def __str__(self) -> str:
        return f"Report of {self.addon} by user {self.user_id}"
