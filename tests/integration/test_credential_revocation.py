"""Revocation is immediate on every process (issue 10): two gunicorn workers keep the credential behind a secret
in memory (accounts/services/credential_cache.py); a revocation made by a third process reaches both at once
through the user's epoch in Redis."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from accounts.services.credentials import api_key_create, auth_token_issue

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 40  # new connections each: both workers answer many of them

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="integration: REDIS_URL is unset")


def _status(url: str, headers: dict) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _statuses(server, path: str, headers: dict) -> set[int]:
    return {_status(f"{server.base_url}{path}", headers) for _ in range(REQUESTS)}


def _in_another_process(server, code: str) -> None:
    """Run `code` with the server's settings (Redis cache included), as an operator's shell or the admin would."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=server.env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("web_server", [2], indirect=True)
def test_a_revoked_api_key_and_token_are_refused_by_every_worker_at_once(web_server, team, owner):
    key, key_secret = api_key_create(team=team, created_by=owner)
    token, token_secret = auth_token_issue(user=owner)
    # warm: every worker has stamped entries for both secrets (each is stamped on its second sighting)
    assert _statuses(web_server, "/api/v1/me", {"Api-Key": key_secret}) == {200}
    assert _statuses(web_server, "/api/v3/me", {"token": token_secret}) == {200}

    _in_another_process(
        web_server,
        "from accounts.models import ApiKey, AuthToken\n"
        "from accounts.services.credentials import api_key_revoke, auth_token_revoke\n"
        f"api_key_revoke(api_key=ApiKey.objects.get(pk={key.pk}))\n"
        f"auth_token_revoke(token=AuthToken.objects.get(pk={token.pk}))\n",
    )

    assert _statuses(web_server, "/api/v1/me", {"Api-Key": key_secret}) == {401}
    assert _statuses(web_server, "/api/v3/me", {"token": token_secret}) == {401}
