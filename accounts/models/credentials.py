"""Credentials every API family reads: team API keys, per-device auth tokens and one-time codes."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property

from accounts.models.core import Device, Membership, Team, User
from core.tenancy import TeamScopedQuerySet


class ApiKeyQuerySet(TeamScopedQuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A team-scoped credential made by a manager; shown once, stored hashed. Acts as its maker, in its team."""

    PREFIX = "cdk_"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    display_prefix = models.CharField(max_length=16, help_text="The key's first characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list, blank=True, help_text='e.g. ["CHANNEL"]; empty means every scope.')
    allowed_ips = models.JSONField(default=list, blank=True, help_text="IP allow-list; empty allows any address.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name or 'API key'} ({self.display_prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def team_ids(self) -> frozenset[int]:
        return frozenset({self.team_id})

    @property
    def user(self) -> User:
        return self.created_by

    @cached_property
    def maker_membership(self) -> Membership | None:
        """The maker's active membership in the key's team: the access the key acts with (None once the maker
        left). accounts.services.credentials.credential_find loads it with the key, in the same query."""
        memberships = Membership.objects.active().select_related("team")
        return memberships.filter(team_id=self.team_id, user=self.created_by).first()

    @property
    def acts(self) -> bool:
        """A key acts only while unrevoked and its maker still manages its unarchived team (owner, admin or
        workforce manager): a key never outlives the authority of the person who made it."""
        membership = self.maker_membership
        return not self.is_revoked and membership is not None and membership.can_manage


class AuthToken(models.Model):
    """A per-user (and per-device) login token issued by sms-auth, qr-auth or a tommy session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_tokens")
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.CASCADE, related_name="auth_tokens")
    # QR login: the token whose device showed the code. A token never outlives the one it came from: revoking or
    # deleting the parent revokes or deletes it (accounts.services.credentials).
    issued_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="issued_tokens", editable=False
    )
    display_prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "auth token"

    def __str__(self) -> str:
        return f"token {self.display_prefix}… of {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def acts(self) -> bool:
        return not self.is_revoked

    @cached_property
    def team_ids(self) -> frozenset[int]:
        return frozenset(Membership.objects.active().filter(user_id=self.user_id).values_list("team_id", flat=True))


class OneTimeCode(models.Model):
    """A short-lived secret sent to a phone (SMS login, verification, reset) or shown as a QR login token.

    Only a keyed hash is stored; checks are constant-time; a code dies after OTP_MAX_ATTEMPTS wrong tries and
    can be used once.
    """

    class Purpose(models.TextChoices):
        LOGIN = "login", "SMS login"
        VERIFY = "verify", "Phone verification"
        RESET = "reset", "Password reset"
        QR_LOGIN = "qr_login", "QR login"

    phone = models.CharField(max_length=20, blank=True, db_index=True)
    purpose = models.CharField(max_length=16, choices=Purpose)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # QR login: the token that showed the code; the token the code yields is issued from it (AuthToken.issued_by).
    auth_token = models.ForeignKey(
        AuthToken, null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    code_hash = models.CharField(max_length=64, editable=False, db_index=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["phone", "purpose", "created_at"], name="otp_phone_purpose_created")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for {self.phone or self.user}"

    @staticmethod
    def digest(*, purpose: str, phone: str, code: str) -> str:
        return salted_hmac("crewdesk.one-time-code", f"{purpose}:{phone}:{code}", algorithm="sha256").hexdigest()

    @classmethod
    def live(cls):
        return cls.objects.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    @property
    def is_live(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
