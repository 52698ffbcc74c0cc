"""Free-form JSON is checked on the way in, and one bad stored value never turns a list into a 500 (issue 8, item 4).

Before: an integer above 2^64 inside a JSON field was stored, then every list rendering it failed in orjson
("Integer exceeds 64-bit range") — as Django's HTML 500 page, because DRF renders after the view returned.
"""

import json

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.response import Response
from rest_framework.test import APIClient

from accounts.models import Setting
from accounts.services.team_admin import setting_put
from api.tada.base import TadaAPIView, TadaRenderer
from core.json_values import FREEFORM, SAFE_INTEGER, json_safe_copy, json_value_problem
from tests.factories import DeviceFactory, TextAccountFactory
from tests.workforce.shifts_support import at, iso, make_shift
from workforce.models import Shift

pytestmark = pytest.mark.django_db

# Literal JSON texts (a float literal 1e400 parses to infinity; JSON itself has no way to write it otherwise).
BAD_VALUES = {
    "above 2^64": str(2**64),
    "above 2^53": str(SAFE_INTEGER + 1),
    "below -2^53": str(-SAFE_INTEGER - 1),
    "infinite": "1e400",
    "too deep": "[" * 17 + "]" * 17,
    "far too deep": "[" * 3000 + "]" * 3000,
    "too large": json.dumps("x" * 70_000),
}


def _put_setting(base):
    def send(client, value):
        return client.put(f"{base}/poison", f'{{"data": {{"v": {value}}}}}', content_type="application/json")

    return send


def _create_shift(client, value):
    start = at(1)
    body = f'{{"start_at": "{iso(start)}", "end_at": "{iso(at(1, 17))}", "data": {{"v": {value}}}}}'
    return client.post("/api/v1/workforce/manager/shifts", body, content_type="application/json")


def _workforce_settings(client, value):
    return client.put("/api/v1/workforce", f'{{"data": {{"v": {value}}}}}', content_type="application/json")


def _demo_options(client, value):
    body = f'{{"seed_type": "workforce", "options": {{"v": {value}}}}}'
    return client.post("/api/v1/team/demo_data/apply", body, content_type="application/json")


def _ui_settings(client, value):
    return client.put("/api/v3/ui-settings", f'{{"v": {value}}}', content_type="application/json")


def _address_book(client, value):
    body = f'{{"contacts": [{{"phones": ["+79160000009"], "v": {value}}}]}}'
    return client.put("/api/v3/devices/phone-1/address-book", body, content_type="application/json")


def _courier_text(client, value):
    account = TextAccountFactory(team=client.team)
    attributes = f'"account-id": "{account.uid}", "message": "hi", "target": "+12025550142", "callback-json": {value}'
    body = f'{{"data": {{"type": "texts", "attributes": {{{attributes}}}}}}}'
    return client.post("/courier/v1/texts/", body, content_type="application/vnd.api+json")


# endpoint name → (how to call it, which credential, how to tell that nothing was stored)
ENDPOINTS = {
    "tommy PUT /me/settings/{name}": (_put_setting("/api/v1/me/settings"), "token", lambda: Setting.objects.count()),
    "tommy PUT /team/settings/{name}": (
        _put_setting("/api/v1/team/settings"),
        "token",
        lambda: Setting.objects.count(),
    ),
    "tommy POST /workforce/manager/shifts": (_create_shift, "token", lambda: Shift.objects.count()),
    "tommy PUT /workforce": (_workforce_settings, "token", lambda: _stored("workforce_workforcesettings", "data")),
    "tommy POST /team/demo_data/apply": (_demo_options, "token", lambda: _stored("automations_sync", "options")),
    "tada PUT /ui-settings": (_ui_settings, "token", lambda: _stored("accounts_user", "ui_settings")),
    "tada PUT /devices/{id}/address-book": (_address_book, "token", lambda: _stored("accounts_device", "address_book")),
    "courier POST /texts/": (_courier_text, "bearer", lambda: _stored("messaging_text", "callback_json")),
}


