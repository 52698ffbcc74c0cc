"""Tada contract: each built endpoint answers with every field of its documented success sample, same JSON types
(recursively for objects; first element for lists). Samples are copied from spec/samples/tada.json into
tests/contract/samples/tada.json, limited to the endpoints built (service, auth, me, devices, ui-settings, address book,
teams, team join, icons, usage).

The caller is made the way the document's examples are: a fresh user from sms-login + sms-auth (no email, one iOS
device), so the documented `null`s are nulls here too.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import Invitation, OneTimeCode, User
from accounts.services.codes import qr_login_issue
from accounts.services.credentials import auth_token_issue
from accounts.services.teams import team_create_with_contacts
from accounts.services.users import device_upsert
from messaging import sms
from tests.contract.tada_team_resources_calls import prepare_team_resources
from tests.contract.tada_ws_calls import prepare_ws
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = json.loads((Path(__file__).parent / "samples" / "tada.json").read_text(encoding="utf-8"))
CASES = [pytest.param(entry, id=f"{entry['method']} {entry['path']}") for entry in SAMPLES]
PHONE = "+79166660002"
DEVICE_ID = "ABA-f923727d4093"
QUERY = {"/api/v3/qr-login.png": "?debug=True"}


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def assert_matches(sample, actual, where: str = "$") -> None:
    assert _json_type(actual) == _json_type(sample), f"{where}: expected {_json_type(sample)}, got {actual!r}"
    if isinstance(sample, dict):
        for key, value in sample.items():
            assert key in actual, f"{where}.{key} is missing"
            assert_matches(value, actual[key], f"{where}.{key}")
    elif isinstance(sample, list) and sample:
        assert actual, f"{where}: expected a non-empty array to compare with the sample"
        assert_matches(sample[0], actual[0], f"{where}[0]")


def _send_code(api: APIClient, capture) -> str:
    with capture(execute=True):
        assert api.post("/api/v3/sms-login", {"phone": PHONE}, format="json").status_code == 200
    return re.search(r"(\d+)\s*$", [m.body for m in sms.outbox if m.to == PHONE][-1]).group(1)


@pytest.fixture
def caller(django_capture_on_commit_callbacks):
    """A token client for a user made by sms-auth, with a second (web) device."""
    api = APIClient()
    code = _send_code(api, django_capture_on_commit_callbacks)
    body = {"code": code, "device_id": "a6a6d308730f27ce32d1", "name": "ойпад", "phone": PHONE, "type": "ios"}
    response = api.post("/api/v3/sms-auth", body, format="json")
    assert response.status_code == 200, response.content
    api.credentials(HTTP_TOKEN=response.json()["result"]["token"])
    me = User.objects.get(phone=PHONE)
    device_upsert(user=me, device_id=DEVICE_ID, type="web", name="ХромЪ", notification_token="2ed7b274")
    sms.outbox.clear()
    OneTimeCode.objects.all().delete()  # let the sms-* cases ask for a fresh code without the resend cooldown
    api.user = me
    return api


def _picture() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1180), (101, 33, 107)).save(buffer, format="PNG")
    return SimpleUploadedFile("team.png", buffer.getvalue(), content_type="image/png")


def _prepare_teams(entry, caller, path: str, body: dict) -> tuple[str, dict]:
    """State the ui-settings, address-book and teams samples need: a team of the caller, a registered user for the
    address book's phone, stored ui-settings, a link invitation to join."""
    sample = next(r["sample"] for r in entry["responses"] if r["status"] == "success")
    if "{team_uid}" in path or (entry["method"], entry["path"]) == ("GET", "/api/v3/teams"):
        team = team_create_with_contacts(
            creator=caller.user, name="третий отдельный", contacts=[{"phone": "+79992331122"}]
        )
        path = path.replace("{team_uid}", str(team.uid))
    if (entry["method"], entry["path"]) == ("GET", "/api/v3/ui-settings"):
        User.objects.filter(pk=caller.user.pk).update(ui_settings=sample["result"])
    if entry["path"].endswith("/address-book"):
        UserFactory(phone="+79162255059", first_name="dfg", last_name="dfgdfg")
        if entry["method"] == "GET":
            device_upsert(user=caller.user, device_id=DEVICE_ID)
    if "token" in body:
        inviter = UserFactory()
        team = team_create_with_contacts(creator=inviter, name="третий отдельный")
        body["token"] = Invitation.objects.create(kind=Invitation.Kind.LINK, inviter=inviter, team=team).token
    return path, body


@pytest.mark.parametrize("entry", CASES)
def test_tada_response_matches_documented_sample(entry, caller, django_capture_on_commit_callbacks):
    path = entry["path"].replace("{device_id}", DEVICE_ID) + QUERY.get(entry["path"], "")
    body = dict(entry["request_sample"] or {})
    if "code" in body:
        body["code"] = _send_code(APIClient(), django_capture_on_commit_callbacks)
    if "temp_token" in body:
        body["temp_token"] = qr_login_issue(user=caller.user, auth_token=auth_token_issue(user=caller.user)[0])[1]
    if entry["path"] == "/api/v3/sms-login":
        sms.outbox.clear()
    path, body = _prepare_teams(entry, caller, path, body)
    path, body = prepare_team_resources(entry, caller, path, body)
    path, body = prepare_ws(entry, caller, path, body)
    if entry.get("note", "").startswith("Request body is multipart/form-data"):
        response = caller.post(path, {"file": _picture()}, format="multipart")
    else:
        response = caller.generic(entry["method"], path, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    sample = next(r["sample"] for r in entry["responses"] if r["status"] == "success")
    assert_matches(sample, response.json())
