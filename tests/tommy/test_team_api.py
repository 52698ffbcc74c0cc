"""Tommy teams: GET/PUT /team, PATCH /team/features, POST /teams, GET /teams/{slug} (spec tommy-2 "Team")."""

import pytest

from accounts.models import Membership, ServerEvent, Team
from tests.factories import MembershipFactory, TeamFactory
from tests.tommy.conftest import png_upload
from tests.tommy.team_helpers import token_client
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db

TEAM_FIELDS = {"id", "user_id", "name", "icon_url", "email", "phone", "status", "slug", "features"}


# GET /team


def test_get_team_is_the_current_team(owner_client, owner, team):
    body = owner_client.get("/api/v1/team").json()
    assert set(body) == TEAM_FIELDS
    assert (body["id"], body["user_id"], body["name"], body["slug"]) == (team.pk, owner.pk, "Acme Crew", team.slug)
    assert body["features"] == dict.fromkeys(Team.FEATURES, False)
    assert body["icon_url"] is None


def test_api_key_acts_in_its_team(tommy_client, owner, team, other_team):
    MembershipFactory(team=other_team, user=owner, status=Membership.Status.OWNER)
    owner.current_account_type, owner.current_account_id = "Team", other_team.pk
    owner.save()
    assert tommy_client.get("/api/v1/team").json()["id"] == team.pk


def test_user_in_no_team_gets_404(db):
    from tests.factories import UserFactory

    body = assert_envelope(token_client(UserFactory()).get("/api/v1/team"), 404, "NOT_FOUND")
    assert "POST /teams" in body["message"]


def test_get_team_needs_credentials(client):
    assert_envelope(client.get("/api/v1/team"), 401, "UNAUTHORIZED")


# PUT /team


def test_owner_updates_team(owner_client, team):
    body = {"name": "Acme Ops", "email": "ops@acme.test", "phone": "+1 202 555 0100", "id": 1, "user_id": 2}
    response = owner_client.put("/api/v1/team", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["name"], data["email"], data["phone"], data["id"]) == (
        "Acme Ops",
        "ops@acme.test",
        "+12025550100",
        team.pk,
    )
    team.refresh_from_db()
    assert team.name == "Acme Ops"
    assert ServerEvent.objects.filter(name="server.team.updated", team=team).exists()


def test_put_team_photo_sets_icon(owner_client, team):
    response = owner_client.put("/api/v1/team", {"photo": png_upload()}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["icon_url"].startswith("http://testserver/")
    team.refresh_from_db()
    assert team.icon_lg
    assert team.icon_sm


def test_put_team_features_are_merged(owner_client, team):
    team.features = {"compliance": True}
    team.save()
    owner_client.put("/api/v1/team", {"features": {"timesheets": True, "bogus": True}}, format="json")
    team.refresh_from_db()
    assert team.features["compliance"] is True
    assert team.features["timesheets"] is True
    assert "bogus" not in team.features


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"email": "nope"}, "email"), ({"phone": "abc"}, "phone"), ({"slug": "me"}, "slug")],
)
def test_put_team_validation_is_422(owner_client, team, body, field):
    data = assert_envelope(owner_client.put("/api/v1/team", body, format="json"), 422, "VALIDATION_ERROR")
    assert field in data["details"]
    team.refresh_from_db()
    assert team.name == "Acme Crew"


def test_put_team_slug_taken_is_422(owner_client, other_team):
    data = assert_envelope(
        owner_client.put("/api/v1/team", {"slug": other_team.slug}, format="json"), 422, "VALIDATION_ERROR"
    )
    assert "slug" in data["details"]


def test_member_cannot_update_team(member_client, team):
    assert_envelope(member_client.put("/api/v1/team", {"name": "Mine"}, format="json"), 403, "FORBIDDEN")
    team.refresh_from_db()
    assert team.name == "Acme Crew"


def test_put_team_needs_credentials(client):
    assert_envelope(client.put("/api/v1/team", {"name": "x"}, format="json"), 401, "UNAUTHORIZED")


# PATCH /team/features


