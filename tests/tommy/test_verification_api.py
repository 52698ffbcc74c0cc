"""Tommy POST /users/{id}/send_verification_sms and GET /users/verify."""

import re

import pytest
from django.utils import timezone

from accounts.models import OneTimeCode, User
from messaging import sms
from tests.factories import UserFactory
from tests.helpers import user_client
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(db):
    return UserFactory(phone="+79161112233", email="new@example.com", phone_verified_at=None, status="pending")


def send(client, user_id, captured):
    """Ask as the user `user_id` itself (the endpoint acts only for the caller's own mobile)."""
    with captured(execute=True):
        return user_client(User.objects.get(pk=user_id)).post(f"/api/v1/users/{user_id}/send_verification_sms")


def last_code() -> str:
    return re.search(r"(\d{4,})", sms.outbox[-1].body).group(1)


def test_send_verification_sms_texts_a_code(client, unverified, django_capture_on_commit_callbacks):
    response = send(client, unverified.pk, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert [m.to for m in sms.outbox] == ["+79161112233"]
    assert OneTimeCode.objects.filter(user=unverified, purpose=OneTimeCode.Purpose.VERIFY).count() == 1


def test_send_verification_sms_is_silent_for_a_verified_mobile(client, owner, django_capture_on_commit_callbacks):
    response = send(client, owner.pk, django_capture_on_commit_callbacks)  # owner's phone is already verified
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert sms.outbox == []


@pytest.mark.parametrize("whose", ["another user", "unknown id"])
def test_send_verification_sms_acts_only_for_the_callers_own_mobile(
    owner, unverified, whose, django_capture_on_commit_callbacks
):
    user_id = unverified.pk if whose == "another user" else 999999
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client(owner).post(f"/api/v1/users/{user_id}/send_verification_sms")
    assert_envelope(response, 403, "FORBIDDEN")
    assert sms.outbox == []


def test_send_verification_sms_needs_credentials(client, unverified):
    assert_envelope(client.post(f"/api/v1/users/{unverified.pk}/send_verification_sms"), 401, "UNAUTHORIZED")
    assert sms.outbox == []


def test_send_verification_sms_twice_is_429_in_envelope(client, unverified, django_capture_on_commit_callbacks):
    send(client, unverified.pk, django_capture_on_commit_callbacks)
    response = send(client, unverified.pk, django_capture_on_commit_callbacks)
    assert_envelope(response, 429, "RATE_LIMITED")
    assert int(response["Retry-After"]) > 0
    assert len(sms.outbox) == 1


def test_send_verification_sms_non_numeric_id_is_404(owner):
    assert_envelope(user_client(owner).post("/api/v1/users/abc/send_verification_sms"), 404, "NOT_FOUND")


@pytest.mark.parametrize("lookup", ["user_id", "mobile", "email"])
def test_verify_marks_phone_verified(client, unverified, django_capture_on_commit_callbacks, lookup):
    send(client, unverified.pk, django_capture_on_commit_callbacks)
    value = {"user_id": unverified.pk, "mobile": "+7 916 111 22 33", "email": unverified.email}[lookup]
    response = client.get("/api/v1/users/verify", {"pin": last_code(), lookup: value})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == unverified.pk
    assert response.json()["status"] == "active"
    unverified.refresh_from_db()
    assert unverified.phone_verified_at is not None
    assert unverified.phone_verified_at <= timezone.now()


def test_verify_wrong_pin_is_422_and_counts(client, unverified, django_capture_on_commit_callbacks):
    send(client, unverified.pk, django_capture_on_commit_callbacks)
    wrong = "0000" if last_code() != "0000" else "1111"
    response = client.get("/api/v1/users/verify", {"pin": wrong, "user_id": unverified.pk})
    body = assert_envelope(response, 422, "VALIDATION_ERROR")
    assert "pin" in body["details"]
    assert OneTimeCode.objects.get(user=unverified).attempts == 1
    unverified.refresh_from_db()
    assert unverified.phone_verified_at is None


def test_verify_unknown_user_looks_like_wrong_pin(client):
    response = client.get("/api/v1/users/verify", {"pin": "1234", "user_id": 424242})
    assert "pin" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]


def test_verify_needs_pin_and_a_lookup(client, unverified):
    assert "pin" in assert_envelope(client.get("/api/v1/users/verify"), 422, "VALIDATION_ERROR")["details"]
    assert_envelope(client.get("/api/v1/users/verify", {"pin": "1234"}), 422, "VALIDATION_ERROR")
    response = client.get("/api/v1/users/verify", {"pin": "1234", "mobile": "zz"})
    assert "mobile" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]


def test_verify_code_is_single_use(client, unverified, django_capture_on_commit_callbacks):
    send(client, unverified.pk, django_capture_on_commit_callbacks)
    code = last_code()
    assert client.get("/api/v1/users/verify", {"pin": code, "user_id": unverified.pk}).status_code == 200
    User.objects.filter(pk=unverified.pk).update(phone_verified_at=None)
    assert client.get("/api/v1/users/verify", {"pin": code, "user_id": unverified.pk}).status_code == 422
