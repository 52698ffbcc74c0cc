"""Tommy accounts: GET /accounts/search, GET /me/accounts, GET and PUT /me/current_account (spec tommy-1 "Account")."""

import pytest

from accounts.models import Membership
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.tommy.team_helpers import token_client
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db

ACCOUNT_FIELDS = {
    "id", "type", "user_id", "team_id", "name", "contact_name", "kind", "icon_url", "mobile", "notification_count",
}  # fmt: skip


def keys(rows):
    return [(row["type"], row["id"]) for row in rows]


# GET /me/accounts


def test_me_accounts_lists_user_team_and_memberships(owner_client, owner, team, teammate):
    membership = Membership.objects.get(team=team, user=owner)
    rows = owner_client.get("/api/v1/me/accounts").json()
    assert keys(rows) == [("User", owner.pk), ("Team", team.pk), ("TeamMember", membership.pk)]
    assert all(set(row) == ACCOUNT_FIELDS for row in rows)
    team_row = rows[1]
    assert team_row["user_id"] == owner.pk  # the owner
    assert team_row["team_id"] == team.pk
    assert team_row["name"] == "Acme Crew"
    assert team_row["contact_name"] == "Olga Owner"
    assert rows[0]["team_id"] is None
    assert rows[2]["kind"] == "owner"
    assert rows[2]["mobile"] == owner.phone


def test_plain_member_has_no_team_account(member_client, teammate, team):
    rows = member_client.get("/api/v1/me/accounts").json()
    assert [r["type"] for r in rows] == ["User", "TeamMember"]


def test_me_accounts_never_shows_other_tenants(owner_client, outsider, other_team):
    rows = owner_client.get("/api/v1/me/accounts").json()
    assert other_team.pk not in {r["team_id"] for r in rows}


def test_me_accounts_puts_current_account_first(owner_client, owner, team):
    membership = Membership.objects.get(team=team, user=owner)
    owner_client.put(f"/api/v1/me/current_account?current_account_type=TeamMember&current_account_id={membership.pk}")
    rows = owner_client.get("/api/v1/me/accounts").json()
    assert keys(rows)[0] == ("TeamMember", membership.pk)
    assert len(rows) == 3


