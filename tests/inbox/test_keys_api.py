"""GET /inbox/v3/keys, /keys/currrent (sic) and /keys/current."""

import re

import pytest

from accounts.models import ApiKey
from accounts.services.credentials import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def test_list_returns_the_callers_team_keys_as_bare_array(bearer_client, team, owner, api_key):
    extra, _ = api_key_create(
        team=team, created_by=owner, name="Test environment", scopes=["CHANNEL"], allowed_ips=["127.0.0.1"]
    )
    response = bearer_client.get("/inbox/v3/keys")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    by_id = {item["id"]: item for item in body}
    assert set(by_id) == set(str(uid) for uid in ApiKey.objects.filter(team=team).values_list("uid", flat=True))
    item = by_id[str(extra.uid)]
    assert item == {
        "cipherKey": extra.display_prefix,
        "description": "Test environment",
        "id": str(extra.uid),
        "lastUsed": None,
        "objects": [],
        "scope": "CHANNEL",
        "whitelist": ["127.0.0.1"],
    }


def test_list_never_shows_the_secret_or_its_hash(bearer_client, api_key):
    response = bearer_client.get("/inbox/v3/keys")
    text = response.content.decode()
    key = ApiKey.objects.get()
    assert api_key not in text
    assert key.key_hash not in text
    assert response.json()[0]["cipherKey"] == api_key[:10]


def test_list_excludes_other_teams_and_revoked_keys(bearer_client, team, owner, api_key, other_team, outsider):
    foreign, _ = api_key_create(team=other_team, created_by=outsider, name="foreign")
    revoked, _ = api_key_create(team=team, created_by=owner, name="old")
    api_key_revoke(api_key=revoked)
    ids = {item["id"] for item in bearer_client.get("/inbox/v3/keys/").json()}
    assert str(foreign.uid) not in ids
    assert str(revoked.uid) not in ids
    assert len(ids) == 1


def test_list_with_a_user_token_shows_the_users_teams_keys(token_client, team, api_key, outsider_api_key):
    body = token_client.get("/inbox/v3/keys").json()
    assert [item["description"] for item in body] == ["tests"]


def test_list_query_count_is_constant(bearer_client, team, owner, api_key, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert len(bearer_client.get("/inbox/v3/keys").json()) == 1
    for n in range(10):
        api_key_create(team=team, created_by=owner, name=f"key {n}")
    with django_assert_max_num_queries(4):
        assert len(bearer_client.get("/inbox/v3/keys").json()) == 11


def test_list_unauthenticated_is_401_code_1001(client):
    response = client.get("/inbox/v3/keys")
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == 1001
    assert body["traceId"] == response["X-Request-ID"]


@pytest.mark.parametrize("path", ["/inbox/v3/keys/currrent", "/inbox/v3/keys/current", "/inbox/v3/keys/current/"])
def test_current_key_is_the_key_of_this_request(bearer_client, api_key, path):
    response = bearer_client.get(path)
    assert response.status_code == 200
    body = response.json()
    key = ApiKey.objects.get(display_prefix=api_key[:10])
    assert body["id"] == str(key.uid)
    assert body["cipherKey"] == api_key[:10]
    assert body["description"] == "tests"
    assert body["scope"] == "ALL"
    assert body["whitelist"] == []
    assert DATE.match(body["lastUsed"])  # the request itself was a use of the key


def test_current_key_records_the_use(bearer_client, api_key):
    assert ApiKey.objects.get().last_used_at is None
    bearer_client.get("/inbox/v3/keys/currrent")
    assert ApiKey.objects.get().last_used_at is not None


def test_current_key_with_a_user_token_is_404_code_1009(token_client):
    response = token_client.get("/inbox/v3/keys/currrent")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009


def test_current_key_with_a_revoked_key_is_401(bearer_client, api_key):
    api_key_revoke(api_key=ApiKey.objects.get())
    response = bearer_client.get("/inbox/v3/keys/currrent")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 1001


def test_current_key_from_an_address_off_the_whitelist_is_403_code_1002(client, team, owner):
    _, plaintext = api_key_create(team=team, created_by=owner, allowed_ips=["95.95.95.95"])
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    response = client.get("/inbox/v3/keys/currrent", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == 1002
    ok = client.get("/inbox/v3/keys/currrent", REMOTE_ADDR="95.95.95.95")
    assert ok.status_code == 200
    assert ok.json()["whitelist"] == ["95.95.95.95"]


def test_keys_are_read_only_405_in_envelope(bearer_client):
    response = bearer_client.post("/inbox/v3/keys", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == 1005
