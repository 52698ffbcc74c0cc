"""GET/PUT /ui-settings: a free-form JSON object per user (across teams), replaced whole, at most 16,000 bytes."""

import json

import pytest

from accounts.models import ServerEvent

pytestmark = pytest.mark.django_db

SAMPLE = {"current_team": "21639e8e-5425-4ba3-b48b-b1c82af90d10", "zzzz": [1, 2, 3]}


def _body_of_size(size: int) -> dict:
    """A JSON object whose compact UTF-8 serialisation is exactly `size` bytes."""
    overhead = len(json.dumps({"k": ""}, separators=(",", ":")).encode())
    return {"k": "x" * (size - overhead)}


def test_get_is_empty_object_by_default(tada_client):
    response = tada_client.get("/api/v3/ui-settings")
    assert response.status_code == 200
    assert response.json() == {"_time": response.json()["_time"], "ok": True, "result": {}}


def test_put_stores_and_returns_the_object(tada_client, owner):
    response = tada_client.put("/api/v3/ui-settings", SAMPLE, format="json")
    assert response.status_code == 200
    assert response.json()["result"] == SAMPLE
    owner.refresh_from_db()
    assert owner.ui_settings == SAMPLE
    assert tada_client.get("/api/v3/ui-settings/").json()["result"] == SAMPLE


def test_put_replaces_the_whole_document(tada_client, owner):
    tada_client.put("/api/v3/ui-settings", SAMPLE, format="json")
    response = tada_client.put("/api/v3/ui-settings", {"panels": {"left": False}}, format="json")
    assert response.json()["result"] == {"panels": {"left": False}}
    assert tada_client.get("/api/v3/ui-settings").json()["result"] == {"panels": {"left": False}}


def test_put_publishes_server_uisettings_to_the_user_only(tada_client, owner, teammate):
    tada_client.put("/api/v3/ui-settings", SAMPLE, format="json")
    event = ServerEvent.objects.get(name="server.uisettings")
    assert list(event.recipients.values_list("pk", flat=True)) == [owner.pk]
    assert event.actor == owner
    assert event.payload == SAMPLE


def test_settings_are_per_user(tada_client, teammate_client):
    tada_client.put("/api/v3/ui-settings", SAMPLE, format="json")
    assert teammate_client.get("/api/v3/ui-settings").json()["result"] == {}


def test_exactly_16000_bytes_is_accepted(tada_client, owner):
    body = _body_of_size(16000)
    response = tada_client.put("/api/v3/ui-settings", body, format="json")
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.ui_settings == body


def test_oversize_is_400_in_envelope_and_nothing_is_stored(tada_client, owner):
    tada_client.put("/api/v3/ui-settings", SAMPLE, format="json")
    ServerEvent.objects.all().delete()
    response = tada_client.put("/api/v3/ui-settings", _body_of_size(16001), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert "16000" in body["error"]
    owner.refresh_from_db()
    assert owner.ui_settings == SAMPLE
    assert not ServerEvent.objects.exists()


def test_size_counts_utf8_bytes_not_characters(tada_client):
    body = _body_of_size(15000)
    body["k"] = "я" * 8000  # 8,000 characters, 16,000 bytes
    assert tada_client.put("/api/v3/ui-settings", body, format="json").status_code == 400


@pytest.mark.parametrize("payload", [[1, 2, 3], "text", 5])
def test_non_object_body_is_400(tada_client, owner, payload):
    response = tada_client.put("/api/v3/ui-settings", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    owner.refresh_from_db()
    assert owner.ui_settings == {}


@pytest.mark.parametrize("method", ["get", "put"])
def test_unauthenticated_is_401(client, method):
    response = getattr(client, method)("/api/v3/ui-settings", SAMPLE, format="json")
    assert response.status_code == 401
    assert response.json()["ok"] is False