def test_me_accounts_needs_credentials(client):
    assert_envelope(client.get("/api/v1/me/accounts"), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("size", [1, 8])
def test_me_accounts_query_count_is_constant(owner, size, django_assert_max_num_queries):
    for _ in range(size):
        MembershipFactory(user=owner, team=TeamFactory(), status=Membership.Status.ADMIN)
    c = token_client(owner)
    # token lookup, 2 presence UPDATEs, team_ids, memberships, managed teams, current account
    with django_assert_max_num_queries(8):
        response = c.get("/api/v1/me/accounts")
    assert len(response.json()) == 1 + 2 * (size + 1)


# GET/PUT /me/current_account


def test_current_account_defaults_to_the_user(owner_client, owner):
    body = owner_client.get("/api/v1/me/current_account").json()
    assert (body["type"], body["id"]) == ("User", owner.pk)


def test_switch_to_team_account_persists_and_scopes_team(owner_client, owner, team):
    second = TeamFactory(name="Second")
    MembershipFactory(team=second, user=owner, status=Membership.Status.OWNER)
    assert owner_client.get("/api/v1/team").json()["id"] == team.pk  # first team by default
    response = owner_client.put(f"/api/v1/me/current_account?current_account_type=Team&current_account_id={second.pk}")
    assert response.status_code == 200, response.content
    assert (response.json()["type"], response.json()["id"]) == ("Team", second.pk)
    owner.refresh_from_db()
    assert (owner.current_account_type, owner.current_account_id) == ("Team", second.pk)
    assert owner_client.get("/api/v1/me/current_account").json()["id"] == second.pk
    assert owner_client.get("/api/v1/team").json()["id"] == second.pk  # the current account decides


def test_switch_accepts_a_json_body(owner_client, owner):
    response = owner_client.put(
        "/api/v1/me/current_account", {"current_account_type": "User", "current_account_id": owner.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["type"] == "User"


def test_switch_to_someone_elses_account_is_403(owner_client, owner, other_team, outsider, teammate, team):
    foreign = Membership.objects.get(team=other_team, user=outsider)
    mate = Membership.objects.get(team=team, user=teammate)
    for query in (
        f"current_account_type=Team&current_account_id={other_team.pk}",
        f"current_account_type=TeamMember&current_account_id={foreign.pk}",
        f"current_account_type=TeamMember&current_account_id={mate.pk}",
        f"current_account_type=User&current_account_id={outsider.pk}",
    ):
        assert_envelope(owner_client.put(f"/api/v1/me/current_account?{query}"), 403, "FORBIDDEN")
    owner.refresh_from_db()
    assert owner.current_account_type == ""


def test_member_cannot_act_as_the_team(member_client, team):
    response = member_client.put(f"/api/v1/me/current_account?current_account_type=Team&current_account_id={team.pk}")
    assert_envelope(response, 403, "FORBIDDEN")


@pytest.mark.parametrize(
    "query", ["", "current_account_type=Company&current_account_id=1", "current_account_type=User&current_account_id=x"]
)
def test_switch_validation_is_422(owner_client, query):
    body = assert_envelope(owner_client.put(f"/api/v1/me/current_account?{query}"), 422, "VALIDATION_ERROR")
    assert body["details"]


def test_current_account_needs_credentials(client):
    assert_envelope(client.get("/api/v1/me/current_account"), 401, "UNAUTHORIZED")
    assert_envelope(client.put("/api/v1/me/current_account"), 401, "UNAUTHORIZED")


def test_lost_membership_falls_back_to_user_account(owner_client, owner, team):
    membership = Membership.objects.get(team=team, user=owner)
    owner_client.put(f"/api/v1/me/current_account?current_account_type=TeamMember&current_account_id={membership.pk}")
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    body = owner_client.get("/api/v1/me/current_account").json()
    assert (body["type"], body["id"]) == ("User", owner.pk)


# GET /accounts/search


def test_search_finds_team_by_slug_and_user_by_mobile(owner_client, owner, team, teammate):
    team.phone = "+15550001111"
    team.save()
    rows = owner_client.get("/api/v1/accounts/search", {"term": team.slug}).json()
    assert keys(rows) == [("Team", team.pk)]
    rows = owner_client.get("/api/v1/accounts/search", {"term": teammate.phone}).json()
    assert keys(rows) == [("User", teammate.pk)]
    rows = owner_client.get("/api/v1/accounts/search", {"term": "+1 555 000 1111"}).json()
    assert keys(rows) == [("Team", team.pk)]


def test_search_never_finds_other_tenants(owner_client, outsider, other_team):
    assert owner_client.get("/api/v1/accounts/search", {"term": outsider.phone}).json() == []
    assert owner_client.get("/api/v1/accounts/search", {"term": other_team.slug}).json() == []
    assert owner_client.get("/api/v1/accounts/search", {"term": outsider.slug}).json() == []


def test_search_needs_a_term(owner_client):
    body = assert_envelope(owner_client.get("/api/v1/accounts/search"), 422, "VALIDATION_ERROR")
    assert "term" in body["details"]


def test_search_needs_credentials(client):
    assert_envelope(client.get("/api/v1/accounts/search", {"term": "x"}), 401, "UNAUTHORIZED")


@pytest.mark.parametrize("size", [2, 15])
def test_search_query_count_is_constant(owner, team, size, django_assert_max_num_queries):
    for i in range(size):
        MembershipFactory(team=team, user=UserFactory(slug=f"crew-{i}"))
        MembershipFactory(user=owner, team=TeamFactory(slug=f"crew-team-{i}"))
    c = token_client(owner)
    with django_assert_max_num_queries(11):  # +accounts.visibility: the viewer's teams, their settings, relations
        response = c.get("/api/v1/accounts/search", {"term": "crew"})
    assert len(response.json()) == 2 * size
