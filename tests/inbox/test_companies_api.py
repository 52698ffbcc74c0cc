"""GET /inbox/v3/companies, /companies/current and /companies/{id}: a company is a Crewdesk team."""

import uuid

import pytest

from accounts.models import Membership
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_list_with_an_api_key_is_its_one_team(bearer_client, team, other_team):
    response = bearer_client.get("/inbox/v3/companies")
    assert response.status_code == 200
    assert response.json() == [{"id": str(team.uid), "name": "Acme Crew"}]


def test_list_with_a_user_token_is_every_team_of_the_user(token_client, owner, team, other_team):
    second = TeamFactory(name="Second Crew")
    MembershipFactory(team=second, user=owner)
    archived = TeamFactory(name="Old Crew", is_archived=True)
    MembershipFactory(team=archived, user=owner)
    body = token_client.get("/inbox/v3/companies/").json()
    assert [c["name"] for c in body] == ["Acme Crew", "Second Crew"]


def test_list_query_count_is_constant(token_client, owner, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert len(token_client.get("/inbox/v3/companies").json()) == 1
    for _ in range(8):
        MembershipFactory(team=TeamFactory(), user=owner, status=Membership.Status.MEMBER)
    with django_assert_max_num_queries(5):
        assert len(token_client.get("/inbox/v3/companies").json()) == 9


def test_list_unauthenticated_is_401(client):
    response = client.get("/inbox/v3/companies")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 1001


def test_current_with_an_api_key_is_the_keys_team(bearer_client, team):
    response = bearer_client.get("/inbox/v3/companies/current")
    assert response.status_code == 200
    assert response.json() == {"id": str(team.uid), "name": "Acme Crew"}


def test_current_with_a_user_token_is_the_oldest_membership(token_client, owner, team):
    MembershipFactory(team=TeamFactory(name="Later Crew"), user=owner)
    assert token_client.get("/inbox/v3/companies/current").json()["id"] == str(team.uid)


def test_current_for_a_user_without_teams_is_404(client, owner, team):
    from accounts.services.credentials import auth_token_issue

    Membership.objects.filter(user=owner).update(is_active=False)
    _, token = auth_token_issue(user=owner)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/inbox/v3/companies/current")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009


def test_current_unauthenticated_is_401(client):
    assert client.get("/inbox/v3/companies/current").status_code == 401


def test_detail_of_own_company(bearer_client, team):
    response = bearer_client.get(f"/inbox/v3/companies/{team.uid}")
    assert response.status_code == 200
    assert response.json() == {"id": str(team.uid), "name": "Acme Crew"}


def test_detail_of_another_team_is_404_code_1009(bearer_client, other_team):
    response = bearer_client.get(f"/inbox/v3/companies/{other_team.uid}")
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == 1009
    assert "Rival" not in response.content.decode()


def test_detail_of_unknown_uuid_is_404(bearer_client):
    response = bearer_client.get(f"/inbox/v3/companies/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009


def test_detail_with_a_malformed_id_is_400_code_1005(bearer_client):
    response = bearer_client.get("/inbox/v3/companies/not-a-uuid")
    assert response.status_code == 400
    body = response.json()
    assert body == {"error": {"code": 1005, "message": "Id is invalid"}, "traceId": response["X-Request-ID"]}


def test_detail_unauthenticated_is_401(client, team):
    response = client.get(f"/inbox/v3/companies/{team.uid}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 1001
