"""GET /inbox/v3/companies/{companyId}/agents and /agents/{email}: a company's members who are agents."""

import datetime
import uuid

import pytest
from django.utils import timezone

from accounts.models import Membership, User
from accounts.presence import AWAY_WITHIN, ONLINE_WITHIN, presence_of
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _agents(client, company) -> list[dict]:
    response = client.get(f"/inbox/v3/companies/{company}/agents")
    assert response.status_code == 200, response.content
    return response.json()


def test_list_shows_every_active_member_with_an_email(bearer_client, team, owner, teammate, other_team, outsider):
    body = _agents(bearer_client, team.uid)
    assert isinstance(body, list)
    assert sorted(a["email"] for a in body) == sorted([owner.email, teammate.email])
    olga = next(a for a in body if a["email"] == owner.email)
    assert olga == {
        "email": owner.email,
        "name": {"firstName": "Olga", "fullName": "Olga Owner", "lastName": "Owner"},
        "roles": ["admin"],
        "status": "ONLINE",  # the API key acts as its maker, the owner: this request marked her as seen
        "teams": [],
    }
    tim = next(a for a in body if a["email"] == teammate.email)
    assert tim["roles"] == ["user"]
    assert tim["status"] == "OFFLINE"  # never seen


def test_list_leaves_out_who_is_not_an_agent(bearer_client, team, owner):
    MembershipFactory(team=team, user=UserFactory(email=None, first_name="No", last_name="Mail"))
    MembershipFactory(team=team, user=UserFactory(email="gone@example.com"), is_active=False)
    MembershipFactory(team=team, user=UserFactory(email="banned@example.com", status=User.Status.SUSPENDED))
    MembershipFactory(team=team, user=UserFactory(email="off@example.com", is_active=False))
    MembershipFactory(team=team, user=UserFactory(email="admin@example.com"), status=Membership.Status.ADMIN)
    MembershipFactory(team=team, user=UserFactory(email="guest@example.com"), status=Membership.Status.GUEST)
    body = _agents(bearer_client, team.uid)
    assert {a["email"]: a["roles"] for a in body} == {
        owner.email: ["admin"],
        "admin@example.com": ["admin"],
        "guest@example.com": ["user"],
    }


@pytest.mark.parametrize(
    ("seen_ago", "status"),
    [
        (None, "OFFLINE"),
        (datetime.timedelta(seconds=10), "ONLINE"),
        (ONLINE_WITHIN - datetime.timedelta(seconds=5), "ONLINE"),
        (ONLINE_WITHIN + datetime.timedelta(seconds=5), "AWAY"),
        (AWAY_WITHIN - datetime.timedelta(seconds=5), "AWAY"),
        (AWAY_WITHIN + datetime.timedelta(seconds=5), "OFFLINE"),
        (datetime.timedelta(days=3), "OFFLINE"),
    ],
)
def test_status_follows_last_seen(bearer_client, team, teammate, seen_ago, status):
    User.objects.filter(pk=teammate.pk).update(last_seen_at=timezone.now() - seen_ago if seen_ago else None)
    response = bearer_client.get(f"/inbox/v3/companies/{team.uid}/agents/{teammate.email}")
    assert response.json()["status"] == status


def test_presence_thresholds_are_inclusive():
    now = timezone.now()
    assert presence_of(None, now=now) == "OFFLINE"
    assert presence_of(now - ONLINE_WITHIN, now=now) == "ONLINE"
    assert presence_of(now - ONLINE_WITHIN - datetime.timedelta(microseconds=1), now=now) == "AWAY"
    assert presence_of(now - AWAY_WITHIN, now=now) == "AWAY"
    assert presence_of(now - AWAY_WITHIN - datetime.timedelta(microseconds=1), now=now) == "OFFLINE"


def test_a_token_request_marks_its_user_online(client, team, teammate):
    from accounts.services.credentials import auth_token_issue

    _, token = auth_token_issue(user=teammate)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(f"/inbox/v3/companies/{team.uid}/agents/{teammate.email}").json()["status"] == "ONLINE"
    teammate.refresh_from_db()
    assert teammate.last_seen_at is not None


def test_current_as_company_id_is_the_callers_company(bearer_client, team, owner, other_team, outsider):
    assert [a["email"] for a in _agents(bearer_client, "current")] == [owner.email]
    response = bearer_client.get(f"/inbox/v3/companies/current/agents/{owner.email}/")
    assert response.status_code == 200
    assert response.json()["email"] == owner.email


