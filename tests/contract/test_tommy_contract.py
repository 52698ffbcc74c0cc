"""Tommy contract: each built endpoint with a documented success sample answers with every field of that sample,
with the same JSON types (recursively; first element for lists).

Samples are copied from spec/samples/tommy.json into tests/contract/samples/tommy.json (only the endpoints built
here). Endpoints whose success is documented as a bare "Success response" (sample null) have no fields to check.
"""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from messaging import sms
from tests.contract.addons_actions_calls import ADDONS_ACTIONS_CALLS
from tests.contract.automations_calls import AUTOMATION_CALLS
from tests.contract.tommy_contacts_calls import CONTACT_CALLS
from tests.contract.tommy_invitations_calls import INVITATION_CALLS
from tests.contract.tommy_team_calls import TEAM_CALLS
from tests.contract.workforce_people_calls import PEOPLE_CALLS
from tests.contract.workforce_shifts_calls import SHIFT_CALLS
from tests.contract.workforce_time_calls import TIME_CALLS
from tests.factories import DeviceFactory, UserFactory
from tests.helpers import user_client

pytestmark = pytest.mark.django_db

SAMPLES = json.loads((Path(__file__).parent / "samples" / "tommy.json").read_text())
PASSWORD = "correct-horse-battery-staple"


def _success_sample(entry: dict):
    for response in entry["responses"]:
        label = response["status"]
        # "X response" names a documented body; demo data and syncs label theirs "... successfully".
        if (label.endswith("response") and label != "Success response") or label.endswith("successfully"):
            return response["sample"]
    return None


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def assert_matches(sample, actual, where: str = "$", unset: tuple[str, ...] = ()) -> None:
    """`unset`: paths the call documents as legitimately null here (see tests/contract/tommy_invitations_calls.py)."""
    if actual is None and where in unset:
        return
    assert _json_type(actual) == _json_type(sample), f"{where}: expected {_json_type(sample)}, got {actual!r}"
    if isinstance(sample, dict):
        for key, value in sample.items():
            assert key in actual, f"{where}.{key} is missing"
            assert_matches(value, actual[key], f"{where}.{key}", unset)
    elif isinstance(sample, list) and sample:
        assert actual, f"{where}: expected a non-empty array to compare with the sample"
        assert_matches(sample[0], actual[0], f"{where}[0]", unset)


def _png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    return SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def full_owner(owner):
    """Every documented User field filled, so that no field is legitimately null."""
    owner.dob = date(1990, 1, 1)
    owner.locale = "en-US"
    owner.avatar = _png()
    owner.save()
    return owner


def _logged_in(user) -> APIClient:
    c = APIClient()
    assert c.post("/api/v1/sessions", {"login": user.email, "password": PASSWORD}, format="json").status_code == 200
    return c


def call_post_users(ctx):
    body = {
        "first_name": "Alex",
        "last_name": "Johnson",
        "email": "alex@example.com",
        "mobile": "+15551234567",
        "dob": "1990-01-01",
        "locale": "en-US",
        "photo": _png(),
        "password": "a-long-enough-secret",
    }
    return APIClient().post("/api/v1/users", body, format="multipart")


def call_get_user(ctx):
    return ctx["tommy_client"].get(f"/api/v1/users/{ctx['owner'].slug}")


def call_post_sessions(ctx):
    return APIClient().post("/api/v1/sessions", {"login": ctx["owner"].email, "password": PASSWORD}, format="json")


def call_get_me(ctx):
    return ctx["tommy_client"].get("/api/v1/me")


def call_put_me(ctx):
    return _logged_in(ctx["owner"]).put("/api/v1/me", {"first_name": "Alex"}, format="json")


def call_verify(ctx):
    user = UserFactory(phone_verified_at=None, dob=date(1990, 1, 1), locale="en", avatar=_png())
    with ctx["captured"](execute=True):
        user_client(user).post(f"/api/v1/users/{user.pk}/send_verification_sms")
    code = re.search(r"(\d{4,})", sms.outbox[-1].body).group(1)
    return APIClient().get("/api/v1/users/verify", {"pin": code, "user_id": user.pk})


def call_post_devices(ctx):
    DeviceFactory(user=ctx["owner"], device_id="string")
    body = {"platform": "ios", "environment": "development", "uuid": "string", "token": "xxxx-yyyy-zzzz"}
    return ctx["tommy_client"].post("/api/v1/devices", body, format="json")


CALLS = {
    ("POST", "/users"): (call_post_users, 201),
    ("GET", "/users/{id}"): (call_get_user, 200),
    ("POST", "/sessions"): (call_post_sessions, 200),
    ("GET", "/me"): (call_get_me, 200),
    ("PUT", "/me"): (call_put_me, 200),
    ("GET", "/users/verify"): (call_verify, 200),
    ("POST", "/devices"): (call_post_devices, 200),  # an upsert of a known uuid; a new one is 201
}
CALLS.update(CONTACT_CALLS)  # the contacts endpoints' calls live in tests/contract/tommy_contacts_calls.py
CALLS.update(TEAM_CALLS)  # accounts/teams/team members: tests/contract/tommy_team_calls.py
CALLS.update(INVITATION_CALLS)  # the invitations endpoints' calls live in tests/contract/tommy_invitations_calls.py
CALLS.update(PEOPLE_CALLS)  # workforce settings/employees/availabilities/questions, events: workforce_people_calls.py
CALLS.update(SHIFT_CALLS)  # workforce shifts and shift requests: tests/contract/workforce_shifts_calls.py
CALLS.update(TIME_CALLS)  # workforce attendances, timesheets, timesheet items: workforce_time_calls.py
CALLS.update(AUTOMATION_CALLS)  # demo data and syncs: tests/contract/automations_calls.py
CALLS.update(ADDONS_ACTIONS_CALLS)  # developers, addons, actions: tests/contract/addons_actions_calls.py

CASES = [pytest.param(entry, id=f"{entry['method']} {entry['path']}") for entry in SAMPLES if _success_sample(entry)]


def test_every_documented_success_sample_has_a_call():
    assert {(e["method"], e["path"]) for e in SAMPLES if _success_sample(e)} == set(CALLS)


@pytest.mark.parametrize("entry", CASES)
def test_tommy_response_matches_documented_sample(entry, full_owner, tommy_client, django_capture_on_commit_callbacks):
    call, status = CALLS[(entry["method"], entry["path"])]
    ctx = {"owner": full_owner, "tommy_client": tommy_client, "captured": django_capture_on_commit_callbacks}
    response = call(ctx)
    response, unset = response if isinstance(response, tuple) else (response, ())
    assert response.status_code == status, response.content
    assert_matches(_success_sample(entry), response.json(), unset=unset)
