"""Who may be texted: opt-outs per organization (STOP/START), consent requests (courier `user-consents`) and the
organization's preferences (courier `org-preferences`) that hold the texts of these flows."""

import uuid

from django.conf import settings
from django.db import models

from core.tenancy import TeamScopedQuerySet


class SmsOptOut(models.Model):
    """A phone's opt-out state for one team. A row exists once the phone has said STOP (or START) to the team;
    `opted_out` is the current state, `reason` and `changed_at` say why and when it last changed."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="sms_opt_outs")
    phone = models.CharField(max_length=20)
    opted_out = models.BooleanField(default=True)
    reason = models.CharField(max_length=200, blank=True, help_text='e.g. "replied STOP"')
    changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "SMS opt-out"
        constraints = [models.UniqueConstraint(fields=["team", "phone"], name="sms_opt_out_unique_phone")]

    def __str__(self) -> str:
        return f"{self.phone} {'opted out' if self.opted_out else 'opted in'}"


class UserConsent(models.Model):
    """A consent request sent to a member (type `sms`: the initial message asks them to reply YES or NO)."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Type(models.TextChoices):
        SMS = "sms", "SMS"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="user_consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    type = models.CharField(max_length=16, choices=Type, default=Type.SMS)
    state = models.CharField(max_length=16, choices=State, default=State.PENDING, db_index=True)
    target_id = models.CharField(max_length=255, help_text="Where it was asked: the phone (E.164) for sms.")
    args = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "target_id", "state"], name="user_consent_reply_lookup")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} consent of user {self.user_id}: {self.state}"

    def message(self, name: str) -> str:
        """One of the texts in `args.messages` (`initial`, `accept`, `invalid-response`), '' when not given."""
        messages = (self.args or {}).get("messages") or {}
        value = messages.get(name) if isinstance(messages, dict) else None
        return value if isinstance(value, str) else ""


class OrgPreference(models.Model):
    """A preference set explicitly for an organization; unset names answer their default (messaging.preferences)."""

    uid = models.UUIDField(unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="org_preferences")
    name = models.CharField(max_length=64)
    type = models.CharField(max_length=16, default="json")
    value = models.TextField(blank=True)
    value_js = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="org_preference_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} of team {self.team_id}"
