"""Tommy POST /users/reset_password: request a code (SMS or email), then set a new password with it."""

import re

import pytest
from django.core import mail

from accounts.models import OneTimeCode
from messaging import sms
from tests.tommy.conftest import PASSWORD, basic_client
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/reset_password"
SUCCESS = {"success": True}


def request_reset(client, login, captured):
    with captured(execute=True):
        return client.post(f"{URL}?login={login}")


def code_in(text: str) -> str:
    return re.search(r"code: (\d{4,})", text).group(1)


def test_mobile_login_gets_an_sms_code(client, owner, django_capture_on_commit_callbacks):
    response = request_reset(client, owner.phone.replace("+", "%2B"), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.json() == SUCCESS
    assert [m.to for m in sms.outbox] == [owner.phone]
    assert "reset" in sms.outbox[0].body
    assert mail.outbox == []


def test_email_login_gets_an_email_code(client, owner, django_capture_on_commit_callbacks):
    response = request_reset(client, owner.email, django_capture_on_commit_callbacks)
    assert response.json() == SUCCESS
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert code_in(mail.outbox[0].body)
    assert sms.outbox == []


def test_unknown_login_gets_the_same_answer_and_nothing_is_sent(client, owner, django_capture_on_commit_callbacks):
    known = request_reset(client, owner.email, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    for login in ("ghost@example.com", "%2B15550001111"):
        unknown = request_reset(client, login, django_capture_on_commit_callbacks)
        assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert mail.outbox == []
    assert sms.outbox == []


def test_repeated_request_is_silent_not_429(client, owner, django_capture_on_commit_callbacks):
    first = request_reset(client, owner.email, django_capture_on_commit_callbacks)
    again = request_reset(client, owner.email, django_capture_on_commit_callbacks)
    assert first.json() == again.json() == SUCCESS
    assert len(mail.outbox) == 1


def test_per_address_limit_is_429_for_any_login(client, settings, django_capture_on_commit_callbacks):
    settings.OTP_HOURLY_LIMIT_PER_IP = 2
    for _ in range(2):
        assert request_reset(client, "ghost@example.com", django_capture_on_commit_callbacks).status_code == 200
    assert_envelope(request_reset(client, "ghost@example.com", django_capture_on_commit_callbacks), 429, "RATE_LIMITED")


def test_missing_login_is_422(client):
    assert "login" in assert_envelope(client.post(URL), 422, "VALIDATION_ERROR")["details"]


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_complete_reset_with_pin_sets_the_new_password(client, owner, django_capture_on_commit_callbacks, channel):
    login = owner.email if channel == "email" else owner.phone
    request_reset(client, login.replace("+", "%2B"), django_capture_on_commit_callbacks)
    code = code_in(mail.outbox[0].body if channel == "email" else sms.outbox[0].body)
    response = client.post(URL, {"login": login, "pin": code, "password": "a-brand-new-secret"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == SUCCESS
    owner.refresh_from_db()
    assert owner.check_password("a-brand-new-secret")
    assert basic_client(owner, PASSWORD).get("/api/v1/me").status_code == 401
    # the code is spent
    again = client.post(URL, {"login": login, "pin": code, "password": "another-new-secret"}, format="json")
    assert_envelope(again, 422, "VALIDATION_ERROR")


def test_complete_reset_with_wrong_pin_is_422_and_counts(client, owner, django_capture_on_commit_callbacks):
    request_reset(client, owner.email, django_capture_on_commit_callbacks)
    wrong = "0000" if code_in(mail.outbox[0].body) != "0000" else "1111"
    response = client.post(URL, {"login": owner.email, "pin": wrong, "password": "a-brand-new-secret"}, format="json")
    assert "pin" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    assert OneTimeCode.objects.get(user=owner, purpose="reset").attempts == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_complete_reset_weak_password_keeps_the_code(client, owner, django_capture_on_commit_callbacks):
    request_reset(client, owner.email, django_capture_on_commit_callbacks)
    code = code_in(mail.outbox[0].body)
    weak = client.post(URL, {"login": owner.email, "pin": code, "password": "123"}, format="json")
    assert "password" in assert_envelope(weak, 422, "VALIDATION_ERROR")["details"]
    ok = client.post(URL, {"login": owner.email, "pin": code, "password": "a-brand-new-secret"}, format="json")
    assert ok.status_code == 200


def test_complete_reset_for_unknown_login_looks_like_a_wrong_pin(client):
    response = client.post(URL, {"login": "ghost@example.com", "pin": "1234", "password": "a-brand-new-secret"})
    assert "pin" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]


def test_pin_without_password_is_422(client, owner):
    response = client.post(URL, {"login": owner.email, "pin": "1234"}, format="json")
    assert "password" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
