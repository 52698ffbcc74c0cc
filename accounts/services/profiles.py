"""User profiles: sign-up, profile changes, who a user may look up, phone and email verification, devices.

Nothing here knows about HTTP or a family: api/<family>/ validates input, calls these and shapes the answers.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.models import Device, OneTimeCode, User
from accounts.services.codes import code_send
from accounts.services.users import device_delete, device_upsert, phone_verify, user_create, user_update
from accounts.visibility import Viewer, known_people
from core import links
from core.exceptions import NotFoundError, RateLimited, ValidationFailed

BAD_PIN = "The code is wrong or has expired; ask for a new one."
VERIFY = OneTimeCode.Purpose.VERIFY
VERIFY_EMAIL_SUBJECT = "Verify your Crewdesk email address"
VERIFY_EMAIL_BODY = (
    "Your Crewdesk verification code: {code}\n\nIt is valid for {minutes} minutes. "
    "You can also open this link to verify your address:\n{link}\n"
)


def _set_slug(user: User, slug: str | None) -> None:
    if not slug or slug == user.slug:
        return
    if User.objects.exclude(pk=user.pk).filter(slug__iexact=slug).exists():
        raise ValidationFailed("An account with these details already exists.", details={"slug": ["is already taken"]})
    user.slug = slug


@transaction.atomic
def user_register(*, password: str | None = None, avatar=None, slug: str | None = None, **profile) -> User:
    """Sign-up: a pending user who can log in with `password` once created. Needs an email or a mobile number."""
    if not profile.get("email") and not profile.get("phone"):
        raise ValidationFailed(
            "An email address or a mobile number is required.",
            details={"email": ["email or mobile is required"], "mobile": ["email or mobile is required"]},
        )
    user = user_create(password=password, **profile)
    if slug or avatar is not None:
        _set_slug(user, slug)
        if avatar is not None:
            user.avatar = avatar
        user.save()
    return user


@transaction.atomic
def user_profile_update(*, user: User, slug: str | None = None, **changes) -> User:
    """Partial update of the caller's profile: only the given fields change (password and avatar included)."""
    _set_slug(user, slug)
    return user_update(user=user, **changes)


def user_get_visible(*, viewer: Viewer, id_or_slug: str) -> User:
    """A person the caller may know of (accounts.visibility.known_people) by id or slug; anyone else — a stranger
    or an unknown id — is the same 404."""
    visible = known_people(viewer)
    found = None
    if id_or_slug.isdigit():
        found = visible.filter(pk=int(id_or_slug)).first()
    if found is None:
        found = visible.filter(slug=id_or_slug).first()
    if found is None:
        raise NotFoundError("User not found.")
    return found


