"""Users, teams (the tenant), memberships and devices: the shared domain model of DESIGN.md §2."""

import datetime
import hashlib
import secrets
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
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


NOTIFICATION_CHANNELS = ("push", "sms", "email")


def default_notification_channels() -> list[str]:
    return list(NOTIFICATION_CHANNELS)


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
    last_seen_at = models.DateTimeField(null=True, blank=True, help_text="Last authenticated request (presence).")
    # tada: free-form client state, per user across teams (PUT /ui-settings, at most 16,000 bytes).
    ui_settings = models.JSONField(default=dict, blank=True)
    # tada "me" preferences.
    alt_send = models.BooleanField(default=False)
    default_lang = models.CharField(max_length=35, null=True, blank=True)
    unread_first = models.BooleanField(default=False)
    # tommy: the polymorphic "current account" (User, Team or TeamMember) that scopes later calls.
    current_account_type = models.CharField(max_length=16, blank=True)
    current_account_id = models.BigIntegerField(null=True, blank=True)
    # courier `users.notifications`: the channels the person wants notifications on (multicasts pick from these).
    notification_channels = models.JSONField(default=default_notification_channels, blank=True)
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

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    # Seconds a chat message stays editable (tada `max_message_update_age`).
    MAX_MESSAGE_UPDATE_AGE = 86400

    FEATURES = (
        "compliance", "timesheets", "timeclock", "availability", "orders", "clients", "training", "leave",
        "documents", "scheduling", "ndis", "experimental", "mileage",
    )  # fmt: skip

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.ACTIVE)
    # tommy TeamFeatures: the 13 documented flags; unknown keys are never stored (see services).
    features = models.JSONField(default=dict, blank=True)
    icon_sm = models.ImageField(upload_to="team-icons/", blank=True)
    icon_lg = models.ImageField(upload_to="team-icons/", blank=True)
    uploads_size = models.BigIntegerField(default=0, help_text="Bytes of files uploaded by the team.")
    uploads_size_limit = models.BigIntegerField(default=1024**3)
    default_task_deadline = models.TimeField(default=datetime.time(18, 0))
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
        """Memberships that grant access: not removed, team not archived, invitation (if any) accepted."""
        return self.filter(is_active=True, invitation_pending=False, team__is_archived=False)

    def managing(self):
        """Memberships whose holder manages the team: owners, admins and workforce managers (Membership.can_manage)."""
        return self.filter(
            models.Q(status__in=[Membership.Status.OWNER, Membership.Status.ADMIN]) | models.Q(is_manager=True)
        )


class Membership(models.Model):
    """A user in a team. `status` is the access level; `role` is only a job title (tada's distinction).

    Courier calls a membership an *individual* (a person in an organization); `uid` is its id there.
    """

    class Status(models.TextChoices):
        GUEST = "guest", "Guest"
        MEMBER = "member", "Member"
        ADMIN = "admin", "Admin"
        OWNER = "owner", "Owner"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(max_length=16, choices=Status, default=Status.MEMBER)
    is_manager = models.BooleanField(default=False, help_text="Manages the team's workforce (shifts, timesheets).")
    role = models.CharField("job title", max_length=150, blank=True)
    # tommy TeamMember: labels a manager gives the member.
    roles = models.JSONField(default=list, blank=True)
    locations = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    favorite = models.BooleanField(default=False)
    mute = models.BooleanField(default=False)
    # tada team contact: sections, and the member's own per-team view settings (contact_short_view, …).
    sections = models.JSONField(default=list, blank=True)
    preferences = models.JSONField(default=dict, blank=True)
    need_confirmation = models.BooleanField(default=False, help_text="Joined by invitation; not yet confirmed.")
    invitation_pending = models.BooleanField(
        default=False, help_text="Invited by a manager; no access to the team until the invitation is accepted."
    )
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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
    """A user's app install: push tokens, keyed by the client-chosen `device_id` (tommy calls it `uuid`).

    Courier `user-devices` are the same rows: `push_service` says which push service the token belongs to (apn,
    fcm, web), `sandbox` is `environment == development`, `token` is `notification_token` (for web, the browser's
    PushSubscription JSON), `allow-notification` is `allowed_notifications`.
    """

    class PushService(models.TextChoices):
        APN = "apn", "Apple Push Notification service"
        FCM = "fcm", "Firebase Cloud Messaging"
        WEB = "web", "Web Push"

    class Type(models.TextChoices):
        ANDROID = "android", "Android"
        IOS = "ios", "iOS"
        WEB = "web", "Web"
        SAFARI = "safari", "Safari"

    class Environment(models.TextChoices):
        DEVELOPMENT = "development", "Development"
        PRODUCTION = "production", "Production"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    # The individual (membership) that registered it through courier, when it did.
    individual = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="devices")
    device_id = models.CharField(max_length=255)
    type = models.CharField(max_length=16, choices=Type, default=Type.WEB)
    push_service = models.CharField(max_length=8, choices=PushService, blank=True)
    app_name = models.CharField(max_length=64, blank=True)
    app_version = models.CharField(max_length=20, blank=True)
    device_model = models.CharField(max_length=64, blank=True)
    os_version = models.CharField(max_length=64, blank=True)
    topic = models.CharField(max_length=255, blank=True)
    environment = models.CharField(max_length=16, choices=Environment, default=Environment.PRODUCTION)
    name = models.CharField(max_length=255, blank=True)
    notification_token = models.CharField(max_length=4096, blank=True, default="")
    voip_notification_token = models.CharField(max_length=4096, blank=True, default="")
    allowed_notifications = models.BooleanField(default=True)
    data_pushes = models.BooleanField(default=False)
    # tada: the contacts a device uploaded (PUT /devices/{id}/address-book replaces it).
    address_book = models.JSONField(default=list, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user", "device_id"], name="device_unique_user_device_id")]

    def __str__(self) -> str:
        return f"{self.name or self.device_id} ({self.type})"
