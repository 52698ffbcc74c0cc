"""Tommy settings: /me/settings and /team/settings CRUD (spec tommy-1 "User Setting", tommy-2 "Team")."""

import pytest

from accounts.models import Setting
from tests.tommy.test_users_api import assert_envelope

pytestmark = pytest.mark.django_db

BASES = ["/api/v1/me/settings", "/api/v1/team/settings"]


@pytest.mark.parametrize("base", BASES)
def test_put_upserts_and_get_reads_back(owner_client, owner, team, base):
    body = {"data": {"theme": "dark"}, "context": "", "_format": "json"}
    response = owner_client.put(f"{base}/appearance", body, format="json")
    assert response.status_code == 200, response.content
    setting = response.json()
    assert setting["name"] == "appearance"
    assert setting["data"] == {"theme": "dark"}
    assert setting["format"] == "json"
    assert (setting["user_id"], setting["team_id"]) == ((owner.pk, None) if "me" in base else (None, team.pk))
    owner_client.put(f"{base}/appearance", {"data": {"theme": "light"}}, format="json")
    owner_client.put(f"{base}/beta", {"data": True}, format="json")
    assert Setting.objects.filter(name="appearance").count() == 1  # an upsert, not a second row
    assert owner_client.get(base).json() == {"appearance": {"theme": "light"}, "beta": True}
    assert owner_client.get(f"{base}/beta").json()["data"] is True


@pytest.mark.parametrize("base", BASES)
def test_contexts_are_separate(owner_client, base):
    owner_client.put(f"{base}/layout", {"data": 1, "context": "web"}, format="json")
    owner_client.put(f"{base}/layout", {"data": 2}, format="json")
    assert owner_client.get(base).json() == {"layout": 2}
    assert owner_client.get(base, {"context": "web"}).json() == {"layout": 1}
    assert owner_client.get(f"{base}/layout", {"context": "web"}).json()["data"] == 1


@pytest.mark.parametrize("base", BASES)
def test_delete_removes_and_answers_204(owner_client, base):
    owner_client.put(f"{base}/gone", {"data": "x"}, format="json")
    response = owner_client.delete(f"{base}/gone")
    assert response.status_code == 204
    assert not Setting.objects.filter(name="gone").exists()
    assert_envelope(owner_client.get(f"{base}/gone"), 404, "NOT_FOUND")
    assert_envelope(owner_client.delete(f"{base}/gone"), 404, "NOT_FOUND")


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("body", [{}, {"data": None}, {"data": 1, "context": "x" * 101}, {"data": "x" * 70000}])
def test_put_validation_is_422(owner_client, base, body):
    body = assert_envelope(owner_client.put(f"{base}/x", body, format="json"), 422, "VALIDATION_ERROR")
    assert set(body["details"]) & {"data", "context"}
    assert not Setting.objects.exists()


@pytest.mark.parametrize("base", BASES)
def test_a_name_longer_than_the_column_is_422(owner_client, base):
    """PostgreSQL refused it with a 500 (SQLite does not enforce lengths): the service checks it."""
    body = assert_envelope(owner_client.put(f"{base}/{'n' * 101}", {"data": 1}, format="json"), 422, "VALIDATION_ERROR")
    assert "name" in body["details"]
    assert owner_client.put(f"{base}/{'n' * 100}", {"data": 1}, format="json").status_code == 200


@pytest.mark.parametrize("base", BASES)
def test_settings_need_credentials(client, base):
    assert_envelope(client.get(base), 401, "UNAUTHORIZED")
    assert_envelope(client.put(f"{base}/x", {"data": 1}, format="json"), 401, "UNAUTHORIZED")


def test_user_settings_are_personal(owner_client, outsider_client, teammate, member_client):
    owner_client.put("/api/v1/me/settings/secret", {"data": "mine"}, format="json")
    assert outsider_client.get("/api/v1/me/settings").json() == {}
    assert member_client.get("/api/v1/me/settings").json() == {}
    assert_envelope(outsider_client.get("/api/v1/me/settings/secret"), 404, "NOT_FOUND")
    assert_envelope(outsider_client.delete("/api/v1/me/settings/secret"), 404, "NOT_FOUND")
    assert Setting.objects.filter(name="secret").exists()


def test_another_teams_settings_are_404(owner_client, outsider_client):
    owner_client.put("/api/v1/team/settings/payroll", {"data": {"day": 5}}, format="json")
    assert outsider_client.get("/api/v1/team/settings").json() == {}
    assert_envelope(outsider_client.get("/api/v1/team/settings/payroll"), 404, "NOT_FOUND")
    assert_envelope(outsider_client.delete("/api/v1/team/settings/payroll"), 404, "NOT_FOUND")
    assert Setting.objects.filter(name="payroll").exists()


def test_members_read_but_do_not_write_team_settings(owner_client, member_client):
    owner_client.put("/api/v1/team/settings/payroll", {"data": {"day": 5}}, format="json")
    assert member_client.get("/api/v1/team/settings").json() == {"payroll": {"day": 5}}
    response = member_client.put("/api/v1/team/settings/payroll", {"data": {"day": 1}}, format="json")
    assert_envelope(response, 403, "FORBIDDEN")
    assert_envelope(member_client.delete("/api/v1/team/settings/payroll"), 403, "FORBIDDEN")
    assert Setting.objects.get(name="payroll").data == {"day": 5}


def test_member_writes_own_user_settings(member_client, teammate):
    assert member_client.put("/api/v1/me/settings/x", {"data": [1, 2]}, format="json").status_code == 200
    assert Setting.objects.get(user=teammate, name="x").data == [1, 2]
