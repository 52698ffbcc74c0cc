"""One-time codes (accounts/services/codes.py): SMS codes with budgets, attempts and single use; QR login tokens."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import OneTimeCode
from accounts.services.codes import code_consume, code_send, qr_login_consume, qr_login_issue
from accounts.services.credentials import auth_token_issue
from core.exceptions import RateLimited, ValidationFailed
from messaging import sms

pytestmark = pytest.mark.django_db

PHONE = "+79166660002"


@pytest.fixture
def owner_token_row(owner):
    return auth_token_issue(user=owner)[0]


LOGIN = OneTimeCode.Purpose.LOGIN


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a code and return (record, plaintext read from the SMS outbox)."""

    def _send(phone=PHONE, purpose=LOGIN, ip=None):
        with django_capture_on_commit_callbacks(execute=True):
            issued = code_send(phone=phone, purpose=purpose, ip=ip)
        message = sms.outbox[-1]
        assert message.to == phone
        return issued, re.search(r"(\d+)$", message.body).group(1)

    return _send


def age(seconds: int) -> None:
    """Pretend every code was made `seconds` earlier (past the resend cooldown, or past the hour)."""
    delta = timedelta(seconds=seconds)
    for record in OneTimeCode.objects.all():
        OneTimeCode.objects.filter(pk=record.pk).update(
            created_at=record.created_at - delta, expires_at=record.expires_at - delta
        )


def test_code_has_the_configured_length_and_lifetime(send, settings):
    settings.OTP_CODE_LENGTH = 6
    settings.OTP_TTL_SECONDS = 300
    before = timezone.now()
    issued, code = send()
    assert issued.length == 6
    assert re.fullmatch(r"\d{6}", code)
    lifetime = (issued.valid_until - before).total_seconds()
    assert 299 <= lifetime <= 301


def test_the_sms_says_what_the_code_is_for(send):
    send(purpose=OneTimeCode.Purpose.VERIFY)
    assert sms.outbox[-1].body.startswith("Your Crewdesk verification code: ")


def test_right_code_is_consumed_once(send):
    issued, code = send()
    record = code_consume(phone=PHONE, purpose=LOGIN, code=code)
    assert record.pk == issued.record.pk
    assert OneTimeCode.objects.get(pk=record.pk).used_at is not None
    with pytest.raises(ValidationFailed) as exc:
        code_consume(phone=PHONE, purpose=LOGIN, code=code)
    assert "code" in exc.value.details


def test_code_surrounded_by_spaces_still_matches(send):
    _, code = send()
    code_consume(phone=PHONE, purpose=LOGIN, code=f" {code} ")


def test_code_is_bound_to_its_purpose_and_phone(send):
    _, code = send()
    with pytest.raises(ValidationFailed):
        code_consume(phone=PHONE, purpose=OneTimeCode.Purpose.RESET, code=code)
    with pytest.raises(ValidationFailed):
        code_consume(phone="+79166660003", purpose=LOGIN, code=code)
    code_consume(phone=PHONE, purpose=LOGIN, code=code)


def test_expired_code_fails(send):
    _, code = send()
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed, match="expired"):
        code_consume(phone=PHONE, purpose=LOGIN, code=code)


def _wrong(code: str) -> str:
    return "".join(str((int(ch) + 1) % 10) for ch in code)


def test_wrong_code_counts_an_attempt_and_says_how_many_are_left(send):
    issued, code = send()
    with pytest.raises(ValidationFailed, match="4 tries left"):
        code_consume(phone=PHONE, purpose=LOGIN, code=_wrong(code))
    assert OneTimeCode.objects.get(pk=issued.record.pk).attempts == 1
    code_consume(phone=PHONE, purpose=LOGIN, code=code)  # still usable after one mistake


def test_five_wrong_tries_kill_the_code(send, settings):
    assert settings.OTP_MAX_ATTEMPTS == 5
    issued, code = send()
    for _ in range(5):
        with pytest.raises(ValidationFailed, match="Wrong code"):
            code_consume(phone=PHONE, purpose=LOGIN, code=_wrong(code))
    assert OneTimeCode.objects.get(pk=issued.record.pk).attempts == 5
    with pytest.raises(ValidationFailed, match="expired or was not requested"):
        code_consume(phone=PHONE, purpose=LOGIN, code=code)
    assert OneTimeCode.objects.get(pk=issued.record.pk).used_at is None


