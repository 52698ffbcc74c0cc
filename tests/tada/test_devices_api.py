"""/devices: POST full-replace upsert, GET list, GET/PUT (partial)/DELETE one; devices are per user."""

import pytest
from rest_framework.test import APIClient

from accounts.models import AuthToken, Device
from accounts.services.credentials import auth_token_issue
from tests.factories import DeviceFactory

pytestmark = pytest.mark.django_db

WEB = {
    "allowed_notifications": True,
    "device_id": "ABA-f923727d4093",
    "name": "ХромЪ",
    "notification_token": "2ed7b2746ffe563f5ac8658a09e02c4dfe258a6ea683ddb9638fcef89b0d703e",
    "type": "web",
}


def test_post_creates_device_with_defaults(tada_client, owner):
    response = tada_client.post("/api/v3/devices", WEB, format="json")
    assert response.status_code == 200
    assert response.json()["result"] == {**WEB, "data_pushes": False, "voip_notification_token": ""}
    assert Device.objects.get(user=owner, device_id=WEB["device_id"]).name == "ХромЪ"


def test_post_same_device_id_replaces_all_fields(tada_client, owner):
    tada_client.post("/api/v3/devices", {**WEB, "voip_notification_token": "voip", "data_pushes": True}, format="json")
    response = tada_client.post("/api/v3/devices/", {"device_id": WEB["device_id"], "type": "safari"}, format="json")
    assert response.status_code == 200
    assert response.json()["result"] == {
        "allowed_notifications": True,
        "data_pushes": False,
        "device_id": WEB["device_id"],
        "name": "",
        "notification_token": "",
        "type": "safari",
        "voip_notification_token": "",
    }
    assert Device.objects.filter(user=owner).count() == 1


@pytest.mark.parametrize(
    "body",
    [{"type": "web"}, {"device_id": "x"}, {"device_id": "x", "type": "symbian"}, {**WEB, "data_pushes": "maybe"}],
)
def test_post_validation_errors_in_envelope(tada_client, body):
    response = tada_client.post("/api/v3/devices", body, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert response.json()["details"]
    assert not Device.objects.exists()


def test_post_same_device_id_as_another_user_creates_own(tada_client, owner, outsider):
    DeviceFactory(user=outsider, device_id=WEB["device_id"], name="theirs")
    assert tada_client.post("/api/v3/devices", WEB, format="json").status_code == 200
    assert Device.objects.get(user=outsider).name == "theirs"
    assert Device.objects.get(user=owner).name == "ХромЪ"


def test_list_is_own_devices_unpaginated(tada_client, owner, outsider):
    DeviceFactory(user=owner, device_id="a")
    DeviceFactory(user=owner, device_id="b")
    DeviceFactory(user=outsider, device_id="c")
    response = tada_client.get("/api/v3/devices")
    assert response.status_code == 200
    assert [d["device_id"] for d in response.json()["result"]] == ["a", "b"]


@pytest.mark.parametrize("count", [2, 12])
def test_list_query_count_is_constant(tada_client, owner, django_assert_max_num_queries, count):
    for i in range(count):
        DeviceFactory(user=owner, device_id=f"d{i}")
    with django_assert_max_num_queries(4):
        response = tada_client.get("/api/v3/devices")
    assert len(response.json()["result"]) == count


@pytest.mark.parametrize(
    ("method", "path"), [("get", "/api/v3/devices"), ("post", "/api/v3/devices"), ("get", "/api/v3/devices/x")]
)
def test_unauthenticated_is_401(client, method, path):
    response = getattr(client, method)(path, WEB, format="json") if method == "post" else client.get(path)
    assert response.status_code == 401
    assert response.json()["ok"] is False


def test_get_one(tada_client, owner):
    DeviceFactory(user=owner, device_id="ABA-f923727d4093", type="web", name="ХромЪ")
    response = tada_client.get("/api/v3/devices/ABA-f923727d4093")
    assert response.status_code == 200
    assert response.json()["result"]["name"] == "ХромЪ"
    assert set(response.json()["result"]) == {
        "allowed_notifications",
        "data_pushes",
        "device_id",
        "name",
        "notification_token",
        "type",
        "voip_notification_token",
    }


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_users_device_is_404(tada_client, outsider, method):
    DeviceFactory(user=outsider, device_id="theirs", name="keep")
    response = getattr(tada_client, method)("/api/v3/devices/theirs", {"name": "hijack"}, format="json")
    assert response.status_code == 404
    assert response.json()["ok"] is False
    assert Device.objects.get(user=outsider, device_id="theirs").name == "keep"


def test_put_is_partial(tada_client, owner):
    DeviceFactory(user=owner, device_id="ABA", type="web", name="ХромЪ", notification_token="old")
    body = {"name": "ойпадище", "notification_token": "47ab", "voip_notification_token": "183e"}
    response = tada_client.put("/api/v3/devices/ABA", body, format="json")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result == {
        "allowed_notifications": True,
        "data_pushes": False,
        "device_id": "ABA",
        "name": "ойпадище",
        "notification_token": "47ab",
        "type": "web",
        "voip_notification_token": "183e",
    }
    assert Device.objects.get(user=owner, device_id="ABA").voip_notification_token == "183e"


def test_put_ignores_device_id_in_body_and_rejects_bad_type(tada_client, owner):
    DeviceFactory(user=owner, device_id="ABA", type="web")
    assert (
        tada_client.put("/api/v3/devices/ABA", {"device_id": "other"}, format="json").json()["result"]["device_id"]
        == "ABA"
    )
    response = tada_client.put("/api/v3/devices/ABA", {"type": "pager"}, format="json")
    assert response.status_code == 400
    assert "type" in response.json()["details"]
    assert Device.objects.get(user=owner, device_id="ABA").type == "web"


def test_put_missing_device_is_404_and_creates_nothing(tada_client, owner):
    assert tada_client.put("/api/v3/devices/nope", {"name": "x"}, format="json").status_code == 404
    assert not Device.objects.exists()


def test_delete_removes_device_and_revokes_its_tokens(tada_client, owner):
    device = DeviceFactory(user=owner, device_id="ABA")
    device_token = auth_token_issue(user=owner, device=device)[1]
    response = tada_client.delete("/api/v3/devices/ABA")
    assert response.status_code == 200
    assert response.json()["result"] is None
    assert response.json()["ok"] is True
    assert not Device.objects.filter(user=owner).exists()
    assert AuthToken.objects.get(device__isnull=True, user=owner)  # the caller's own token survives
    assert APIClient().get("/api/v3/me", HTTP_TOKEN=device_token).status_code == 401
    assert tada_client.delete("/api/v3/devices/ABA").status_code == 404
