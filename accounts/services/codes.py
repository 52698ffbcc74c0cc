"""One-time codes: SMS login / verification / reset codes and QR login tokens.

Defaults (settings, docs/decisions.md): 4 digits, valid 5 minutes, 5 wrong tries, 30 s resend cooldown, at most
5 codes an hour per phone and 20 per client IP. Codes are stored as keyed hashes and compared in constant time.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.models import AuthToken, OneTimeCode, User
from core import sms
from core.exceptions import RateLimited, ValidationFailed

SMS_TEXTS = {
    OneTimeCode.Purpose.LOGIN: "Your Crewdesk login code: {code}",
    OneTimeCode.Purpose.VERIFY: "Your Crewdesk verification code: {code}",
    OneTimeCode.Purpose.RESET: "Your Crewdesk password reset code: {code}",
}


@dataclass(frozen=True)
class IssuedCode:
    record: OneTimeCode
    length: int

    @property
    def valid_until(self) -> datetime:
        return self.record.expires_at


def _check_budget(*, phone: str, purpose: str, ip: str | None) -> None:
    now = timezone.now()
    recent = OneTimeCode.objects.filter(phone=phone, purpose=purpose).order_by("-created_at").first()
    if recent is not None:
        wait = settings.OTP_RESEND_COOLDOWN_SECONDS - int((now - recent.created_at).total_seconds())
        if wait > 0:
            raise RateLimited(f"A code was just sent; wait {wait} s before asking again.", retry_after=wait)
    hour_ago = now - timedelta(hours=1)
    # QR login tokens carry the user's phone but send no SMS: they must not spend the phone's SMS budget.
    sent = OneTimeCode.objects.filter(phone=phone, created_at__gte=hour_ago).exclude(
        purpose=OneTimeCode.Purpose.QR_LOGIN
    )
    if sent.count() >= settings.OTP_HOURLY_LIMIT_PER_PHONE:
        raise RateLimited("Too many codes for this phone number; try again later.", retry_after=3600)
    if (
        ip
        and OneTimeCode.objects.filter(requested_ip=ip, created_at__gte=hour_ago).count()
        >= settings.OTP_HOURLY_LIMIT_PER_IP
    ):
        raise RateLimited("Too many codes requested from this address; try again later.", retry_after=3600)


def _new_code(length: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(length))


@transaction.atomic
def code_send(
    *, phone: str, purpose: str, ip: str | None = None, user: User | None = None, team_id: int | None = None
) -> IssuedCode:
    """Issue a code for `phone` (already normalised) and queue its SMS on commit. Older live codes die."""
    _check_budget(phone=phone, purpose=purpose, ip=ip)
    length = settings.OTP_CODE_LENGTH
    code = _new_code(length)
    OneTimeCode.live().filter(phone=phone, purpose=purpose).update(used_at=timezone.now())
    record = OneTimeCode.objects.create(
        phone=phone,
        purpose=purpose,
        user=user,
        code_hash=OneTimeCode.digest(purpose=purpose, phone=phone, code=code),
        requested_ip=ip,
        expires_at=timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    sms.send_text(to=phone, body=SMS_TEXTS[purpose].format(code=code), purpose="otp", team_id=team_id)
    return IssuedCode(record=record, length=length)


def code_consume(*, phone: str, purpose: str, code: str) -> OneTimeCode:
    """Spend the live code for `phone` if `code` matches; count a wrong try otherwise.

    Not atomic on purpose: a wrong try must stay counted even though the request fails.
    """
    record = OneTimeCode.live().filter(phone=phone, purpose=purpose).order_by("-created_at").first()
    # Spend the attempt BEFORE comparing, with a conditional UPDATE, so concurrent guesses cannot all read
    # attempts < OTP_MAX_ATTEMPTS and get more comparisons between them than the limit allows.
    live = OneTimeCode.objects.filter(pk=getattr(record, "pk", None), attempts__lt=settings.OTP_MAX_ATTEMPTS)
    if record is None or not live.update(attempts=F("attempts") + 1):
        raise ValidationFailed.for_field("code", "The code has expired or was not requested; ask for a new one.")
    expected = OneTimeCode.digest(purpose=purpose, phone=phone, code=(code or "").strip())
    if not constant_time_compare(expected, record.code_hash):
        left = settings.OTP_MAX_ATTEMPTS - record.attempts - 1
        message = "Wrong code." + (f" {left} tries left." if left > 0 else " Ask for a new code.")
        raise ValidationFailed.for_field("code", message)
    # Conditional update: of two requests racing with the right code, only one spends it.
    if not OneTimeCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise ValidationFailed.for_field("code", "The code has already been used.")
    return record


QR_TOKEN_LENGTH = 16


def qr_login_issue(*, user: User, auth_token: AuthToken) -> tuple[OneTimeCode, str]:
    """A 16-character URL-safe temp token bound to `user` and to the token of the device showing it (the login it
    yields is issued from that token: never longer-lived or broader), valid QR_LOGIN_TTL_SECONDS (60 s)."""
    token = secrets.token_urlsafe(12)[:QR_TOKEN_LENGTH]
    record = OneTimeCode.objects.create(
        phone=user.phone or "",
        purpose=OneTimeCode.Purpose.QR_LOGIN,
        user=user,
        auth_token=auth_token,
        code_hash=OneTimeCode.digest(purpose=OneTimeCode.Purpose.QR_LOGIN, phone="", code=token),
        expires_at=timezone.now() + timedelta(seconds=settings.QR_LOGIN_TTL_SECONDS),
    )
    return record, token


def qr_login_consume(*, token: str) -> OneTimeCode:
    """Spend a live QR temp token; the record names the user and the token that showed it."""
    digest = OneTimeCode.digest(purpose=OneTimeCode.Purpose.QR_LOGIN, phone="", code=(token or "").strip())
    record = (
        OneTimeCode.live()
        .filter(purpose=OneTimeCode.Purpose.QR_LOGIN, code_hash=digest)
        .select_related("user", "auth_token")
        .first()
    )
    if record is None or record.user_id is None:
        raise ValidationFailed.for_field("temp_token", "The QR code has expired or is not valid.")
    if not OneTimeCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise ValidationFailed.for_field("temp_token", "The QR code has already been used.")
    return record
