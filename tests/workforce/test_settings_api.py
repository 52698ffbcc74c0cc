"""GET/PUT /api/v1/workforce: the team's workforce settings (created on first read; PUT partial, managers only)."""

import pytest

from tests.helpers import assert_tommy_error, user_client
from workforce.models import WorkforceSettings

pytestmark = pytest.mark.django_db
URL = "/api/v1/workforce"


def test_first_get_creates_the_settings_with_defaults(tommy_client, team):
    assert not WorkforceSettings.objects.filter(team=team).exists()
    response = tommy_client.get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    row = WorkforceSettings.objects.get(team=team)
    assert body["id"] == row.pk
    assert body["name"] == team.name
    assert body["week_start"] == "monday"
    assert body["timesheets_rounding_method"] == "none"
    assert body["shift_notifications_enabled"] is True
    assert body["data"] == {}
    assert tommy_client.get(URL + "/").json()["id"] == row.pk  # trailing slash; no second row
    assert WorkforceSettings.objects.filter(team=team).count() == 1


def test_employee_reads_the_settings(team, teammate, tommy_client):
    first = tommy_client.get(URL).json()
    assert user_client(teammate).get(URL).json()["id"] == first["id"]


def test_manager_put_is_partial_and_saved(tommy_client, team):
    tommy_client.put(URL, {"name": "Kitchen"}, format="json")
    response = tommy_client.put(
        URL, {"week_start": "turesday", "shift_forgot_clockin_minutes": 20, "data": {"k": 1}}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["week_start"] == "turesday"
    assert body["name"] == "Kitchen"  # untouched by the second PUT
    row = WorkforceSettings.objects.get(team=team)
    assert (row.week_start, row.shift_forgot_clockin_minutes, row.data, row.name) == (
        "turesday",
        20,
        {"k": 1},
        "Kitchen",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("week_start", "tuesday"),  # only the documented spelling exists
        ("week_start", "sunday"),
        ("timesheets_rounding_method", "half"),
        ("timesheets_rounding_minutes", -1),
        ("shift_upcoming_notification_minutes", -5),
        ("data", [1, 2]),
    ],
)
def test_invalid_values_are_422_and_change_nothing(tommy_client, team, field, value):
    before = tommy_client.get(URL).json()
    body = assert_tommy_error(tommy_client.put(URL, {field: value, "name": "Changed"}, format="json"), 422)
    assert body["code"] == "VALIDATION_ERROR"
    assert field in body["details"]
    assert tommy_client.get(URL).json() == before


def test_employee_put_is_403(team, teammate, tommy_client):
    tommy_client.get(URL)
    body = assert_tommy_error(user_client(teammate).put(URL, {"name": "Mine"}, format="json"), 403)
    assert body["code"] == "FORBIDDEN"
    assert WorkforceSettings.objects.get(team=team).name == team.name


def test_workforce_manager_flag_may_put(team, teammate):
    teammate.memberships.filter(team=team).update(is_manager=True)
    response = user_client(teammate).put(URL, {"timeclock_require_gps": True}, format="json")
    assert response.status_code == 200, response.content
    assert WorkforceSettings.objects.get(team=team).timeclock_require_gps is True


def test_unauthenticated_is_401(client):
    assert_tommy_error(client.get(URL), 401)
    assert_tommy_error(client.put(URL, {"name": "x"}, format="json"), 401)


def test_each_team_sees_only_its_own_settings(tommy_client, team, other_team, outsider):
    ours = tommy_client.put(URL, {"name": "Ours"}, format="json").json()
    theirs = user_client(outsider).get(URL).json()
    assert theirs["id"] != ours["id"]
    assert theirs["name"] == other_team.name
    user_client(outsider).put(URL, {"name": "Theirs"}, format="json")
    assert WorkforceSettings.objects.get(team=team).name == "Ours"


def test_delete_is_not_routed_405(tommy_client):
    body = assert_tommy_error(tommy_client.delete(URL), 405)
    assert body["code"] == "METHOD_NOT_ALLOWED"
