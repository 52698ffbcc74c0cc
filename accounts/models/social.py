"""Who knows whom: tommy contacts (with their request state machine) and invitations (tommy and tada)."""

import secrets
import uuid

from django.db import models
from django.db.models import Q

from accounts.models.core import Team, User
from core.tenancy import TeamScopedQuerySet


class Contact(models.Model):
    """One side of a contact relation: `owner` (or the team `owner` acts for) knows `friend`.

    Each side has its own row, so favourites, mute and labels are personal, and a request is `pending` on the
    sender's row and `requested` on the receiver's until accepted or declined (services keep both in step).
    """

    class Status(models.TextChoices):
        INVITED = "invited", "Invited (not on Crewdesk yet, or asked by invitation)"
        PENDING = "pending", "Request sent, waiting for the friend"
        REQUESTED = "requested", "Request received, waiting for the owner"
        ACCEPTED = "accepted", "Contacts"
        DECLINED = "declined", "Declined"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contacts")
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
        help_text="Set when the contact belongs to the team account rather than the user.",
    )
    friend = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_of")
    status = models.CharField(max_length=16, choices=Status, default=Status.INVITED)
    via = models.CharField(max_length=32, blank=True, help_text="How the contact came: import, sms, email, app…")
    favorite = models.BooleanField(default=False)
    mute = models.BooleanField(default=False)
    personal = models.BooleanField(default=False)
    roles = models.JSONField(default=list, blank=True)
    locations = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    # What the owner wrote about the friend (POST /contacts, import): shown back to the owner where the friend's
    # own profile is not theirs to see (accounts.visibility).
    sent_first_name = models.CharField(max_length=150, blank=True)
    sent_last_name = models.CharField(max_length=150, blank=True)
    sent_phone = models.CharField(max_length=20, blank=True)
    sent_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "friend"], condition=Q(team__isnull=True), name="contact_unique_personal"
            ),
            models.UniqueConstraint(
                fields=["team", "friend"], condition=Q(team__isnull=False), name="contact_unique_team"
            ),
            models.CheckConstraint(condition=~Q(owner=models.F("friend")), name="contact_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} → {self.friend} ({self.status})"


def new_invitation_token() -> str:
    """27 URL-safe characters, the length the tada document shows."""
    return secrets.token_urlsafe(20)


class Invitation(models.Model):
    """An invitation to connect with a user or to join a team.

    `kind=link`: a team's reusable join link / QR (tada invitations). `kind=personal`: one person invited by SMS,
    email or link (tommy invitations, team member invites), with pending → accepted | declined.
    """

    class Kind(models.TextChoices):
        LINK = "link", "Team join link"
        PERSONAL = "personal", "Personal invitation"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.PERSONAL)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    inviter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations_sent")
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        help_text="The inviting team (joining it is what accepting means), if any.",
    )
    invitee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations_received"
    )
    invitee_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20, blank=True, help_text="Where a personal invitation was sent (E.164).")
    email = models.EmailField(blank=True)
    # The invitee's names as the inviter wrote them (shown to the team while the invitation is pending).
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    message = models.TextField(blank=True)
    membership_status = models.CharField(max_length=16, blank=True, help_text="Access level granted on joining.")
    times_sent = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        target = self.team or self.inviter
        return f"{self.get_kind_display()} to {target} ({self.status})"
