"""Documented headers work on the server we ship: tommy's `api_key` (an underscore in its name) reaches the app
through `gunicorn -c config/gunicorn.py`, which `make run` and the README's production command both use."""

import json
import urllib.request

import pytest

from accounts.services.credentials import api_key_create


def _get(url: str, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("header", ["api_key", "Api-Key"])
def test_tommy_me_with_the_documented_api_key_header(web_server, team, owner, header):
    _, plaintext = api_key_create(team=team, created_by=owner)

    status, body = _get(f"{web_server.base_url}/api/v1/me", {header: plaintext})

    assert status == 200, body
    assert body["id"] == owner.pk


def test_a_wrong_api_key_is_refused_in_the_tommy_envelope(web_server, team, owner):
    status, body = _get(f"{web_server.base_url}/api/v1/me", {"api_key": "cdk_not-a-key"})

    assert status == 401
    assert body["error"] is True