def _stored(table: str, column: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")
        return [row[0] for row in cursor.fetchall()]


def _envelope_ok(response) -> bool:
    body = response.json()
    return (
        (isinstance(body, dict) and body.get("error") is True)  # tommy
        or (isinstance(body, dict) and body.get("ok") is False)  # tada
        or (isinstance(body, dict) and isinstance(body.get("errors"), list))  # courier
    )


@pytest.fixture
def caller(team, owner, owner_token, api_key):
    """The team's owner (a manager) with a device: a user token (tommy, tada) and the team's API key (courier)."""
    DeviceFactory(user=owner, device_id="phone-1")
    clients = {"token": APIClient(), "bearer": APIClient()}
    clients["token"].credentials(HTTP_TOKEN=owner_token)
    clients["bearer"].credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    for client in clients.values():
        client.team = team
    return clients


# An address book (up to 10,000 contacts) is bounded in size by the request body limit only.
CASES = [
    (endpoint, value_name)
    for endpoint in ENDPOINTS
    for value_name in BAD_VALUES
    if not (endpoint.endswith("address-book") and value_name == "too large")
]


@pytest.mark.parametrize(("endpoint", "value_name"), CASES)
def test_free_form_json_out_of_limits_is_refused_in_the_family_envelope(caller, endpoint, value_name):
    send, credential, stored = ENDPOINTS[endpoint]
    before = stored()
    response = send(caller[credential], BAD_VALUES[value_name])
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith(("application/json", "application/vnd.api+json"))
    assert _envelope_ok(response), response.content[:300]
    assert stored() == before


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_free_form_json_within_limits_is_stored(caller, endpoint):
    send, credential, _ = ENDPOINTS[endpoint]
    value = f'{{"max": {SAFE_INTEGER}, "min": {-SAFE_INTEGER}, "f": 1.5e300, "deep": {"[" * 12 + "]" * 12}}}'
    response = send(caller[credential], value)
    assert response.status_code in (200, 201), response.content[:300]


# --- the render path ---------------------------------------------------------------------------------------------


def test_a_shift_with_a_huge_stored_number_does_not_break_the_list(caller, team):
    # given a value stored before the checks existed (or by a path that skips them, e.g. the admin)
    make_shift(team, None, title="fine")
    make_shift(team, None, title="poisoned", data={"n": 2**70, "deep": json.loads("[" * 300 + "]" * 300)})
    # when the team's list is read
    response = caller["token"].get("/api/v1/workforce/manager/shifts")
    # then it answers, with every shift, the huge number as its exact digits (the list copies the stored JSON
    # text as it is, workforce/services/shift_page.py; the single shift falls back to the digits as a string)
    assert response.status_code == 200, response.content[:300]
    rows = {row["title"]: row for row in response.json()}
    assert set(rows) == {"fine", "poisoned"}
    assert rows["poisoned"]["data"]["n"] == 2**70
    single = caller["token"].get(f"/api/v1/workforce/manager/shifts/{rows['poisoned']['id']}")
    assert single.status_code == 200
    assert single.json()["data"]["n"] == str(2**70)


def test_settings_and_ui_settings_with_huge_stored_numbers_still_render(owner, caller):
    setting_put(name="poison", data={"n": 2**70}, user=owner)
    owner.ui_settings = {"n": -(2**65), "ok": 1}
    owner.save()
    assert caller["token"].get("/api/v1/me/settings").json() == {"poison": {"n": str(2**70)}}
    assert caller["token"].get("/api/v3/ui-settings").json()["result"] == {"n": str(-(2**65)), "ok": 1}


def test_a_stored_number_beyond_any_float_still_renders(owner, caller):
    # PostgreSQL jsonb keeps 1e400 (numeric); Python reads it back as infinity
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET ui_settings = %s WHERE id = %s", ['{"n": 1e400, "ok": 2}', owner.pk])
    # SQLite hands back the text 1e400 (infinity: null); PostgreSQL prints the numeric as 401 digits (a string)
    assert caller["token"].get("/api/v3/ui-settings").json()["result"]["n"] in (None, "1" + "0" * 400)


class _BrokenRenderer(TadaRenderer):
    """Fails on success bodies only, the way a renderer met a value it could not encode."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not getattr((renderer_context or {}).get("response"), "exception", False):
            raise TypeError("cannot encode")
        return super().render(data, accepted_media_type, renderer_context)


class _BrokenRenderingView(TadaAPIView):
    renderer_classes = [_BrokenRenderer]
    authentication_classes: list = []
    permission_classes: list = []

    def get_authenticators(self):
        return []

    def get(self, request):
        return Response({"fine": True})


def test_a_rendering_failure_is_a_500_in_the_family_envelope_not_an_html_page():
    request = RequestFactory().get("/api/v3/anything")
    response = _BrokenRenderingView.as_view()(request)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["ok"] is False


class _FailingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.endswith("/boom"):
            raise RuntimeError("a middleware failed")
        return self.get_response(request)


@pytest.mark.parametrize(
    ("path", "is_envelope"),
    [
        ("/api/v3/boom", lambda body: body["ok"] is False),
        ("/api/v1/boom", lambda body: body["error"] is True and body["code"] == "INTERNAL_ERROR"),
        ("/inbox/v3/boom", lambda body: body["error"]["code"] == 1004),
        ("/courier/v1/boom", lambda body: body["errors"][0]["status"] == 500),
    ],
)
def test_an_error_outside_any_view_is_answered_in_the_family_envelope(settings, path, is_envelope):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}._FailingMiddleware"]
    response = APIClient(raise_request_exception=False).get(path)
    assert response.status_code == 500
    assert is_envelope(response.json())


def test_an_error_outside_the_families_keeps_djangos_page(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}._FailingMiddleware"]
    response = APIClient(raise_request_exception=False).get("/admin/boom")
    assert response.status_code == 500
    assert isinstance(response, HttpResponse)
    assert not response["Content-Type"].startswith("application/json")


# --- the validator itself ----------------------------------------------------------------------------------------


def test_the_validator_walks_any_depth_without_recursion():
    assert "nest" in json_value_problem(_nested(100_000), FREEFORM)


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def test_json_safe_copy_keeps_what_renders_and_replaces_what_does_not():
    assert json_safe_copy({"a": [1, 2**70, float("inf"), "x", None, True]}) == {
        "a": [1, str(2**70), None, "x", None, True]
    }
