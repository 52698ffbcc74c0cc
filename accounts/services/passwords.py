"""Password login and password reset by a one-time code sent by SMS (known mobile) or by email (known email).

Reset never tells the caller whether an account exists: requesting always "succeeds", and completing with an unknown
login fails exactly like a wrong code.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.backends import user_for_login
from accounts.models import OneTimeCode, User
from accounts.services.codes import code_send
from accounts.services.login_guard import login_guard
from accounts.services.users import _set_password
from core.exceptions import AuthenticationError, RateLimited, ValidationFailed

RESET = OneTimeCode.Purpose.RESET
RESET_EMAIL_SUBJECT = "Your Crewdesk password reset code"
RESET_EMAIL_BODY = "Your Crewdesk password reset code: {code}\n\nIt is valid for {minutes} minutes."
BAD_CODE = "The code is wrong or has expired; ask for a new one."


def user_authenticate(*, login: str, password: str, ip: str | None = None) -> User:
    """The active user behind an email/phone + password pair, or AuthenticationError (same message for every cause).

    Too many recent failures for the login or the address → RateLimited (429) before any password is checked.
    """
    login_guard(login=login, ip=ip)
    user = authenticate(None, username=login, password=password, ip=ip)
    if user is None or user.status == User.Status.SUSPENDED:
        raise AuthenticationError("Invalid login or password.")
    return user


def _check_ip_budget(ip: str | None) -> None:
    """Per-address limit counted for every request, known login or not, so a 429 reveals nothing about accounts."""
    if not ip:
        return
    key = f"password-reset:ip:{ip}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > settings.OTP_HOURLY_LIMIT_PER_IP:
        raise RateLimited("Too many password reset requests from this address; try again later.", retry_after=3600)


def _email_budget_left(user: User) -> bool:
    now = timezone.now()
    codes = OneTimeCode.objects.filter(user=user, purpose=RESET, phone="")
    if codes.filter(created_at__gt=now - timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS)).exists():
        return False
    return codes.filter(created_at__gte=now - timedelta(hours=1)).count() < settings.OTP_HOURLY_LIMIT_PER_PHONE


def _send_email_code(*, user: User, ip: str | None) -> None:
    if not _email_budget_left(user):
        return
    code = "".join(secrets.choice("0123456789") for _ in range(settings.OTP_CODE_LENGTH))
    OneTimeCode.live().filter(user=user, purpose=RESET).update(used_at=timezone.now())
    OneTimeCode.objects.create(
        phone="",
        purpose=RESET,
        user=user,
        code_hash=OneTimeCode.digest(purpose=RESET, phone="", code=code),
        requested_ip=ip,
        expires_at=timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    body = RESET_EMAIL_BODY.format(code=code, minutes=max(1, settings.OTP_TTL_SECONDS // 60))
    email = user.email
    transaction.on_commit(lambda: send_mail(RESET_EMAIL_SUBJECT, body, None, [email]), robust=True)


@transaction.atomic
def password_reset_request(*, login: str, ip: str | None = None) -> None:
    """Send a reset code to the account behind `login` if there is one; silently do nothing otherwise.

    An email login gets the code by email, a mobile login by SMS. A per-account cooldown that is hit is also
    silent (the code already sent stays valid), so the answer never depends on whether the account exists.
    """
    _check_ip_budget(ip)
    user = user_for_login(login)
    if user is None or not user.is_active or user.status == User.Status.SUSPENDED:
        return
    if "@" in login:
        if user.email:
            _send_email_code(user=user, ip=ip)
        return
    if user.phone:
        try:
            code_send(phone=user.phone, purpose=RESET, ip=ip, user=user)  # atomic: a refusal rolls back alone
        except RateLimited:
            return


def _reset_code_consume(*, user: User, code: str) -> None:
    """Spend the user's live reset code (sent by SMS or email); count a wrong try otherwise."""
    record = OneTimeCode.live().filter(user=user, purpose=RESET).order_by("-created_at").first()
    if record is None or record.attempts >= settings.OTP_MAX_ATTEMPTS:
        raise ValidationFailed.for_field("pin", BAD_CODE)
    expected = OneTimeCode.digest(purpose=RESET, phone=record.phone, code=(code or "").strip())
    if not constant_time_compare(expected, record.code_hash):
        OneTimeCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        raise ValidationFailed.for_field("pin", BAD_CODE)
    if not OneTimeCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise ValidationFailed.for_field("pin", BAD_CODE)


def password_reset_complete(*, login: str, code: str, password: str) -> User:
    """Set a new password with the code from password_reset_request. Changing the password ends the user's other
    cookie sessions (Django's session auth hash)."""
    user = user_for_login(login)
    if user is None or not user.is_active:
        _set_password(User(), password)  # the same checks in the same order as for a real account
        raise ValidationFailed.for_field("pin", BAD_CODE)
    _set_password(user, password)  # in memory only: a weak password fails before the code is spent
    _reset_code_consume(user=user, code=code)  # not atomic: a wrong try stays counted
    user.save(update_fields=["password", "updated_at"])
    return user
