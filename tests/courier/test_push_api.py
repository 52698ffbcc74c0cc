"""courier user-devices (list, register, get-logs) and app-credentials (list, create, get, PATCH; write-only data)."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import Device
from accounts.services.credentials import auth_token_issue
from messaging.crypto import decrypt_json
from messaging.models import AppCredential, DeviceLog
from tests.courier.conftest import document, errors_of
from tests.factories import DeviceFactory

pytestmark = pytest.mark.django_db

DEVICES = "/courier/v1/user-devices/"
CREDENTIALS = "/courier/v1/app-credentials/"
WEB_TOKEN = json.dumps({"endpoint": "https://push.example.com/send/abc", "keys": {"p256dh": "BPub", "auth": "secret"}})


def token_client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_token_issue(user=user)[1]}")
    return api


def post(api, url, resource_type, attributes):
    return api.post(url, json.dumps(document(resource_type, attributes)), content_type="application/json")


def register(api, individual, **attributes):
    body = {
        "allow-notification": True,
        "app-name": "crew",
        "app-version": "1.2",
        "individual-id": str(individual.uid),
        "model": "Pixel 9",
        "os-version": "15",
        "sandbox": False,
        "token": "fcm-abc",
        "topic": "",
        "type": "fcm",
        **attributes,
    }
    return post(api, DEVICES, "user-devices", body)


def test_register_upserts_by_token(team, crew):
    me = token_client(crew[1].user)
    first = register(me, crew[1])
    assert first.status_code == 201, first.content
    attributes = first.json()["data"]["attributes"]
    assert (attributes["type"], attributes["model"], attributes["individual-id"]) == (
        "fcm",
        "Pixel 9",
        str(crew[1].uid),
    )
    again = register(me, crew[1], **{"app-version": "1.3", "sandbox": True})
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    device = Device.objects.get(uid=first.json()["data"]["id"])
    assert (device.app_version, device.environment, device.notification_token) == ("1.3", "development", "fcm-abc")
    assert [d["id"] for d in me.get(DEVICES).json()["data"]] == [str(device.uid)]


def test_a_token_moves_with_the_phone(team, crew):
    register(token_client(crew[1].user), crew[1])
    register(token_client(crew[2].user), crew[2])
    assert Device.objects.get(user=crew[1].user, push_service="fcm").notification_token == ""


def test_register_validation(team, crew):
    me = token_client(crew[1].user)
    assert errors_of(register(me, crew[1], type="sms"))[0]["source"] == {"pointer": "/data/attributes/type"}
    assert errors_of(register(me, crew[1], token=""))[0]["source"] == {"pointer": "/data/attributes/token"}
    web = register(me, crew[1], type="web", token="not json")
    assert errors_of(web)[0]["source"] == {"pointer": "/data/attributes/token"}
    private = register(
        me,
        crew[1],
        type="web",
        token=json.dumps({"endpoint": "http://10.0.0.5/x", "keys": {"p256dh": "a", "auth": "b"}}),
    )
    assert private.status_code == 400  # a push endpoint on a private address is refused (SSRF)
    assert register(me, crew[1], type="web", token=WEB_TOKEN).status_code == 201


def test_devices_of_someone_else(team, crew, outsider_bearer_client, client):
    member = token_client(crew[1].user)
    assert register(member, crew[2]).status_code == 403  # a teammate's device: managers only
    assert register(outsider_bearer_client, crew[2]).status_code == 404
    assert client.get(DEVICES).status_code == 401


def test_all_users_and_logs(bearer_client, team, crew, django_assert_max_num_queries):
    device = Device.objects.get(user=crew[0].user)
    DeviceFactory(user=crew[1].user, device_id="web-1", push_service="web", notification_token=WEB_TOKEN)
    for n in range(3):
        DeviceLog.objects.create(team=team, device=device, title=f"t{n}", body="b", badge_count=n)
    for limit in (1, 100):
        with django_assert_max_num_queries(6):
            listed = bearer_client.get(DEVICES, {"all-users": "true", "page[limit]": limit})
        assert len(listed.json()["data"]) == min(limit, 2)
    assert [
        d["attributes"]["type"]
        for d in bearer_client.get(DEVICES, {"all-users": "true", "filter[type]": "web"}).json()["data"]
    ] == ["web"]
    assert bearer_client.get(DEVICES).json()["data"] == []  # by default only the caller's own
    logs = bearer_client.get(f"{DEVICES}{device.uid}/get-logs/")
    assert logs.status_code == 200
    assert [row["attributes"]["title"] for row in logs.json()["data"]] == ["t2", "t1", "t0"]
    assert logs.json()["data"][0]["type"] == "user-device-logs"
    assert token_client(crew[1].user).get(f"{DEVICES}{device.uid}/get-logs/").status_code == 404


def credential_body(team, **attributes):
    return {
        "app-name": "crew",
        "data": {"project_id": "crew-app", "client_email": "a@b.c", "private_key": "-----BEGIN PRIVATE KEY-----x"},
        "display-name": "Crew app",
        "organization-id": str(team.uid),
        "store-id": "com.example.crew",
        "test-mode": False,
        "type": "fcm",
        **attributes,
    }


def test_app_credentials_secrets_are_write_only(bearer_client, team):
    created = post(bearer_client, CREDENTIALS, "app-credentials", credential_body(team))
    assert created.status_code == 201, created.content
    data = created.json()["data"]
    assert data["attributes"]["data"] == {}
    assert "BEGIN PRIVATE KEY" not in created.content.decode()
    stored = AppCredential.objects.get(uid=data["id"])
    assert decrypt_json(stored.data_encrypted)["project_id"] == "crew-app"
    assert "crew-app" not in stored.data_encrypted
    patch = document("app-credentials", {"archived": True}, data["id"])
    changed = bearer_client.patch(f"{CREDENTIALS}{data['id']}/", json.dumps(patch), content_type="application/json")
    assert changed.json()["data"]["attributes"]["archived"] is True
    assert bearer_client.get(CREDENTIALS).json()["data"] == []
    assert len(bearer_client.get(CREDENTIALS, {"include[archived]": "true"}).json()["data"]) == 1
    assert bearer_client.get(f"{CREDENTIALS}{data['id']}/").status_code == 200


def test_app_credentials_validation_and_access(bearer_client, outsider_bearer_client, client, team, crew):
    bad = post(bearer_client, CREDENTIALS, "app-credentials", credential_body(team, data={"project_id": "x"}))
    assert errors_of(bad)[0]["source"] == {"pointer": "/data/attributes/data"}
    assert errors_of(post(bearer_client, CREDENTIALS, "app-credentials", credential_body(team, type="x")))[0][
        "source"
    ] == {"pointer": "/data/attributes/type"}
    member = token_client(crew[0].user)
    assert post(member, CREDENTIALS, "app-credentials", credential_body(team)).status_code == 403
    created = post(bearer_client, CREDENTIALS, "app-credentials", credential_body(team)).json()["data"]["id"]
    assert outsider_bearer_client.get(f"{CREDENTIALS}{created}/").status_code == 404
    assert client.get(CREDENTIALS).status_code == 401
