"""Users, teams (the tenant), memberships, devices and the credentials every API family reads (DESIGN.md §2)."""

import hashlib
import secrets
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.text import slugify

from core.tenancy import TeamScopedQuerySet

# Slugs that would shadow fixed paths such as GET /users/verify or /teams/join.
RESERVED_SLUGS = frozenset({"me", "search", "verify", "reset_password", "join", "current", "new", "admin"})


def unique_slug(model, base: str, *, fallback: str) -> str:
    """`base` slugified, with a short random suffix when taken or reserved."""
    root = slugify(base)[:40] or fallback
    slug = root
    while slug.replace("-", "_") in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug = f"{root}-{secrets.token_hex(3)}"
    return slug


def hash_secret(raw: str) -> str:
    """SHA-256 of a high-entropy random secret (API keys, tokens): fast to check, useless if the table leaks."""
    return hashlib.sha256(raw.encode()).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email=None, password=None, **fields):
        email = self.normalize_email(email) or None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        if not user.slug:
            user.slug = unique_slug(User, user.full_name or (email or "").split("@")[0], fallback="user")
        user.save(using=self._db)
        return user

    def create_superuser(self, email=None, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("status", User.Status.ACTIVE)
        return self.create_user(email=email, password=password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One person, whatever the family calls them (tommy user, courier individual, inbox agent, tada me)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # invited or created, never logged in / verified
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    email = models.EmailField(unique=True, null=True, blank=True)
    phone = models.CharField("mobile (E.164)", max_length=20, unique=True, null=True, blank=True)
    username = models.CharField(max_length=64, unique=True, null=True, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    locale = models.CharField(max_length=35, blank=True, help_text="IETF language tag")
    dob = models.DateField("date of birth", null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"user {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_phone_verified(self) -> bool:
        return self.phone_verified_at is not None

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None


class Team(models.Model):
    """The tenant: tommy team, courier organization, inbox company, tada team."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC")
    is_archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Team, self.name, fallback="team")
        super().save(*args, **kwargs)


class MembershipQuerySet(TeamScopedQuerySet):
    def active(self):
        return self.filter(is_active=True, team__is_archived=False)


class Membership(models.Model):
    """A user in a team. `status` is the access level; `role` is only a job title (tada's distinction)."""

    class Status(models.TextChoices):
        GUEST = "guest", "Guest"
        MEMBER = "member", "Member"
        ADMIN = "admin", "Admin"
        OWNER = "owner", "Owner"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(max_length=16, choices=Status, default=Status.MEMBER)
    is_manager = models.BooleanField(default=False, help_text="Manages the team's workforce (shifts, timesheets).")
    role = models.CharField("job title", max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.status})"

    @property
    def can_manage(self) -> bool:
        return self.status in (self.Status.OWNER, self.Status.ADMIN) or self.is_manager


class Device(models.Model):
    """A user's app install: push tokens, keyed by the client-chosen `device_id` (tommy calls it `uuid`)."""

    class Type(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"
        WEB = "web", "Web"
        SAFARI = "safari", "Safari"

    class Environment(models.TextChoices):
        DEVELOPMENT = "development", "Development"
        PRODUCTION = "production", "Production"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    device_id = models.CharField(max_length=255)
    type = models.CharField(max_length=16, choices=Type, default=Type.WEB)
    environment = models.CharField(max_length=16, choices=Environment, default=Environment.PRODUCTION)
    name = models.CharField(max_length=255, blank=True)
    notification_token = models.CharField(max_length=4096, blank=True, default="")
    voip_notification_token = models.CharField(max_length=4096, blank=True, default="")
    allowed_notifications = models.BooleanField(default=True)
    data_pushes = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user", "device_id"], name="device_unique_user_device_id")]

    def __str__(self) -> str:
        return f"{self.name or self.device_id} ({self.type})"


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


class AuthToken(models.Model):
    """A per-user (and per-device) login token issued by sms-auth, qr-auth or a tommy session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_tokens")
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.CASCADE, related_name="auth_tokens")
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


__all__ = ["User", "Team", "Membership", "Device", "ApiKey", "AuthToken", "OneTimeCode", "hash_secret"]