def test_no_code_requested_fails_naming_the_code_field():
    with pytest.raises(ValidationFailed) as exc:
        code_consume(phone=PHONE, purpose=LOGIN, code="1234")
    assert list(exc.value.details) == ["code"]


def test_codes_are_stored_hashed(send):
    issued, code = send()
    row = OneTimeCode.objects.get(pk=issued.record.pk)
    values = [str(getattr(row, field.attname)) for field in OneTimeCode._meta.concrete_fields]
    assert code not in values
    assert row.code_hash == OneTimeCode.digest(purpose=LOGIN, phone=PHONE, code=code)
    assert len(row.code_hash) == 64


def test_a_new_code_kills_the_older_live_one(send):
    first, old_code = send()
    age(31)
    second, new_code = send()
    assert OneTimeCode.objects.get(pk=first.record.pk).used_at is not None
    if old_code != new_code:
        with pytest.raises(ValidationFailed):
            code_consume(phone=PHONE, purpose=LOGIN, code=old_code)
    assert code_consume(phone=PHONE, purpose=LOGIN, code=new_code).pk == second.record.pk


def test_resend_within_the_cooldown_is_rate_limited(send, settings):
    settings.OTP_RESEND_COOLDOWN_SECONDS = 30
    send()
    with pytest.raises(RateLimited) as exc:
        send()
    assert 0 < exc.value.retry_after <= 30
    assert OneTimeCode.objects.count() == 1
    assert len(sms.outbox) == 1


def test_cooldown_is_per_purpose(send):
    send()
    send(purpose=OneTimeCode.Purpose.VERIFY)
    assert OneTimeCode.objects.count() == 2


def test_hourly_budget_per_phone(send, settings):
    settings.OTP_HOURLY_LIMIT_PER_PHONE = 5
    for _ in range(5):
        send()
        age(31)
    with pytest.raises(RateLimited, match="this phone number") as exc:
        send()
    assert exc.value.retry_after == 3600
    send(phone="+79166660003")  # another phone is unaffected
    age(3600)
    send()  # an hour later the budget is back


def test_hourly_budget_per_ip(send, settings):
    settings.OTP_HOURLY_LIMIT_PER_IP = 20
    for n in range(20):
        send(phone=f"+7916666{n:04d}", ip="10.1.1.1")
    with pytest.raises(RateLimited, match="this address"):
        send(phone="+79167770000", ip="10.1.1.1")
    send(phone="+79167770000", ip="10.1.1.2")


# --- QR login tokens --------------------------------------------------------------------------------------------------


def test_qr_token_logs_in_its_user_once(owner, owner_token_row):
    record, token = qr_login_issue(user=owner, auth_token=owner_token_row)
    assert len(token) == 16
    assert token not in record.code_hash
    spent = qr_login_consume(token=token)
    assert (spent.user, spent.auth_token) == (owner, owner_token_row)
    with pytest.raises(ValidationFailed) as exc:
        qr_login_consume(token=token)
    assert list(exc.value.details) == ["temp_token"]


def test_qr_token_expires(owner, owner_token_row, settings):
    assert settings.QR_LOGIN_TTL_SECONDS == 60
    record, token = qr_login_issue(user=owner, auth_token=owner_token_row)
    assert 59 <= (record.expires_at - record.created_at).total_seconds() <= 61
    OneTimeCode.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed, match="expired"):
        qr_login_consume(token=token)


def test_unknown_qr_token_fails(owner, owner_token_row):
    qr_login_issue(user=owner, auth_token=owner_token_row)
    with pytest.raises(ValidationFailed):
        qr_login_consume(token="not-the-token-xx")


def test_qr_logins_do_not_use_up_the_phone_sms_budget(owner, owner_token_row, send, settings):
    settings.OTP_HOURLY_LIMIT_PER_PHONE = 5
    for _ in range(5):
        qr_login_issue(user=owner, auth_token=owner_token_row)
    send(phone=owner.phone)  # today: RateLimited, although no SMS was sent this hour
