"""Tommy /users and /me: sign-up, lookup by id or slug within the caller's teams, profile updates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.factories import UserFactory
from tests.tommy.conftest import PASSWORD, basic_client, png_upload

pytestmark = pytest.mark.django_db

USER_KEYS = {"id", "status", "first_name", "last_name", "slug", "email", "mobile", "dob", "locale", "icon_url"}


def assert_envelope(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"] is True
    assert body["code"] == code
    assert body["request_id"] == response["X-Request-ID"]
    return body


# POST /users


def test_sign_up_creates_pending_user_who_can_log_in(client):
    response = client.post(
        "/api/v1/users",
        {
            "first_name": "Alex",
            "last_name": "Johnson",
            "email": "Alex@Example.COM",
            "mobile": "+1 (555) 123-4567",
            "dob": "1990-01-01",
            "locale": "en-US",
            "password": "a-long-enough-secret",
            "status": "suspended",  # read-only: ignored
            "id": 999,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == USER_KEYS
    assert body["mobile"] == "+15551234567"
    assert body["email"] == "Alex@example.com"
    assert body["status"] == "pending"
    assert body["slug"] == "alex-johnson"
    assert body["icon_url"] is None
    assert body["id"] != 999
    user = User.objects.get(pk=body["id"])
    assert user.phone == "+15551234567"
    assert user.check_password("a-long-enough-secret")
    assert "password" not in body


def test_sign_up_with_photo_by_multipart(client):
    response = client.post(
        "/api/v1/users/",
        {"email": "pic@example.com", "password": "a-long-enough-secret", "photo": png_upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["icon_url"].startswith("http://testserver/media/avatars/")
    assert User.objects.get(email="pic@example.com").avatar.name.startswith("avatars/")


def test_sign_up_with_bad_mobile_is_422_naming_mobile(client):
    response = client.post("/api/v1/users", {"email": "x@example.com", "mobile": "12"}, format="json")
    body = assert_envelope(response, 422, "VALIDATION_ERROR")
    assert "mobile" in body["details"]
    assert not User.objects.filter(email="x@example.com").exists()


def test_sign_up_with_taken_email_or_bad_fields_is_422(client, owner):
    response = client.post("/api/v1/users", {"email": owner.email.upper(), "password": "xx"}, format="json")
    assert "email" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    response = client.post("/api/v1/users", {"email": "nope", "dob": "yesterday"}, format="json")
    details = assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    assert {"email", "dob"} <= set(details)


def test_sign_up_needs_email_or_mobile_and_a_strong_password(client):
    response = client.post("/api/v1/users", {"first_name": "Nobody"}, format="json")
    assert_envelope(response, 422, "VALIDATION_ERROR")
    response = client.post("/api/v1/users", {"email": "w@example.com", "password": "123"}, format="json")
    assert "password" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    assert not User.objects.filter(email="w@example.com").exists()


def test_sign_up_with_non_image_photo_is_422(client):
    bogus = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post("/api/v1/users", {"email": "f@example.com", "photo": bogus}, format="multipart")
    assert "photo" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]


# GET /users/{id}


def test_get_teammate_by_id_and_by_slug(tommy_client, teammate):
    by_id = tommy_client.get(f"/api/v1/users/{teammate.pk}")
    assert by_id.status_code == 200
    assert by_id.json()["id"] == teammate.pk
    assert by_id.json()["mobile"] == teammate.phone
    by_slug = tommy_client.get(f"/api/v1/users/{teammate.slug}/")
    assert by_slug.status_code == 200
    assert by_slug.json() == by_id.json()


def test_get_self_without_a_team(db):
    loner = UserFactory()
    response = basic_client(loner).get(f"/api/v1/users/{loner.slug}")
    assert response.status_code == 200
    assert response.json()["id"] == loner.pk


def test_user_of_another_team_is_404(tommy_client, outsider):
    assert_envelope(tommy_client.get(f"/api/v1/users/{outsider.pk}"), 404, "NOT_FOUND")
    assert_envelope(tommy_client.get(f"/api/v1/users/{outsider.slug}"), 404, "NOT_FOUND")
    assert_envelope(tommy_client.get("/api/v1/users/no-such-slug"), 404, "NOT_FOUND")


def test_get_user_needs_credentials(client, teammate):
    response = client.get(f"/api/v1/users/{teammate.pk}")
    assert_envelope(response, 401, "UNAUTHORIZED")
    assert response["WWW-Authenticate"].startswith("Basic")


def test_bad_api_key_is_401(client, teammate):
    client.credentials(HTTP_API_KEY="cdk_wrong")
    assert_envelope(client.get(f"/api/v1/users/{teammate.pk}"), 401, "UNAUTHORIZED")


# GET /me, PUT /me


def test_me_with_api_key_basic_and_wrong_password(tommy_client, owner):
    assert tommy_client.get("/api/v1/me").json()["id"] == owner.pk
    assert basic_client(owner).get("/api/v1/me/").json()["email"] == owner.email
    assert_envelope(basic_client(owner, "wrong").get("/api/v1/me"), 401, "UNAUTHORIZED")


def test_me_needs_credentials(client):
    assert_envelope(client.get("/api/v1/me"), 401, "UNAUTHORIZED")
    assert_envelope(client.put("/api/v1/me", {"first_name": "X"}, format="json"), 401, "UNAUTHORIZED")


def test_put_me_changes_only_given_fields(owner_basic, owner):
    old_phone = owner.phone
    response = owner_basic.put(
        "/api/v1/me", {"first_name": "Olena", "locale": "uk-UA", "slug": "olena", "icon_url": "x"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["first_name"] == "Olena"
    assert body["last_name"] == "Owner"
    assert body["slug"] == "olena"
    assert body["mobile"] == old_phone
    assert body["icon_url"] is None
    owner.refresh_from_db()
    assert (owner.first_name, owner.locale, owner.slug) == ("Olena", "uk-UA", "olena")


def test_put_me_new_mobile_is_normalised_and_unverified(owner_basic, owner):
    response = owner_basic.put("/api/v1/me", {"mobile": "+7 (916) 555-00-11"}, format="json")
    assert response.status_code == 200, response.content
    owner.refresh_from_db()
    assert owner.phone == "+79165550011"
    assert owner.phone_verified_at is None


def test_put_me_bad_mobile_and_taken_slug_are_422(owner_basic, teammate):
    body = assert_envelope(owner_basic.put("/api/v1/me", {"mobile": "abc"}, format="json"), 422, "VALIDATION_ERROR")
    assert list(body["details"]) == ["mobile"]
    body = assert_envelope(
        owner_basic.put("/api/v1/me", {"slug": teammate.slug}, format="json"), 422, "VALIDATION_ERROR"
    )
    assert "slug" in body["details"]


def test_put_me_password_change(owner_basic, owner):
    response = owner_basic.put("/api/v1/me", {"password": "a-brand-new-secret"}, format="json")
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password("a-brand-new-secret")
    assert basic_client(owner, PASSWORD).get("/api/v1/me").status_code == 401
    assert basic_client(owner, "a-brand-new-secret").get("/api/v1/me").status_code == 200


def test_put_me_password_change_keeps_own_session_and_ends_others(client, owner):
    from rest_framework.test import APIClient

    other = APIClient()
    for c in (client, other):
        response = c.post("/api/v1/sessions", {"login": owner.email, "password": PASSWORD}, format="json")
        assert response.status_code == 200
    assert client.put("/api/v1/me", {"password": "a-brand-new-secret"}, format="json").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert other.get("/api/v1/me").status_code == 401


def test_api_key_cannot_change_its_makers_password(tommy_client, owner):
    assert_envelope(tommy_client.put("/api/v1/me", {"password": "a-brand-new-secret"}, format="json"), 403, "FORBIDDEN")
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_put_me_photo_upload(owner_basic, owner, png):
    response = owner_basic.put("/api/v1/me", {"photo": png}, format="multipart")
    assert response.status_code == 200, response.content
    owner.refresh_from_db()
    assert owner.avatar
    assert response.json()["icon_url"] == f"http://testserver{owner.avatar.url}"


def test_put_me_bad_photo_is_422(owner_basic, owner):
    bogus = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    body = assert_envelope(owner_basic.put("/api/v1/me", {"photo": bogus}, format="multipart"), 422, "VALIDATION_ERROR")
    assert "photo" in body["details"]
    owner.refresh_from_db()
    assert not owner.avatar