def test_patch_features_merges_known_flags_and_ignores_unknown(owner_client, team):
    team.features = {"compliance": True, "orders": True}
    team.save()
    response = owner_client.patch(
        "/api/v1/team/features", {"features": {"orders": False, "mileage": True, "teleport": True}}, format="json"
    )
    assert response.status_code == 200, response.content
    features = response.json()["features"]
    assert set(response.json()) == {"features"}
    assert set(features) == set(Team.FEATURES)
    assert (features["compliance"], features["orders"], features["mileage"]) == (True, False, True)
    team.refresh_from_db()
    assert "teleport" not in team.features
    assert team.features["mileage"] is True


@pytest.mark.parametrize("body", [{}, {"features": "on"}, {"features": {"orders": "yes"}}])
def test_patch_features_validation_is_422(owner_client, team, body):
    assert_envelope(owner_client.patch("/api/v1/team/features", body, format="json"), 422, "VALIDATION_ERROR")
    team.refresh_from_db()
    assert not any((team.features or {}).values())


def test_member_cannot_patch_features(member_client, team):
    response = member_client.patch("/api/v1/team/features", {"features": {"orders": True}}, format="json")
    assert_envelope(response, 403, "FORBIDDEN")
    team.refresh_from_db()
    assert not team.features.get("orders")


def test_patch_features_needs_credentials(client):
    assert_envelope(client.patch("/api/v1/team/features", {"features": {}}, format="json"), 401, "UNAUTHORIZED")


# POST /teams


def test_create_team_makes_caller_owner_and_manager(owner_client, owner):
    body = {"name": "Night Shift", "email": "night@acme.test", "features": {"timeclock": True}}
    response = owner_client.post("/api/v1/teams", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    team = Team.objects.get(pk=data["id"])
    assert data["user_id"] == owner.pk
    assert data["features"]["timeclock"] is True
    assert data["features"]["orders"] is False
    membership = Membership.objects.get(team=team, user=owner)
    assert membership.status == Membership.Status.OWNER
    assert membership.is_manager
    assert team.created_by == owner
    assert owner_client.get(f"/api/v1/teams/{team.slug}").status_code == 200


def test_create_team_with_slug_and_photo(owner_client):
    response = owner_client.post(
        "/api/v1/teams", {"name": "Pics", "slug": "pics-crew", "photo": png_upload()}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "pics-crew"
    assert response.json()["icon_url"]


@pytest.mark.parametrize(
    ("body", "field"), [({}, "name"), ({"name": "  "}, "name"), ({"name": "X", "slug": "bad slug"}, "slug")]
)
def test_create_team_validation_is_422(owner_client, body, field):
    before = Team.objects.count()
    data = assert_envelope(owner_client.post("/api/v1/teams", body, format="json"), 422, "VALIDATION_ERROR")
    assert field in data["details"]
    assert Team.objects.count() == before


def test_create_team_needs_credentials(client):
    assert_envelope(client.post("/api/v1/teams", {"name": "X"}, format="json"), 401, "UNAUTHORIZED")
    assert not Team.objects.exists()


# GET /teams/{slug}


def test_get_team_by_slug(owner_client, team):
    response = owner_client.get(f"/api/v1/teams/{team.slug}")
    assert response.status_code == 200
    assert response.json()["id"] == team.pk


def test_another_teams_slug_is_404(owner_client, other_team):
    assert_envelope(owner_client.get(f"/api/v1/teams/{other_team.slug}"), 404, "NOT_FOUND")
    assert_envelope(owner_client.get("/api/v1/teams/no-such-team"), 404, "NOT_FOUND")


def test_api_key_sees_only_its_team_by_slug(tommy_client, owner, other_team):
    second = TeamFactory()
    MembershipFactory(team=second, user=owner)
    assert_envelope(tommy_client.get(f"/api/v1/teams/{second.slug}"), 404, "NOT_FOUND")


def test_get_team_by_slug_needs_credentials(client, team):
    assert_envelope(client.get(f"/api/v1/teams/{team.slug}"), 401, "UNAUTHORIZED")
