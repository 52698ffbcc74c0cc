"""SMS: text accounts (per-team sender configuration), their numbers, outbound texts, inbound messages, number
logs, user-number maps and carrier lookups."""

import uuid

from django.conf import settings
from django.db import models

from core.tenancy import TeamScopedQuerySet


class TextAccount(models.Model):
    """A team's SMS account (courier `text-accounts`): which number texts go out from."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="text_accounts")
    allow_custom_number = models.BooleanField(default=False)
    phone_number = models.CharField(max_length=20, blank=True, help_text="Default sender (E.164).")
    twilio_id = models.CharField(max_length=64, blank=True, help_text="Provider (sub)account id.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.team} SMS account {self.phone_number or '(default sender)'}"


class TextNumberQuerySet(TeamScopedQuerySet):
    team_lookup = "account__team"


class TextNumber(models.Model):
    """A phone number of a text account (courier `text-account-numbers`), provisioned through the SMS backend.

    Inbound messages to it arrive on its own provider webhook (messaging.services.inbound); `events` configures
    what happens for senders who are not members of the team (`{"unknown-number": {"action": …, "message": …}}`).
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(TextAccount, on_delete=models.CASCADE, related_name="numbers")
    phone_number = models.CharField(max_length=20)
    twilio_id = models.CharField(max_length=64, blank=True)
    alert = models.BooleanField(default=False)
    forward_to = models.CharField(max_length=20, blank=True)
    logging = models.BooleanField(default=False)
    notes = models.CharField(max_length=255, blank=True)
    events = models.JSONField(default=dict, blank=True)
    capability_sms = models.BooleanField(default=True)
    capability_mms = models.BooleanField(default=False)
    capability_voice = models.BooleanField(default=False)
    lata = models.CharField(max_length=16, blank=True)
    latitude = models.CharField(max_length=32, blank=True)
    longitude = models.CharField(max_length=32, blank=True)
    postal_code = models.CharField(max_length=16, blank=True)
    rate_center = models.CharField(max_length=64, blank=True)
    region = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TextNumberQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["phone_number"], name="text_number_phone")]

    def __str__(self) -> str:
        return self.phone_number

    @property
    def unknown_number_rule(self) -> dict:
        rule = (self.events or {}).get("unknown-number") or {}
        return rule if isinstance(rule, dict) else {}


class Text(models.Model):
    """One outbound SMS and its delivery state. The row is the unit of exactly-once work (DESIGN.md §4)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"  # stored, waiting for a worker
        QUEUED = "queued", "Queued"  # the provider has it queued
        SENDING = "sending", "Sending"  # claimed by a worker / provider is sending
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        UNDELIVERED = "undelivered", "Undelivered"
        FAILED = "failed", "Failed"

    class Purpose(models.TextChoices):
        OTP = "otp", "Login or verification code"
        MESSAGE = "message", "Message"
        INVITATION = "invitation", "Invitation"
        NOTIFICATION = "notification", "Notification"
        # Answers to STOP/START/HELP: carriers require them even to a phone that has just opted out.
        COMPLIANCE = "compliance", "Opt-out or help reply"

    # Statuses only move forward: a late "sent" callback never overwrites "delivered".
    RANK = {
        Status.ACCEPTED: 0,
        Status.QUEUED: 1,
        Status.SENDING: 2,
        Status.SENT: 3,
        Status.DELIVERED: 4,
        Status.UNDELIVERED: 4,
        Status.FAILED: 4,
    }
    FINAL = (Status.DELIVERED, Status.UNDELIVERED, Status.FAILED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="texts")
    account = models.ForeignKey(TextAccount, null=True, blank=True, on_delete=models.SET_NULL, related_name="texts")
    number = models.ForeignKey(TextNumber, null=True, blank=True, on_delete=models.SET_NULL, related_name="texts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.CharField(max_length=20)
    from_number = models.CharField(max_length=20, blank=True)
    body = models.TextField()
    purpose = models.CharField(max_length=16, choices=Purpose, default=Purpose.MESSAGE)
    status = models.CharField(max_length=16, choices=Status, default=Status.ACCEPTED, db_index=True)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    callback_status_url = models.URLField(max_length=500, blank=True)
    callback_url = models.URLField(max_length=500, blank=True)
    callback_json = models.JSONField(null=True, blank=True)
    callback_one_off = models.BooleanField(default=True)
    expected_responses = models.JSONField(default=list, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Written (and committed) just before the provider is called: a text found stuck in `sending` without it was
    # never handed over and may be sent again; with it, the backend is asked whether it has the text (issue 8).
    provider_called_at = models.DateTimeField(null=True, blank=True)
    resent_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends", help_text="Resent by hand."
    )
    # The first reply matching `expected_responses` that was forwarded to `callback_url` (callback-one-off).
    reply_forwarded_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "-created_at"], name="text_account_created"),
            models.Index(fields=["team", "to", "from_number", "-created_at"], name="text_reply_lookup"),
        ]

    def __str__(self) -> str:
        return f"SMS to {self.to} ({self.status})"

    @property
    def queue(self) -> str:
        return "sms_otp" if self.purpose == self.Purpose.OTP else "sms"


class TextUserNumberMap(models.Model):
    """A member's texts go out from this number (courier `text-user-number-maps`); one number per member per team."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="text_user_number_maps")
    number = models.ForeignKey(TextNumber, on_delete=models.CASCADE, related_name="user_maps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="text_number_maps")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="text_user_number_map_one_per_user")]

    def __str__(self) -> str:
        return f"user {self.user_id} sends from {self.number_id}"


class TextNumberLogQuerySet(TeamScopedQuerySet):
    team_lookup = "number__account__team"


class TextNumberLog(models.Model):
    """One line of a number's traffic log, written only while the number's `logging` is on (`text-number-logs`)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.ForeignKey(TextNumber, on_delete=models.CASCADE, related_name="logs")
    log = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TextNumberLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["number", "-created_at"], name="text_number_log_number")]

    def __str__(self) -> str:
        return self.log[:80]


class InboundText(models.Model):
    """One inbound SMS (courier `text-receive-logs`, whose id is the provider's message id).

    Stored by the webhook in one INSERT (unique per number and provider id, so a retried webhook stores one row)
    and processed by a Celery task in one transaction: `received` → `processed`.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="inbound_texts")
    number = models.ForeignKey(TextNumber, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound")
    sid = models.CharField(max_length=64, help_text="The provider's message id (Twilio MessageSid).")
    sender = models.CharField(max_length=20)
    to = models.CharField(max_length=20)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.RECEIVED, db_index=True)
    outcome = models.CharField(max_length=200, blank=True, help_text="What processing did with it.")
    matched_text = models.ForeignKey(Text, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["number", "sid"], name="inbound_text_unique_sid")]

    def __str__(self) -> str:
        return f"SMS from {self.sender} to {self.to}"


class TextNumberInfo(models.Model):
    """A carrier lookup of one phone number, cached per team (courier `text-number-info`)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RESOLVED = "resolved", "Resolved"
        FAILED = "failed", "Failed"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="text_number_info")
    number = models.CharField(max_length=20)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    carrier_name = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=32, blank=True, help_text="mobile, landline, voip, … (empty until resolved)")
    mobile_country_code = models.CharField(max_length=8, blank=True)
    mobile_network_code = models.CharField(max_length=8, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["team", "number"], name="text_number_info_unique")]

    def __str__(self) -> str:
        return f"{self.number} ({self.status})"
