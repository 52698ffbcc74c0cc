"""Emails to one individual (courier `user-emails`) and their attachments, uploaded through upload tickets."""

import uuid

from django.conf import settings
from django.db import models

from core.tenancy import TeamScopedQuerySet


class UserEmail(models.Model):
    """An email a team sends to one of its people: `draft` until sent, then `queued` → `sending` → `sent` |
    `failed` (one claim per send, like texts). `result` says what the mail backend answered."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="user_emails")
    individual = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="emails")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    message = models.TextField(blank=True)
    message_html = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    result = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to} ({self.status})"


class UserEmailAttachmentQuerySet(TeamScopedQuerySet):
    team_lookup = "email__team"


def attachment_path(instance, filename: str) -> str:
    return f"email-attachments/{instance.email.team.uid}/{instance.uid}/{filename}"


class UserEmailAttachment(models.Model):
    """A file of a user email. Made by "start upload" with an upload ticket (`upload_token`, valid until
    `expires_at`); the client uploads to the ticket's URL; `process-upload` checks the file and sets `ready`."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.ForeignKey(UserEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to=attachment_path, max_length=500, blank=True)
    upload_token = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    ready = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserEmailAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
