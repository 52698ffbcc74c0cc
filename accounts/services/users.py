"""Users and their devices: sign-up, profile updates, SMS/QR login, verification and password reset."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuthToken, Device, OneTimeCode, User, unique_slug
from accounts.models.core import NOTIFICATION_CHANNELS
from accounts.services.codes import code_consume, qr_login_consume
from accounts.services.credentials import auth_token_issue, auth_tokens_revoke_for_device
from accounts.services.epochs import user_epochs_bump
from core.exceptions import ConflictError, ValidationFailed

PROFILE_FIELDS = ("first_name", "last_name", "email", "phone", "username", "dob", "locale")


def _check_unique(*, user: User | None, email: str | None, phone: str | None, username: str | None) -> None:
    others = User.objects.exclude(pk=user.pk) if user else User.objects.all()
    details = {}
    if email and others.filter(email__iexact=email).exists():
        details["email"] = ["is already taken"]
    if phone and others.filter(phone=phone).exists():
        details["mobile"] = ["is already taken"]
    if username and others.filter(username__iexact=username).exists():
        details["username"] = ["is already taken"]
    if details:
        raise ValidationFailed("An account with these details already exists.", details=details)


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed("The password is too weak.", details={"password": list(exc.messages)}) from None
    user.set_password(password)


@transaction.atomic
def user_create(*, password: str | None = None, **profile) -> User:
    """Create a user; `phone` must already be normalised (core.phones)."""
    fields = {k: v for k, v in profile.items() if k in PROFILE_FIELDS and v not in (None, "")}
    _check_unique(user=None, email=fields.get("email"), phone=fields.get("phone"), username=fields.get("username"))
    user = User(**fields)
    user.slug = unique_slug(User, user.full_name or (user.email or "").split("@")[0] or "user", fallback="user")
    if password:
        _set_password(user, password)
    else:
        user.set_unusable_password()
    try:
        user.save()
    except IntegrityError:  # a concurrent sign-up took the same email/phone between the check and the insert
        raise ConflictError("An account with these details already exists.") from None
    return user


@transaction.atomic
def user_update(*, user: User, password: str | None = None, avatar=None, **changes) -> User:
    fields = {k: v for k, v in changes.items() if k in PROFILE_FIELDS}
    _check_unique(user=user, email=fields.get("email"), phone=fields.get("phone"), username=fields.get("username"))
    if "phone" in fields and fields["phone"] != user.phone:
        user.phone_verified_at = None
    if "email" in fields and (fields["email"] or None) != user.email:
        user.email_verified_at = None
    for name, value in fields.items():
        setattr(user, name, value if value != "" or name not in ("email", "phone", "username") else None)
    if password:
        _set_password(user, password)
    if avatar is not None:
        user.avatar = avatar
    user.save()
    return user


@transaction.atomic
def user_notification_channels_set(*, user: User, channels: list[str]) -> User:
    """The channels the person wants notifications on (courier `users.notifications`): push, sms, email."""
    unknown = [c for c in channels if c not in NOTIFICATION_CHANNELS]
    if unknown:
        raise ValidationFailed.for_field("notifications", f"Unknown channel {unknown[0]!r}: use push, sms or email.")
    user.notification_channels = list(dict.fromkeys(channels))
    user.save(update_fields=["notification_channels", "updated_at"])
    return user


DEVICE_FIELDS = (
    "type",
    "environment",
    "name",
    "notification_token",
    "voip_notification_token",
    "allowed_notifications",
    "data_pushes",
    # courier user-devices
    "push_service",
    "individual",
    "app_name",
    "app_version",
    "device_model",
    "os_version",
    "topic",
)


@transaction.atomic
def device_upsert(*, user: User, device_id: str, replace: bool = False, **fields) -> Device:
    """Create the device or update it in place. With `replace`, fields not given go back to their defaults
    (tada's POST /devices is a full replacement); otherwise only the given fields change."""
    values = {k: v for k, v in fields.items() if k in DEVICE_FIELDS and v is not None}
    device = Device.objects.select_for_update(of=("self",)).filter(user=user, device_id=device_id).first()
    if device is None:
        device = Device(user=user, device_id=device_id)
    elif replace:
        defaults = Device(user=user, device_id=device_id)
        for name in DEVICE_FIELDS:
            setattr(device, name, getattr(defaults, name))
    for name, value in values.items():
        setattr(device, name, value)
    device.last_seen_at = timezone.now()
    device.save()
    return device


def push_token_claim(*, device: Device) -> int:
    """The device now holds its push token alone: other devices with the same token (a phone that changed hands)
    stop receiving pushes. Returns how many were cleared."""
    if not device.notification_token:
        return 0
    others = Device.objects.filter(
        notification_token=device.notification_token, push_service=device.push_service
    ).exclude(pk=device.pk)
    user_epochs_bump(others.values_list("user_id", flat=True))  # their devices show in their `/me`
    return others.update(notification_token="", updated_at=timezone.now())


@transaction.atomic
def device_delete(*, device: Device) -> None:
    """Forget a device; tokens issued to it stop working."""
    auth_tokens_revoke_for_device(device=device)
    device.delete()


@dataclass(frozen=True)
class LoginResult:
    user: User
    token: str | None
    device: Device | None
    created: bool


def _user_for_verified_phone(phone: str) -> tuple[User, bool]:
    user = User.objects.filter(phone=phone).first()
    created = user is None
    if created:
        user = user_create(phone=phone)
    changed = []
    if user.phone_verified_at is None:
        user.phone_verified_at = timezone.now()
        changed.append("phone_verified_at")
    if user.status == User.Status.PENDING:
        user.status = User.Status.ACTIVE
        changed.append("status")
    if changed:
        user.save(update_fields=[*changed, "updated_at"])
    return user, created


def sms_login_complete(
    *, phone: str, code: str, device_id: str | None = None, issue_token: bool = True, **device_fields
) -> LoginResult:
    """Check the SMS code; the first login creates the user. Registers the device and issues a token."""
    code_consume(phone=phone, purpose=OneTimeCode.Purpose.LOGIN, code=code)
    with transaction.atomic():
        user, created = _user_for_verified_phone(phone)
        if user.status == User.Status.SUSPENDED or not user.is_active:
            raise ValidationFailed.for_field("phone", "This account is suspended.")
        device = device_upsert(user=user, device_id=device_id, **device_fields) if device_id else None
        token = auth_token_issue(user=user, device=device)[1] if issue_token else None
    return LoginResult(user=user, token=token, device=device, created=created)


def qr_login_complete(*, temp_token: str, device_id: str | None = None, **device_fields) -> LoginResult:
    """Log a new device in with a scanned QR temp token: its token is issued from the token that showed the code,
    which must still act (locked, so a revocation running now either comes first and refuses this login, or
    comes after and finds the new token to revoke with it)."""
    record = qr_login_consume(token=temp_token)
    user = record.user
    with transaction.atomic():
        parent = AuthToken.objects.select_for_update().filter(pk=record.auth_token_id).first()
        if parent is None or not parent.acts or user.status == User.Status.SUSPENDED or not user.is_active:
            raise ValidationFailed.for_field("temp_token", "The QR code has expired or is not valid.")
        device = device_upsert(user=user, device_id=device_id, **device_fields) if device_id else None
        token = auth_token_issue(user=user, device=device, issued_by=parent)[1]
    return LoginResult(user=user, token=token, device=device, created=False)


def phone_verify(*, user: User, code: str) -> User:
    """Mark the user's phone verified with the code sent by send_verification_sms."""
    if not user.phone:
        raise ValidationFailed.for_field("mobile", "The account has no mobile number.")
    code_consume(phone=user.phone, purpose=OneTimeCode.Purpose.VERIFY, code=code)
    user.phone_verified_at = timezone.now()
    if user.status == User.Status.PENDING:
        user.status = User.Status.ACTIVE
    user.save(update_fields=["phone_verified_at", "status", "updated_at"])
    return user