def test_current_with_a_user_token_is_the_oldest_membership(token_client, owner, team):
    later = TeamFactory(name="Later Crew")
    MembershipFactory(team=later, user=owner)
    other = MembershipFactory(team=later).user
    emails = [a["email"] for a in _agents(token_client, "current")]
    assert emails == [owner.email]
    assert other.email in [a["email"] for a in _agents(token_client, later.uid)]


def test_list_query_count_is_constant(bearer_client, team, owner, django_assert_max_num_queries):
    # 1 key lookup + 2 presence writes (first use this minute) + company + agents
    # +accounts.visibility: the viewer's teams, their settings, relations; +the agents' inbox teams (one prefetch)
    with django_assert_max_num_queries(8):
        assert len(_agents(bearer_client, team.uid)) == 1
    for _ in range(12):
        MembershipFactory(team=team, status=Membership.Status.ADMIN)
    # +accounts.visibility: the viewer's teams, their settings, relations; +the agents' inbox teams (one prefetch)
    with django_assert_max_num_queries(8):
        assert len(_agents(bearer_client, team.uid)) == 13


def test_list_unauthenticated_is_401_code_1001(client, team):
    response = client.get(f"/inbox/v3/companies/{team.uid}/agents")
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == 1001
    assert body["traceId"] == response["X-Request-ID"]


def test_list_of_another_company_is_404_code_1009(bearer_client, other_team, outsider):
    response = bearer_client.get(f"/inbox/v3/companies/{other_team.uid}/agents")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009
    assert outsider.email not in response.content.decode()


def test_list_of_an_unknown_company_is_404(bearer_client):
    response = bearer_client.get(f"/inbox/v3/companies/{uuid.uuid4()}/agents")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009


def test_list_with_a_malformed_company_id_is_400_code_1005(bearer_client):
    response = bearer_client.get("/inbox/v3/companies/not-a-uuid/agents")
    assert response.status_code == 400
    assert response.json() == {"error": {"code": 1005, "message": "Id is invalid"}, "traceId": response["X-Request-ID"]}


def test_list_is_read_only_405_in_envelope(bearer_client, team):
    response = bearer_client.post(f"/inbox/v3/companies/{team.uid}/agents", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == 1005


def test_detail_by_email(bearer_client, team, teammate):
    response = bearer_client.get(f"/inbox/v3/companies/{team.uid}/agents/{teammate.email}")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == teammate.email
    assert body["name"]["fullName"] == "Tim Mate"
    assert body["roles"] == ["user"]


def test_detail_email_is_case_insensitive_and_may_be_percent_encoded(bearer_client, team, teammate):
    encoded = teammate.email.upper().replace("@", "%40")
    response = bearer_client.get(f"/inbox/v3/companies/{team.uid}/agents/{encoded}")
    assert response.status_code == 200
    assert response.json()["email"] == teammate.email


def test_detail_of_unknown_email_is_404_code_1009(bearer_client, team):
    response = bearer_client.get(f"/inbox/v3/companies/{team.uid}/agents/nobody@example.com")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009


def test_detail_of_a_member_of_another_team_is_404(bearer_client, team, outsider):
    response = bearer_client.get(f"/inbox/v3/companies/{team.uid}/agents/{outsider.email}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009


def test_detail_in_another_company_is_404(bearer_client, other_team, outsider):
    response = bearer_client.get(f"/inbox/v3/companies/{other_team.uid}/agents/{outsider.email}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 1009
    assert "Otto" not in response.content.decode()


def test_detail_of_a_former_member_is_404(bearer_client, team, teammate):
    Membership.objects.filter(user=teammate).update(is_active=False)
    response = bearer_client.get(f"/inbox/v3/companies/{team.uid}/agents/{teammate.email}")
    assert response.status_code == 404


def test_detail_unauthenticated_is_401(client, team, teammate):
    response = client.get(f"/inbox/v3/companies/{team.uid}/agents/{teammate.email}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 1001


def test_detail_with_a_malformed_company_id_is_400(bearer_client, teammate):
    response = bearer_client.get(f"/inbox/v3/companies/nope/agents/{teammate.email}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 1005
