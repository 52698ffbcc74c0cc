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


SPELLINGS = ["89165550404", "+7 916 555-04-04", "8 (916) 555 04 04", "79165550404"]


@pytest.fixture
def phone_owner(team):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(phone="+79165550404", email="Olga.Phone@example.com", is_staff=True, is_superuser=True)
    MembershipFactory(team=team, user=user, status="owner")
    return user


def test_admin_lockout_counts_the_account_whatever_its_spelling(phone_owner):
    """Issue 8 item 5: ten failures for +79165550404 lock the person, not the string."""
    from django.test import Client

    browser = Client()
    for _ in range(login_guard.FAILURES_PER_LOGIN):
        browser.post("/admin/login/", {"username": "+79165550404", "password": "wrong"}, REMOTE_ADDR="192.0.2.1")
    for spelling in [*SPELLINGS, phone_owner.email, phone_owner.email.upper()]:
        response = browser.post(
            "/admin/login/?next=/admin/",
            {"username": spelling, "password": "correct-horse-battery-staple"},
            REMOTE_ADDR="192.0.2.99",  # another address: the account's own counter refuses it
        )
        assert response.status_code == 200, spelling
        assert "_auth_user_id" not in browser.session, spelling


def test_api_lockout_counts_the_account_whatever_its_spelling(client, phone_owner):
    for n in range(login_guard.FAILURES_PER_LOGIN):
        spelling = ["+79165550404", phone_owner.email][n % 2]  # failures under both identifiers add up
        assert post_session(client, spelling, "wrong").status_code == 401
    for spelling in [*SPELLINGS, phone_owner.email]:
        assert post_session(client, spelling, "correct-horse-battery-staple", ip="192.0.2.77").status_code == 429


def test_unknown_logins_share_a_counter_across_spellings(client):
    for _ in range(login_guard.FAILURES_PER_LOGIN):
        post_session(client, "+79165559999", "guess")
    assert login_guard.login_locked(login="8 916 555-99-99", ip=None)
    assert not login_guard.login_locked(login="+79165559998", ip=None)


def test_below_the_limit_the_right_password_still_works_with_another_spelling(client, phone_owner):
    for _ in range(login_guard.FAILURES_PER_LOGIN - 1):
        post_session(client, "89165550404", "wrong")
    assert post_session(client, phone_owner.email, "correct-horse-battery-staple").status_code == 200