def verification_sms_send(*, user_id: int, ip: str | None = None) -> None:
    """Text a verification code to the user's mobile number.

    Unknown ids, users without a mobile number and already verified numbers are a silent no-op, so the answer
    does not tell an anonymous caller which ids exist. Send budgets (cooldown, hourly limits) raise RateLimited.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.phone or user.is_phone_verified:
        return
    code_send(phone=user.phone, purpose=OneTimeCode.Purpose.VERIFY, ip=ip, user=user)


def _email_codes(user: User):
    """Email verification codes: OneTimeCode rows with `user` set and `phone=""` (the model keys codes by phone)."""
    return OneTimeCode.objects.filter(user=user, purpose=VERIFY, phone="")


def _check_email_budget(*, user: User, ip: str | None) -> None:
    """The SMS budgets of codes.code_send, for email codes: cooldown and hourly cap per user, hourly cap per IP."""
    now = timezone.now()
    recent = _email_codes(user).order_by("-created_at").first()
    if recent is not None:
        wait = settings.OTP_RESEND_COOLDOWN_SECONDS - int((now - recent.created_at).total_seconds())
        if wait > 0:
            raise RateLimited(f"A code was just sent; wait {wait} s before asking again.", retry_after=wait)
    hour_ago = now - timedelta(hours=1)
    if _email_codes(user).filter(created_at__gte=hour_ago).count() >= settings.OTP_HOURLY_LIMIT_PER_PHONE:
        raise RateLimited("Too many codes for this email address; try again later.", retry_after=3600)
    if ip and OneTimeCode.objects.filter(requested_ip=ip, created_at__gte=hour_ago).count() >= (
        settings.OTP_HOURLY_LIMIT_PER_IP
    ):
        raise RateLimited("Too many codes requested from this address; try again later.", retry_after=3600)


def verification_link(*, email: str, code: str) -> str:
    """Where the address is verified with the code filled in (core.links: the family that serves it builds it)."""
    return links.build("email-verification", email=email, code=code)


@transaction.atomic
def verification_email_send(*, user_id: int, ip: str | None = None) -> None:
    """Email a verification code (and a link to GET /users/verify with it) to the user's email address.

    Silent for unknown ids, users without an email and verified emails (no enumeration); budgets raise RateLimited.
    The mail goes through Django's email backend after the commit.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.is_email_verified:
        return
    _check_email_budget(user=user, ip=ip)
    code = "".join(secrets.choice("0123456789") for _ in range(settings.OTP_CODE_LENGTH))
    OneTimeCode.live().filter(user=user, purpose=VERIFY, phone="").update(used_at=timezone.now())
    OneTimeCode.objects.create(
        phone="",
        purpose=VERIFY,
        user=user,
        code_hash=OneTimeCode.digest(purpose=VERIFY, phone="", code=code),
        requested_ip=ip,
        expires_at=timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    email = user.email
    body = VERIFY_EMAIL_BODY.format(
        code=code,
        minutes=max(1, settings.OTP_TTL_SECONDS // 60),
        link=verification_link(email=email, code=code),
    )
    transaction.on_commit(lambda: send_mail(VERIFY_EMAIL_SUBJECT, body, None, [email]), robust=True)


def _email_code_matches(*, user: User, code: str) -> bool:
    """Spend the user's live email verification code if `code` matches it; count a wrong try otherwise."""
    record = OneTimeCode.live().filter(user=user, purpose=VERIFY, phone="").order_by("-created_at").first()
    if record is None:
        return False
    live = OneTimeCode.objects.filter(pk=record.pk, attempts__lt=settings.OTP_MAX_ATTEMPTS)
    if not live.update(attempts=F("attempts") + 1):
        return False
    expected = OneTimeCode.digest(purpose=VERIFY, phone="", code=(code or "").strip())
    if not constant_time_compare(expected, record.code_hash):
        return False
    return bool(OneTimeCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=timezone.now()))


def _email_verified(user: User) -> User:
    user.email_verified_at = timezone.now()
    if user.status == User.Status.PENDING:
        user.status = User.Status.ACTIVE
    user.save(update_fields=["email_verified_at", "status", "updated_at"])
    return user


def user_verify(*, code: str, user_id: int | None = None, email: str | None = None, phone: str | None = None) -> User:
    """Check a verification code sent by email (send_verification_email) or SMS (send_verification_sms).

    A code matching the user's live email code verifies the email; otherwise it is checked against the SMS code
    and verifies the mobile number. Either marks a pending account active. An unknown account fails exactly like
    a wrong code (no enumeration).
    """
    if user_id is None and not email and not phone:
        raise ValidationFailed(
            "Give user_id, email or mobile to say whose code this is.",
            details={"user_id": ["one of user_id, email or mobile is required"]},
        )
    users = User.objects.filter(is_active=True)
    if user_id is not None:
        users = users.filter(pk=user_id)
    if email:
        users = users.filter(email__iexact=email)
    if phone:
        users = users.filter(phone=phone)
    user = users.first()
    if user is None:
        raise ValidationFailed.for_field("pin", BAD_PIN)
    if user.email and _email_code_matches(user=user, code=code):
        return _email_verified(user)
    if not user.phone:
        raise ValidationFailed.for_field("pin", BAD_PIN)
    try:
        return phone_verify(user=user, code=code)
    except ValidationFailed as exc:
        raise ValidationFailed.for_field("pin", exc.message) from None


@transaction.atomic
def device_register(*, user: User, device_id: str, **fields) -> tuple[Device, bool]:
    """Upsert the user's device by its client-chosen id; returns (device, created)."""
    created = not Device.objects.filter(user=user, device_id=device_id).exists()
    return device_upsert(user=user, device_id=device_id, **fields), created


def device_get_own(*, user: User, pk: int) -> Device:
    device = Device.objects.filter(user=user, pk=pk).first()
    if device is None:
        raise NotFoundError("Device not found.")
    return device


def device_remove(*, user: User, pk: int) -> None:
    """Delete one of the caller's devices and revoke the tokens issued to it. Another user's device is a 404."""
    device_delete(device=device_get_own(user=user, pk=pk))
