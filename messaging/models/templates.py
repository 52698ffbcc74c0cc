"""What a multicast is made of: a team's message templates (one part per channel) and its individual groups."""

import uuid

from django.db import models

from core.tenancy import TeamScopedQuerySet


class MessageTemplate(models.Model):
    """A team's template, keyed by `template_id` (courier `template-id`), with one part per channel.

    Parts are Jinja2 templates rendered sandboxed and strictly (messaging.templating): the recipient's
    `first_name`, `last_name`, `full_name` and `organization` are always given, everything else comes from the
    multicast's data. `push_data` is an object whose string values are templates too.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="message_templates")
    template_id = models.SlugField("template id", max_length=255, help_text="The id API clients send (template-id).")
    name = models.CharField(max_length=200, blank=True)
    sms_body = models.TextField("SMS body", blank=True)
    push_title = models.CharField(max_length=255, blank=True)
    push_body = models.TextField(blank=True)
    push_category = models.CharField(max_length=32, blank=True)
    push_data = models.JSONField(default=dict, blank=True, help_text="Extra push data; string values are templates.")
    email_subject = models.CharField(max_length=255, blank=True)
    email_text = models.TextField(blank=True)
    email_html = models.TextField("email HTML", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["team_id", "template_id"]
        constraints = [models.UniqueConstraint(fields=["team", "template_id"], name="message_template_unique_id")]

    def __str__(self) -> str:
        return self.name or self.template_id

    def parts(self) -> dict:
        """The parts as a plain dict: what a multicast snapshots when it is created (later edits do not change it)."""
        return {
            "sms_body": self.sms_body,
            "push_title": self.push_title,
            "push_body": self.push_body,
            "push_category": self.push_category,
            "push_data": dict(self.push_data or {}),
            "email_subject": self.email_subject,
            "email_text": self.email_text,
            "email_html": self.email_html,
        }


class IndividualGroup(models.Model):
    """A named group of a team's members (courier `individual-groups`): a department, a role, a crew. It has
    leaders and an optional parent, is managed in the console and is a multicast target."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="individual_groups")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    members = models.ManyToManyField("accounts.Membership", blank=True, related_name="individual_groups")
    leaders = models.ManyToManyField("accounts.Membership", blank=True, related_name="led_groups")
    last_sync_time = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["team_id", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="individual_group_unique_name")]

    def __str__(self) -> str:
        return self.name
