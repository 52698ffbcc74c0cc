"""GET /me: the current user with devices and teams; token header, Bearer and cookie all authenticate."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Membership
from accounts.services.credentials import auth_token_issue, auth_token_revoke
from tests.factories import DeviceFactory, MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

ME_KEYS = {"alt_send", "default_lang", "devices", "email", "phone", "teams", "unread_first"}


def test_me_with_token_header(tada_client, owner, team):
    DeviceFactory(user=owner, device_id="ios-1", type="ios", name="ойпад")
    response = tada_client.get("/api/v3/me")
    assert response.status_code == 200
    me = response.json()["result"]
    assert set(me) == ME_KEYS
    assert me["phone"] == owner.phone
    assert me["email"] == owner.email
    assert me["alt_send"] is False
    assert me["unread_first"] is False
    assert me["default_lang"] is None
    assert [d["device_id"] for d in me["devices"]] == ["ios-1"]
    [team_json] = me["teams"]
    assert team_json["uid"] == str(team.uid)
    assert team_json["name"] == "Acme Crew"
    assert team_json["icons"]["stub"].startswith("http://testserver/u/")
    assert team_json["icons"]["stub"].endswith("/AC/256.png")
    assert team_json["me"]["jid"] == f"d-{owner.uid}"
    assert team_json["me"]["status"] == "owner"
    assert team_json["me"]["display_name"] == "Olga Owner"
    assert team_json["me"]["contact_phone"] == owner.phone


def test_me_with_bearer_header(owner_token, owner):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Bearer {owner_token}")
    response = c.get("/api/v3/me/")
    assert response.status_code == 200
    assert response.json()["result"]["phone"] == owner.phone


def test_me_unauthenticated_is_401_in_envelope(client):
    response = client.get("/api/v3/me")
    assert response.status_code == 401
    body = response.json()
    assert body["ok"] is False
    assert isinstance(body["error"], str)
    assert "WWW-Authenticate" in response


def test_me_revoked_or_unknown_token_is_401(owner):
    token_row, token = auth_token_issue(user=owner)
    auth_token_revoke(token=token_row)
    assert APIClient().get("/api/v3/me", HTTP_TOKEN=token).status_code == 401
    assert APIClient().get("/api/v3/me", HTTP_TOKEN="nope").json()["ok"] is False


def test_me_shows_only_own_teams_and_devices(tada_client, owner, outsider, other_team):
    DeviceFactory(user=outsider, device_id="theirs")
    me = tada_client.get("/api/v3/me").json()["result"]
    assert str(other_team.uid) not in [t["uid"] for t in me["teams"]]
    assert me["devices"] == []


def test_me_skips_inactive_memberships_and_archived_teams(tada_client, owner):
    MembershipFactory(user=owner, team=TeamFactory(is_archived=True))
    MembershipFactory(user=owner, is_active=False)
    assert len(tada_client.get("/api/v3/me").json()["result"]["teams"]) == 1


def test_me_with_api_key_sees_only_the_keys_team(api_key, owner, team):
    MembershipFactory(user=owner, team=TeamFactory(name="Second"))
    response = APIClient().get("/api/v3/me", HTTP_TOKEN=api_key)
    assert response.status_code == 200
    assert [t["uid"] for t in response.json()["result"]["teams"]] == [str(team.uid)]


def test_me_member_without_names_shows_phone_and_digit_stub(team):
    from tests.factories import UserFactory

    user = UserFactory(first_name="", last_name="", phone="+79166660002")
    MembershipFactory(team=team, user=user, status=Membership.Status.MEMBER, role="chief of catapults")
    token = auth_token_issue(user=user)[1]
    contact = APIClient().get("/api/v3/me", HTTP_TOKEN=token).json()["result"]["teams"][0]["me"]
    assert contact["status"] == "member"
    assert contact["role"] == "chief of catapults"
    assert contact["display_name"].startswith("+7")
    assert contact["icons"]["stub"].endswith("/02/256.png")


@pytest.mark.parametrize("teams", [1, 6])
def test_me_query_count_is_constant(tada_client, owner, django_assert_max_num_queries, teams):
    for _ in range(teams - 1):
        MembershipFactory(user=owner)
    for i in range(teams):
        DeviceFactory(user=owner, device_id=f"dev-{i}")
    with django_assert_max_num_queries(6):
        response = tada_client.get("/api/v3/me")
    assert len(response.json()["result"]["teams"]) == teams
    assert len(response.json()["result"]["devices"]) == teams
