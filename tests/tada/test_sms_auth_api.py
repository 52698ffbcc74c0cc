"""sms-login → sms-auth / sms-cookieauth, cookieauth-logout: codes by SMS, tokens, the session cookie."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuthToken, Device, OneTimeCode, User
from messaging import sms
from tests.tada.conftest import PHONE, PHONE_RAW, outbox_code

pytestmark = pytest.mark.django_db


# --- sms-login ---------------------------------------------------------------------------------------------------


def test_sms_login_normalises_phone_and_sends_code_by_sms(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v3/sms-login", {"phone": PHONE_RAW}, format="json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    result = body["result"]
    assert result["phone"] == PHONE
    assert result["code_length"] == 4
    valid_until = dt.datetime.fromisoformat(result["code_valid_until"].replace("Z", "+00:00"))
    assert result["code_valid_until"].endswith("Z")
    assert timezone.now() < valid_until < timezone.now() + dt.timedelta(hours=1)
    assert [m.to for m in sms.outbox] == [PHONE]
    assert len(outbox_code()) == 4
    record = OneTimeCode.objects.get(phone=PHONE, purpose=OneTimeCode.Purpose.LOGIN)
    assert record.requested_ip == "10.1.2.3"


def test_sms_login_with_trailing_slash(client):
    assert (
        client.post("/api/v3/sms-login/", {"phone": "916 666-00-02"}, format="json").json()["result"]["phone"] == PHONE
    )


@pytest.mark.parametrize("body", [{}, {"phone": ""}, {"phone": "hello"}, {"phone": "12"}])
def test_sms_login_rejects_missing_or_bad_phone(client, body):
    response = client.post("/api/v3/sms-login", body, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["ok"] is False
    assert "phone" in payload["details"]
    assert sms.outbox == []


def test_sms_login_resend_cooldown_is_429_in_envelope(client, request_code):
    request_code()
    response = client.post("/api/v3/sms-login", {"phone": PHONE_RAW}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["ok"] is False
    assert isinstance(body["error"], str)
    assert body["_time"]
    assert len(sms.outbox) == 1


# --- sms-auth ----------------------------------------------------------------------------------------------------


def test_sms_auth_with_outbox_code_creates_user_device_and_token(client, request_code):
    code = request_code()
    response = client.post(
        "/api/v3/sms-auth",
        {"code": code, "device_id": "a6a6d308730f27ce32d1", "name": "ойпад", "phone": PHONE_RAW, "type": "ios"},
        format="json",
    )
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert len(result["token"]) == 32
    assert result["me"] == {
        "alt_send": False,
        "default_lang": None,
        "devices": [
            {
                "allowed_notifications": True,
                "data_pushes": False,
                "device_id": "a6a6d308730f27ce32d1",
                "name": "ойпад",
                "notification_token": "",
                "type": "ios",
                "voip_notification_token": "",
            }
        ],
        "email": None,
        "phone": PHONE,
        "teams": [],
        "unread_first": False,
    }
    user = User.objects.get(phone=PHONE)
    assert user.status == User.Status.ACTIVE
    token = AuthToken.objects.get(user=user)
    assert token.device == Device.objects.get(user=user, device_id="a6a6d308730f27ce32d1")
    me = APIClient().get("/api/v3/me", HTTP_TOKEN=result["token"])
    assert me.status_code == 200
    assert me.json()["result"]["phone"] == PHONE


def test_sms_auth_existing_user_keeps_account(client, request_code, owner):
    code = request_code(owner.phone)
    response = client.post("/api/v3/sms-auth", {"code": code, "phone": owner.phone}, format="json")
    assert response.status_code == 200
    me = response.json()["result"]["me"]
    assert me["email"] == owner.email
    assert [t["name"] for t in me["teams"]] == ["Acme Crew"]
    assert User.objects.filter(phone=owner.phone).count() == 1


def test_sms_auth_used_code_fails_the_second_time(client, request_code):
    code = request_code()
    body = {"code": code, "phone": PHONE, "device_id": "d1", "type": "android"}
    assert client.post("/api/v3/sms-auth", body, format="json").status_code == 200
    again = client.post("/api/v3/sms-auth", body, format="json")
    assert again.status_code == 400
    assert again.json()["ok"] is False
    assert AuthToken.objects.count() == 1


def test_sms_auth_five_wrong_codes_kill_the_code(client, request_code):
    code = request_code()
    wrong = "0000" if code != "0000" else "1111"
    for _ in range(5):
        response = client.post("/api/v3/sms-auth", {"code": wrong, "phone": PHONE}, format="json")
        assert response.status_code == 400
        assert "code" in response.json()["details"]
    response = client.post("/api/v3/sms-auth", {"code": code, "phone": PHONE}, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert not AuthToken.objects.exists()
    assert not User.objects.filter(phone=PHONE).exists()


def test_sms_auth_without_requested_code_fails(client):
    response = client.post("/api/v3/sms-auth", {"code": "5555", "phone": PHONE}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()["details"]


@pytest.mark.parametrize(
    "body",
    [{"phone": PHONE}, {"code": "1234"}, {"code": "1234", "phone": PHONE, "type": "blackberry"}],
)
def test_sms_auth_validation_errors_in_envelope(client, body):
    response = client.post("/api/v3/sms-auth", body, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert response.json()["details"]


# --- sms-cookieauth, cookie session, logout ----------------------------------------------------------------------


def test_sms_cookieauth_sets_session_cookie_without_device_or_token(client, request_code):
    code = request_code()
    response = client.post("/api/v3/sms-cookieauth", {"code": code, "phone": PHONE_RAW}, format="json")
    assert response.status_code == 200
    result = response.json()["result"]
    assert set(result) == {"me"}
    assert result["me"]["phone"] == PHONE
    assert result["me"]["devices"] == []
    assert "sessionid" in response.cookies
    assert not AuthToken.objects.exists()
    assert not Device.objects.exists()
    me = client.get("/api/v3/me")  # the cookie alone authenticates
    assert me.status_code == 200
    assert me.json()["result"]["phone"] == PHONE


def test_cookie_session_needs_csrf_for_unsafe_methods(request_code):
    browser = APIClient(enforce_csrf_checks=True)
    code = request_code(api_client=browser)
    assert browser.post("/api/v3/sms-cookieauth", {"code": code, "phone": PHONE}, format="json").status_code == 200
    assert browser.get("/api/v3/me").status_code == 200
    response = browser.post("/api/v3/devices", {"device_id": "web-1", "type": "web"}, format="json")
    assert response.status_code == 403
    assert response.json()["ok"] is False
    assert not Device.objects.exists()


def test_sms_cookieauth_wrong_code_sets_no_session(client, request_code):
    code = request_code()
    wrong = "0000" if code != "0000" else "1111"
    response = client.post("/api/v3/sms-cookieauth", {"code": wrong, "phone": PHONE}, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert client.get("/api/v3/me").status_code == 401


def test_sms_cookieauth_requires_code(client):
    response = client.post("/api/v3/sms-cookieauth", {"phone": PHONE}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()["details"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_cookieauth_logout_ends_the_session(client, request_code, method):
    code = request_code()
    client.post("/api/v3/sms-cookieauth", {"code": code, "phone": PHONE}, format="json")
    assert client.get("/api/v3/me").status_code == 200
    response = getattr(client, method)("/api/v3/cookieauth-logout", {} if method == "post" else None, format="json")
    assert response.status_code == 200
    assert response.json() == {"_time": response.json()["_time"], "ok": True, "result": {"location": "/"}}
    after = client.get("/api/v3/me")
    assert after.status_code == 401
    assert after.json()["ok"] is False


def test_cookieauth_logout_without_session_is_harmless(client):
    response = client.post("/api/v3/cookieauth-logout/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["result"] == {"location": "/"}


def test_cookieauth_logout_does_not_revoke_tokens(tada_client, owner_token):
    assert tada_client.get("/api/v3/cookieauth-logout").status_code == 200
    assert tada_client.get("/api/v3/me").status_code == 200
