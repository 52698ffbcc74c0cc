"""The credential readers every family uses: API keys, tokens, HTTP Basic, revocation and the IP allow-list."""

import base64

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey, AuthToken, hash_secret
from accounts.services.credentials import api_key_create, api_key_revoke, auth_token_issue, auth_token_revoke

pytestmark = pytest.mark.django_db

# An endpoint that needs a credential in each family, answering 404 in its own envelope once authenticated.
PROBE = "/inbox/v3/companies/00000000-0000-0000-0000-000000000000"


def test_api_key_is_stored_only_as_a_hash(team, owner):
    key, plaintext = api_key_create(team=team, created_by=owner, name="ci")
    assert plaintext.startswith(ApiKey.PREFIX)
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.key_hash == hash_secret(plaintext)
    assert plaintext not in {stored.key_hash, stored.display_prefix, stored.name}


def test_token_is_32_url_safe_characters(owner):
    _, plaintext = auth_token_issue(user=owner)
    assert len(plaintext) == 32
    assert AuthToken.objects.get(user=owner).key_hash == hash_secret(plaintext)


def test_unknown_bearer_secret_is_401_with_challenge(client):
    client.credentials(HTTP_AUTHORIZATION="Bearer cdk_not-a-real-key")
    response = client.get("/inbox/v3/companies")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 1001
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_credentials_are_401_in_each_family(client):
    assert client.get("/inbox/v3/companies").status_code == 401
    assert client.get("/api/v3/me").json()["ok"] is False
    assert client.get("/api/v3/me").status_code == 401


def test_revoked_api_key_stops_working(team, owner):
    key, plaintext = api_key_create(team=team, created_by=owner)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert c.get("/inbox/v3/companies").status_code == 200
    api_key_revoke(api_key=key)
    assert c.get("/inbox/v3/companies").status_code == 401


def test_revoked_token_stops_working(owner):
    token, plaintext = auth_token_issue(user=owner)
    c = APIClient()
    c.credentials(HTTP_TOKEN=plaintext)
    assert c.get("/api/v3/me").status_code == 200
    auth_token_revoke(token=token)
    assert c.get("/api/v3/me").status_code == 401


def test_api_key_ip_allow_list_refuses_other_addresses(team, owner):
    _, plaintext = api_key_create(team=team, created_by=owner, allowed_ips=["10.1.2.3"])
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert c.get("/inbox/v3/companies", REMOTE_ADDR="192.0.2.9").status_code == 403
    assert c.get("/inbox/v3/companies", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_api_key_records_last_use(team, owner):
    key, plaintext = api_key_create(team=team, created_by=owner)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    c.get("/inbox/v3/companies")
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_tommy_reads_the_api_key_header_and_http_basic(api_key, owner):
    by_key = APIClient()
    by_key.credentials(HTTP_API_KEY=api_key)
    assert by_key.get("/api/v1/me").status_code == 200

    basic = base64.b64encode(f"{owner.email}:correct-horse-battery-staple".encode()).decode()
    by_password = APIClient()
    by_password.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    assert by_password.get("/api/v1/me").status_code == 200

    wrong = base64.b64encode(f"{owner.email}:wrong-password".encode()).decode()
    by_wrong = APIClient()
    by_wrong.credentials(HTTP_AUTHORIZATION=f"Basic {wrong}")
    response = by_wrong.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


def test_suspended_user_credentials_are_refused(owner, owner_token):
    owner.status = owner.Status.SUSPENDED
    owner.save()
    c = APIClient()
    c.credentials(HTTP_TOKEN=owner_token)
    assert c.get("/api/v3/me").status_code == 401
