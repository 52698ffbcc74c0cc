"""GET /syncs and GET /syncs/{id} (spec tommy-3 "Resource: Sync"): the current team's background operations."""

import pytest

from automations.models import Sync
from tests.helpers import assert_tommy_error

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "team_id",
    "user_id",
    "integration_id",
    "status",
    "direction",
    "item_type",
    "progress_percentage",
    "total_items",
    "success_items",
    "failed_items",
    "options",
    "message",
    "started_at",
    "ended_at",
    "created_at",
    "updated_at",
    "user",
}


def _syncs(team, user, n: int) -> list[Sync]:
    return [Sync.objects.create(team=team, user=user, item_type=f"demo_data:retail#{i}") for i in range(n)]


def test_list_shows_the_current_teams_syncs_newest_first(tommy_client, team, owner, other_team, outsider):
    mine = _syncs(team, owner, 3)
    _syncs(other_team, outsider, 2)
    response = tommy_client.get("/api/v1/syncs")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["id"] for row in body] == [s.pk for s in reversed(mine)]
    assert response["X-Total-Count"] == "3"
    assert set(body[0]) == FIELDS


def test_list_pages_with_page_and_per(tommy_client, team, owner):
    syncs = list(reversed(_syncs(team, owner, 5)))
    response = tommy_client.get("/api/v1/syncs", {"page": 2, "per": 2})
    assert [row["id"] for row in response.json()] == [syncs[2].pk, syncs[3].pk]
    assert response["X-Total-Count"] == "5"
    assert 'rel="next"' in response["Link"]


def test_list_rejects_a_bad_page_size(tommy_client):
    assert_tommy_error(tommy_client.get("/api/v1/syncs", {"per": 0}), 422)


def test_list_query_count_is_constant(tommy_client, team, owner, teammate, django_assert_max_num_queries):
    _syncs(team, owner, 2)
    tommy_client.get("/api/v1/syncs")  # the credential's once-a-minute last-used writes happen here
    with django_assert_max_num_queries(6):
        assert len(tommy_client.get("/api/v1/syncs").json()) == 2
    _syncs(team, teammate, 20)
    with django_assert_max_num_queries(6):
        assert len(tommy_client.get("/api/v1/syncs").json()) == 22


def test_a_member_who_is_not_a_manager_can_read_the_teams_syncs(employee_client, team, owner):
    sync = _syncs(team, owner, 1)[0]
    assert [row["id"] for row in employee_client.get("/api/v1/syncs").json()] == [sync.pk]
    assert employee_client.get(f"/api/v1/syncs/{sync.pk}").status_code == 200


def test_detail_shape_after_a_demo_run(tommy_client, team, owner, apply_demo):
    sync = apply_demo(team, owner)
    response = tommy_client.get(f"/api/v1/syncs/{sync.pk}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert body["id"] == sync.pk
    assert body["team_id"] == team.pk
    assert body["user_id"] == owner.pk
    assert body["status"] == "complete"
    assert body["direction"] == "import"
    assert body["item_type"] == "demo_data:workforce"
    assert body["progress_percentage"] == 100
    assert body["success_items"] == body["total_items"] > 0
    assert body["failed_items"] == 0
    assert body["options"]["number_of_team_members"] == 4
    assert body["user"] == {"id": owner.pk, "name": "Olga Owner", "email": owner.email}
    for name in ("started_at", "ended_at", "created_at", "updated_at"):
        assert body[name].endswith("Z"), body[name]


def test_detail_of_another_teams_sync_is_404(tommy_client, other_team, outsider):
    sync = _syncs(other_team, outsider, 1)[0]
    assert_tommy_error(tommy_client.get(f"/api/v1/syncs/{sync.pk}"), 404)


def test_detail_of_an_unknown_or_malformed_id_is_404(tommy_client):
    assert_tommy_error(tommy_client.get("/api/v1/syncs/999999"), 404)
    assert_tommy_error(tommy_client.get("/api/v1/syncs/abc"), 404)


def test_sync_without_its_user_shows_null(tommy_client, team):
    sync = Sync.objects.create(team=team, user=None, item_type="demo_data:retail")
    assert tommy_client.get(f"/api/v1/syncs/{sync.pk}").json()["user"] is None


def test_unauthenticated_is_401(client, team, owner):
    sync = _syncs(team, owner, 1)[0]
    assert_tommy_error(client.get("/api/v1/syncs"), 401)
    assert_tommy_error(client.get(f"/api/v1/syncs/{sync.pk}"), 401)


def test_syncs_are_read_only_405(tommy_client, team, owner):
    sync = _syncs(team, owner, 1)[0]
    assert_tommy_error(tommy_client.post("/api/v1/syncs", {"item_type": "x"}, format="json"), 405)
    assert_tommy_error(tommy_client.delete(f"/api/v1/syncs/{sync.pk}"), 405)
    assert Sync.objects.filter(pk=sync.pk).exists()
