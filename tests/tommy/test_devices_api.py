"""Tommy POST /devices (upsert on uuid) and DELETE /devices/{id} (own devices; revokes their tokens)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthToken, Device
from accounts.services.credentials import auth_token_issue
from tests.factories import DeviceFactory
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db

DEVICE = {"user_id": 0, "platform": "ios", "environment": "development", "uuid": "A1B2-C3", "token": "xxxx-yyyy"}


def test_register_device(owner_basic, owner):
    response = owner_basic.post("/api/v1/devices", DEVICE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    device = Device.objects.get(user=owner, device_id="A1B2-C3")
    assert body == {
        "id": device.pk,
        "user_id": owner.pk,
        "platform": "ios",
        "environment": "development",
        "uuid": "A1B2-C3",
        "token": "xxxx-yyyy",
    }
    assert (device.type, device.notification_token) == ("ios", "xxxx-yyyy")


def test_register_again_updates_the_token_in_place(owner_basic, owner):
    first = owner_basic.post("/api/v1/devices", DEVICE, format="json").json()
    response = owner_basic.post(
        "/api/v1/devices/", {**DEVICE, "token": "new-token", "user_id": owner.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    assert response.json()["token"] == "new-token"
    assert Device.objects.filter(user=owner).count() == 1


def test_register_device_validation(owner_basic, owner):
    body = assert_envelope(
        owner_basic.post("/api/v1/devices", {"platform": "windows"}, format="json"), 422, "VALIDATION_ERROR"
    )
    assert {"platform", "uuid"} <= set(body["details"])
    assert not Device.objects.exists()


def test_register_device_for_someone_else_is_422(owner_basic, teammate):
    response = owner_basic.post("/api/v1/devices", {**DEVICE, "user_id": teammate.pk}, format="json")
    assert "user_id" in assert_envelope(response, 422, "VALIDATION_ERROR")["details"]
    assert not Device.objects.exists()


def test_register_device_needs_credentials(client):
    assert_envelope(client.post("/api/v1/devices", DEVICE, format="json"), 401, "UNAUTHORIZED")


def test_delete_own_device_revokes_its_tokens(owner_basic, owner):
    device = DeviceFactory(user=owner)
    _, token = auth_token_issue(user=owner, device=device)
    token_client = APIClient()
    token_client.credentials(HTTP_TOKEN=token)
    assert token_client.get("/api/v1/me").status_code == 200
    response = owner_basic.delete(f"/api/v1/devices/{device.pk}")
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert not Device.objects.filter(pk=device.pk).exists()
    assert not AuthToken.objects.filter(device_id=device.pk, revoked_at__isnull=True).exists()
    assert_envelope(token_client.get("/api/v1/me"), 401, "UNAUTHORIZED")


def test_delete_another_users_device_is_404(owner_basic, outsider, teammate):
    for user in (outsider, teammate):
        device = DeviceFactory(user=user)
        assert_envelope(owner_basic.delete(f"/api/v1/devices/{device.pk}"), 404, "NOT_FOUND")
        assert Device.objects.filter(pk=device.pk).exists()
    assert_envelope(owner_basic.delete("/api/v1/devices/999999"), 404, "NOT_FOUND")


def test_delete_device_needs_credentials(client, owner):
    device = DeviceFactory(user=owner)
    assert_envelope(client.delete(f"/api/v1/devices/{device.pk}"), 401, "UNAUTHORIZED")
    assert Device.objects.filter(pk=device.pk).exists()
