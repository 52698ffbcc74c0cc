"""Password logins are throttled per login and per address: 429 in the family envelope, never a password check."""

import base64

import pytest
from rest_framework.test import APIClient

from accounts.services import login_guard

pytestmark = pytest.mark.django_db


def post_session(client, login, password, ip="192.0.2.10"):
    return client.post("/api/v1/sessions", {"login": login, "password": password}, format="json", REMOTE_ADDR=ip)


def test_repeated_wrong_passwords_lock_the_login(client, owner):
    for _ in range(login_guard.FAILURES_PER_LOGIN):
        assert post_session(client, owner.email, "wrong").status_code == 401
    locked = post_session(client, owner.email, "correct-horse-battery-staple")
    assert locked.status_code == 429
    assert locked.json()["code"] == "RATE_LIMITED"
    assert int(locked["Retry-After"]) > 0


def test_a_success_clears_the_logins_counter(client, owner):
    for _ in range(login_guard.FAILURES_PER_LOGIN - 1):
        post_session(client, owner.email, "wrong")
    assert post_session(client, owner.email, "correct-horse-battery-staple").status_code == 200
    assert post_session(client, owner.email, "wrong").status_code == 401  # counting starts again


def test_one_address_trying_many_logins_is_locked(client, owner):
    for n in range(login_guard.FAILURES_PER_IP):
        post_session(client, f"nobody{n}@example.com", "guess", ip="198.51.100.7")
    assert post_session(client, owner.email, "correct-horse-battery-staple", ip="198.51.100.7").status_code == 429
    assert post_session(client, owner.email, "correct-horse-battery-staple", ip="198.51.100.8").status_code == 200


def test_http_basic_is_throttled_too(owner):
    wrong = base64.b64encode(f"{owner.email}:wrong".encode()).decode()
    right = base64.b64encode(f"{owner.email}:correct-horse-battery-staple".encode()).decode()
    c = APIClient()
    for _ in range(login_guard.FAILURES_PER_LOGIN):
        c.credentials(HTTP_AUTHORIZATION=f"Basic {wrong}")
        assert c.get("/api/v1/me").status_code == 401
    c.credentials(HTTP_AUTHORIZATION=f"Basic {right}")
    assert c.get("/api/v1/me").status_code == 429


def test_admin_login_fails_quietly_when_locked(owner, settings):
    owner.is_staff = True
    owner.is_superuser = True
    owner.save()
    from django.test import Client

    browser = Client()
    for _ in range(login_guard.FAILURES_PER_LOGIN):
        browser.post("/admin/login/", {"username": owner.email, "password": "wrong"})
    response = browser.post("/admin/login/", {"username": owner.email, "password": "correct-horse-battery-staple"})
    assert response.status_code == 200  # the form again, not a redirect into the admin
    assert "_auth_user_id" not in browser.session
