"""Tada contract: each built endpoint answers with every field of its documented success sample, same JSON types
(recursively for objects; first element for lists). Samples are copied from spec/samples/tada.json into
tests/contract/samples/tada.json, limited to the endpoints built (service, auth, me, devices).

The caller is made the way the document's examples are: a fresh user from sms-login + sms-auth (no email, one iOS
device), so the documented `null`s are nulls here too.
"""

import json
import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from accounts.models import OneTimeCode, User
from accounts.services.codes import qr_login_issue
from accounts.services.users import device_upsert
from messaging import sms

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


@pytest.mark.parametrize("entry", CASES)
def test_tada_response_matches_documented_sample(entry, caller, django_capture_on_commit_callbacks):
    path = entry["path"].replace("{device_id}", DEVICE_ID) + QUERY.get(entry["path"], "")
    body = dict(entry["request_sample"] or {})
    if "code" in body:
        body["code"] = _send_code(APIClient(), django_capture_on_commit_callbacks)
    if "temp_token" in body:
        body["temp_token"] = qr_login_issue(user=caller.user)[1]
    if entry["path"] == "/api/v3/sms-login":
        sms.outbox.clear()
    response = caller.generic(entry["method"], path, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    sample = next(r["sample"] for r in entry["responses"] if r["status"] == "success")
    assert_matches(sample, response.json())
