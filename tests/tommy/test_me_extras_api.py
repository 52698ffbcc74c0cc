"""Tommy GET /me/qr, GET /me/wls, GET /users/search, POST /users/{id}/send_verification_email (+ GET /users/verify
with the emailed pin) (spec tommy-1)."""

import re

import pytest
from django.core import mail

from accounts.models import Membership, OneTimeCode, User
from core.qr import qr_png
from tests.factories import MembershipFactory, UserFactory
from tests.tommy.team_helpers import token_client
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db


# GET /me/qr


def test_qr_encodes_the_current_accounts_url(owner_client, owner, team):
    response = owner_client.get("/api/v1/me/qr")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == qr_png(f"http://testserver/api/v1/users/{owner.slug}")
    owner_client.put(f"/api/v1/me/current_account?current_account_type=Team&current_account_id={team.pk}")
    assert owner_client.get("/api/v1/me/qr").content == qr_png(f"http://testserver/api/v1/teams/{team.slug}")


def test_qr_uses_public_base_url(owner_client, owner, settings):
    settings.PUBLIC_BASE_URL = "https://crew.example.com/"
    assert owner_client.get("/api/v1/me/qr").content == qr_png(f"https://crew.example.com/api/v1/users/{owner.slug}")


def test_qr_needs_credentials(client):
    response = client.get("/api/v1/me/qr", HTTP_ACCEPT="image/png")
    assert_envelope(response, 401, "UNAUTHORIZED")


# GET /me/wls


def test_wls_is_a_documented_empty_chart(owner_client):
    assert owner_client.get("/api/v1/me/wls").json() == {"labels": [], "values": [], "team_values": {}, "feedback": []}


def test_wls_needs_credentials(client):
    assert_envelope(client.get("/api/v1/me/wls"), 401, "UNAUTHORIZED")


# GET /users/search


def test_users_search_matches_normalised_mobile(owner_client, teammate):
    teammate.phone = "+12025550142"
    teammate.save()
    rows = owner_client.get("/api/v1/users/search", {"term": "+1 (202) 555-0142"}).json()
    assert [r["id"] for r in rows] == [teammate.pk]
    assert rows[0]["mobile"] == "+12025550142"


def test_users_search_never_finds_other_tenants(owner_client, outsider):
    assert owner_client.get("/api/v1/users/search", {"term": outsider.phone}).json() == []


def test_users_search_matches_mobile_only(owner_client, teammate):
    body = assert_envelope(owner_client.get("/api/v1/users/search", {"term": teammate.slug}), 422, "VALIDATION_ERROR")
    assert "term" in body["details"]
    assert_envelope(owner_client.get("/api/v1/users/search"), 422, "VALIDATION_ERROR")


def test_users_search_needs_credentials(client, teammate):
    assert_envelope(client.get("/api/v1/users/search", {"term": teammate.phone}), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("size", [1, 10])
def test_users_search_query_count_is_constant(owner, team, size, django_assert_max_num_queries):
    for _ in range(size):
        MembershipFactory(team=team, user=UserFactory())
    target = Membership.objects.filter(team=team).last().user
    c = token_client(owner)
    with django_assert_max_num_queries(10):  # +accounts.visibility: the viewer's teams, their settings, relations
        response = c.get("/api/v1/users/search", {"term": target.phone})
    assert len(response.json()) == 1


# POST /users/{id}/send_verification_email and GET /users/verify?email=&pin=


@pytest.fixture
def unverified(db):
    return UserFactory(email="fresh@example.com", phone=None, phone_verified_at=None, status="pending")


def send(client, user_id, captured):
    """Ask as the user `user_id` itself (the endpoint acts only for the caller's own address)."""
    with captured(execute=True):
        return token_client(User.objects.get(pk=user_id)).post(f"/api/v1/users/{user_id}/send_verification_email")


def emailed_pin() -> str:
    return re.search(r"code: (\d{4,})", mail.outbox[-1].body).group(1)


def test_send_verification_email_then_verify(client, unverified, django_capture_on_commit_callbacks):
    response = send(client, unverified.pk, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert mail.outbox[0].to == ["fresh@example.com"]
    assert "/api/v1/users/verify?email=fresh%40example.com&pin=" in mail.outbox[0].body
    record = OneTimeCode.objects.get(user=unverified, purpose=OneTimeCode.Purpose.VERIFY)
    assert record.phone == ""
    verified = client.get("/api/v1/users/verify", {"email": "fresh@example.com", "pin": emailed_pin()})
    assert verified.status_code == 200, verified.content
    assert verified.json()["status"] == "active"
    unverified.refresh_from_db()
    assert unverified.email_verified_at is not None
    again = client.get("/api/v1/users/verify", {"email": "fresh@example.com", "pin": emailed_pin()})
    assert_envelope(again, 422, "VALIDATION_ERROR")  # a code is used once


def test_verify_with_wrong_emailed_pin_is_422_and_counts(client, unverified, django_capture_on_commit_callbacks):
    send(client, unverified.pk, django_capture_on_commit_callbacks)
    wrong = "0000" if emailed_pin() != "0000" else "1111"
    body = assert_envelope(
        client.get("/api/v1/users/verify", {"email": unverified.email, "pin": wrong}), 422, "VALIDATION_ERROR"
    )
    assert "pin" in body["details"]
    assert OneTimeCode.objects.get(user=unverified).attempts == 1
    unverified.refresh_from_db()
    assert unverified.email_verified_at is None


def test_send_verification_email_is_silent_for_a_verified_email(client, owner, django_capture_on_commit_callbacks):
    owner.email_verified_at = owner.date_joined
    owner.save()
    assert send(client, owner.pk, django_capture_on_commit_callbacks).json() == {"success": True}
    assert mail.outbox == []


@pytest.mark.parametrize("whose", ["another user", "unknown id"])
def test_send_verification_email_acts_only_for_the_callers_own_address(
    owner, unverified, whose, django_capture_on_commit_callbacks
):
    # before: any caller, even anonymous, made Crewdesk mail a code to any user id
    user_id = unverified.pk if whose == "another user" else 999999
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(owner).post(f"/api/v1/users/{user_id}/send_verification_email")
    assert_envelope(response, 403, "FORBIDDEN")
    assert mail.outbox == []


def test_send_verification_email_needs_credentials(client, unverified, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/users/{unverified.pk}/send_verification_email")
    assert_envelope(response, 401, "UNAUTHORIZED")
    assert mail.outbox == []


def test_send_verification_email_twice_is_429(client, unverified, django_capture_on_commit_callbacks):
    send(client, unverified.pk, django_capture_on_commit_callbacks)
    assert_envelope(send(client, unverified.pk, django_capture_on_commit_callbacks), 429, "RATE_LIMITED")
    assert len(mail.outbox) == 1


def test_send_verification_email_non_numeric_id_is_404(owner):
    assert_envelope(token_client(owner).post("/api/v1/users/abc/send_verification_email"), 404, "NOT_FOUND")
