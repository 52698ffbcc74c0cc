"""Tommy POST/DELETE /sessions: password login by email or mobile into a cookie session, and logout."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthToken, User
from tests.tommy.conftest import PASSWORD
from tests.tommy.test_users_api import USER_KEYS, assert_envelope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("login_kind", ["email", "phone"])
def test_login_by_email_or_mobile_opens_a_cookie_session(client, owner, login_kind):
    login = owner.email if login_kind == "email" else owner.phone
    response = client.post("/api/v1/sessions", {"login": login, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    assert set(response.json()) == USER_KEYS
    assert response.json()["id"] == owner.pk
    assert "sessionid" in response.cookies
    assert "csrftoken" in response.cookies
    assert client.get("/api/v1/me").json()["id"] == owner.pk


def test_login_with_local_mobile_format(client, owner):
    local = owner.phone.replace("+7", "+7 ")
    response = client.post("/api/v1/sessions/", {"login": local, "password": PASSWORD}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("login", "password"), [("{email}", "wrong"), ("nobody@example.com", PASSWORD), ("+79990000000", PASSWORD)]
)
def test_bad_credentials_are_401_in_envelope(client, owner, login, password):
    response = client.post(
        "/api/v1/sessions", {"login": login.format(email=owner.email), "password": password}, format="json"
    )
    body = assert_envelope(response, 401, "UNAUTHORIZED")
    assert body["message"] == "Invalid login or password."
    assert "sessionid" not in response.cookies


def test_suspended_user_cannot_log_in(client, owner):
    User.objects.filter(pk=owner.pk).update(status=User.Status.SUSPENDED)
    response = client.post("/api/v1/sessions", {"login": owner.email, "password": PASSWORD}, format="json")
    assert_envelope(response, 401, "UNAUTHORIZED")


def test_login_missing_fields_is_422(client):
    body = assert_envelope(client.post("/api/v1/sessions", {"login": "a"}, format="json"), 422, "VALIDATION_ERROR")
    assert "password" in body["details"]


def test_logout_ends_the_session_only(client, owner, owner_token):
    client.post("/api/v1/sessions", {"login": owner.email, "password": PASSWORD}, format="json")
    response = client.delete("/api/v1/sessions")
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert_envelope(client.get("/api/v1/me"), 401, "UNAUTHORIZED")
    assert not AuthToken.objects.get(user=owner).is_revoked  # other credentials are untouched


def test_logout_with_cookie_needs_the_csrf_token(owner):
    browser = APIClient(enforce_csrf_checks=True)
    login = browser.post("/api/v1/sessions", {"login": owner.email, "password": PASSWORD}, format="json")
    assert login.status_code == 200
    assert_envelope(browser.delete("/api/v1/sessions"), 403, "FORBIDDEN")
    token = login.cookies["csrftoken"].value
    assert browser.delete("/api/v1/sessions", HTTP_X_CSRFTOKEN=token).status_code == 200
    assert browser.get("/api/v1/me").status_code == 401


def test_logout_needs_credentials(client):
    assert_envelope(client.delete("/api/v1/sessions"), 401, "UNAUTHORIZED")
