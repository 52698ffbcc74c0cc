"""The company's directory for the inbox: teams of agents, AI assistants, labels and quick replies."""

from django.db import models

from core.tenancy import TeamScopedQuerySet


class InboxTeam(models.Model):
    """A group of agents (support, sales) and the channels they handle. Members and channels are set in the
    console; the API names, colours and deletes teams."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="inbox_teams")
    jid = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=100)
    color = models.IntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    channels = models.ManyToManyField("inbox.Channel", blank=True, related_name="inbox_teams")
    members = models.ManyToManyField("accounts.Membership", blank=True, related_name="inbox_teams")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "inbox team"

    def __str__(self) -> str:
        return self.name


class Assistant(models.Model):
    """An AI assistant that can own conversations. Calls made with its API key act as the assistant: it may write
    only into conversations assigned to it (error 1010 otherwise)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="inbox_assistants")
    jid = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    color = models.IntegerField(default=0)
    enabled = models.BooleanField(default=True)
    api_key = models.OneToOneField(
        "accounts.ApiKey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_assistant",
        help_text="Requests made with this key act as the assistant.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="inbox_labels")
    jid = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=255, blank=True)
    color = models.IntegerField(default=0)
    priority = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="inbox_label_name_unique")]

    def __str__(self) -> str:
        return self.name


class QuickReply(models.Model):
    """A canned answer agents pick in the reply box (may contain {{1}} placeholders); managed in the console."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="inbox_quick_replies")
    name = models.CharField(max_length=100)
    category = models.CharField(max_length=100, blank=True)
    message = models.TextField()
    channels = models.ManyToManyField("inbox.Channel", blank=True, related_name="quick_replies")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name", "id"]
        verbose_name_plural = "quick replies"

    def __str__(self) -> str:
        return self.name
