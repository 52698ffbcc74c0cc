"""The per-process credential cache (accounts/services/credential_cache.py): warm requests skip the credential
query, and every write that changes what a credential may do or what `/me` shows is seen by the very next request.

The cache is on in every test (tests/conftest.py); each test here first makes the entry warm (a secret's entry is
stamped on its second sighting), so a missing epoch bump would answer from the stale entry and fail.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import ApiKey, AuthToken, Membership, User
from accounts.services import credential_cache
from accounts.services.credentials import api_key_create, api_key_revoke, auth_token_issue, auth_token_revoke
from accounts.services.memberships import membership_change, membership_remove
from accounts.services.profiles import user_profile_update
from accounts.services.users import device_upsert
from tests.factories import MembershipFactory, TeamFactory

TOMMY_ME = "/api/v1/me"
TADA_ME = "/api/v3/me"


def warm(client, path):
    """Two 200s: the second stamps the entry; from the third on, answers come from the cache."""
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200, response.content


def credential_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"k"."key_hash"' in q["sql"]]


def test_a_warm_tommy_me_reads_no_credential_row(tommy_client):
    warm(tommy_client, TOMMY_ME)
    with CaptureQueriesContext(connection) as captured:
        assert tommy_client.get(TOMMY_ME).status_code == 200
    assert credential_queries(captured.captured_queries) == []
    assert len(captured.captured_queries) == 0  # the epoch lives in the local-memory cache here


def test_a_warm_tada_me_runs_no_query_and_gives_the_computed_answer(tada_client):
    first = tada_client.get(TADA_ME).json()["result"]
    tada_client.get(TADA_ME)
    with CaptureQueriesContext(connection) as captured:
        cached = tada_client.get(TADA_ME)
    assert captured.captured_queries == []
    assert cached.json()["result"] == first


def test_off_the_credential_is_read_on_every_request(settings, tommy_client):
    settings.CREDENTIAL_CACHE_SECONDS = 0
    warm(tommy_client, TOMMY_ME)
    with CaptureQueriesContext(connection) as captured:
        assert tommy_client.get(TOMMY_ME).status_code == 200
    assert len(credential_queries(captured.captured_queries)) == 1


def test_a_revoked_api_key_is_refused_at_the_next_request(tommy_client, team, owner):
    key = ApiKey.objects.get(team=team, created_by=owner)
    warm(tommy_client, TOMMY_ME)
    api_key_revoke(api_key=key)
    assert tommy_client.get(TOMMY_ME).status_code == 401


def test_a_revoked_token_and_the_tokens_it_issued_are_refused_at_the_next_request(owner):
    parent, parent_secret = auth_token_issue(user=owner)
    _, child_secret = auth_token_issue(user=owner, issued_by=parent)
    clients = []
    for secret in (parent_secret, child_secret):
        client = APIClient()
        client.credentials(HTTP_TOKEN=secret)
        warm(client, TADA_ME)
        clients.append(client)
    auth_token_revoke(token=parent)
    assert [client.get(TADA_ME).status_code for client in clients] == [401, 401]


def test_a_key_stops_acting_once_its_maker_no_longer_manages_the_team(tommy_client, team, owner):
    co_owner = MembershipFactory(team=team, status=Membership.Status.OWNER, is_manager=True)
    warm(tommy_client, TOMMY_ME)
    membership = Membership.objects.get(team=team, user=owner)
    membership_change(membership=membership, by=co_owner, status=Membership.Status.MEMBER, is_manager=False)
    assert tommy_client.get(TOMMY_ME).status_code == 401


def test_a_suspended_user_is_refused_at_the_next_request(tada_client, owner):
    warm(tada_client, TADA_ME)
    owner.status = User.Status.SUSPENDED
    owner.save(update_fields=["status"])
    assert tada_client.get(TADA_ME).status_code == 401


def test_a_removed_member_loses_the_team_at_the_next_request(tada_client, team, owner):
    second = TeamFactory(name="Second Crew")
    MembershipFactory(team=second, user=owner, status=Membership.Status.MEMBER)
    warm(tada_client, TADA_ME)
    assert {t["name"] for t in tada_client.get(TADA_ME).json()["result"]["teams"]} == {"Acme Crew", "Second Crew"}
    membership_remove(membership=Membership.objects.get(team=second, user=owner), by=None)
    assert [t["name"] for t in tada_client.get(TADA_ME).json()["result"]["teams"]] == ["Acme Crew"]
    # and the team's objects are out of reach for the token, not only out of the answer
    assert second.pk not in AuthToken.objects.get(user=owner).team_ids


def test_profile_devices_and_team_names_show_at_the_next_request(tada_client, team, owner):
    warm(tada_client, TADA_ME)
    user_profile_update(user=owner, first_name="Olena")
    device_upsert(user=owner, device_id="phone-1", replace=True)
    team.name = "Renamed Crew"
    team.save(update_fields=["name"])
    me = tada_client.get(TADA_ME).json()["result"]
    assert me["teams"][0]["name"] == "Renamed Crew"
    assert me["teams"][0]["me"]["display_name"].startswith("Olena")
    assert [d["device_id"] for d in me["devices"]] == ["phone-1"]


def test_answers_carry_the_host_they_were_asked_on(tada_client):
    warm(tada_client, TADA_ME)
    other_host = tada_client.get(TADA_ME, HTTP_HOST="localhost").json()["result"]
    stub = other_host["teams"][0]["icons"]["stub"]
    assert stub.startswith("http://localhost/"), stub


def test_entries_are_per_secret_and_bounded(monkeypatch, team, owner):
    monkeypatch.setattr(credential_cache, "MAX_ENTRIES", 2)
    for _ in range(3):
        client = APIClient()
        client.credentials(HTTP_API_KEY=api_key_create(team=team, created_by=owner)[1])
        warm(client, TOMMY_ME)
    assert len(credential_cache._entries) == 2


def test_tommy_me_shows_a_profile_change_at_the_next_request(tommy_client, owner):
    warm(tommy_client, TOMMY_ME)
    assert tommy_client.get(TOMMY_ME).json()["first_name"] == "Olga"
    user_profile_update(user=owner, first_name="Olena")
    assert tommy_client.get(TOMMY_ME).json()["first_name"] == "Olena"


def test_tommy_me_after_put_me_is_the_new_profile(tommy_client):
    warm(tommy_client, TOMMY_ME)
    assert tommy_client.put(TOMMY_ME, {"first_name": "Oksana"}, format="json").status_code == 200
    assert tommy_client.get(TOMMY_ME).json()["first_name"] == "Oksana"
