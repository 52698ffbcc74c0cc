"""/api/v1/events (tommy-3 "Resource: Event"): the current team's calendar events."""

import datetime

import pytest

from tests.helpers import assert_tommy_error, user_client
from tests.workforce.people_helpers import make_shift
from workforce.models import Event

pytestmark = pytest.mark.django_db
URL = "/api/v1/events"
START = "2030-01-15T09:30:00Z"
END = "2030-01-15T11:00:00Z"
FIELDS = {
    "id", "user_id", "team_id", "addons_install_id", "kind", "title", "details", "location_name", "color",
    "start_at", "end_at",
}  # fmt: skip


def _event(team, user=None, **fields):
    start = datetime.datetime(2030, 1, 15, 9, 30, tzinfo=datetime.UTC)
    defaults = {"title": "Meeting", "start_at": start, "end_at": start + datetime.timedelta(hours=1)}
    return Event.objects.create(team=team, user=user, **{**defaults, **fields})


@pytest.fixture
def me(team, teammate):
    return user_client(teammate)


def test_member_creates_an_event(me, team, teammate):
    body = {"kind": "meeting", "title": "Standup", "color": "#ff0000", "start_at": START, "end_at": END}
    response = me.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    out = response.json()
    event = Event.objects.get()
    assert set(out) == FIELDS
    assert (out["id"], out["user_id"], out["team_id"], out["title"]) == (event.pk, teammate.pk, team.pk, "Standup")
    assert (out["start_at"], out["end_at"], out["addons_install_id"]) == (START, END, None)
    assert event.start_at == datetime.datetime(2030, 1, 15, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_at": END, "end_at": START}, "end_at"),
        ({"start_at": "next monday"}, "start_at"),
        ({"color": "x" * 40}, "color"),
    ],
)
def test_create_validation_is_422(me, body, field):
    out = assert_tommy_error(me.post(URL, body, format="json"), 422)
    assert field in out["details"]
    assert not Event.objects.exists()


def test_equal_start_and_end_is_allowed(me):
    assert me.post(URL, {"start_at": START, "end_at": START}, format="json").status_code == 201


def test_list_is_the_current_teams_events(me, team, other_team, owner):
    ours = [
        _event(team, owner, title="B"),
        _event(team, title="A", start_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)),
    ]
    _event(other_team, title="Theirs")
    response = me.get(URL)
    assert response.status_code == 200, response.content
    assert [e["id"] for e in response.json()] == [ours[1].pk, ours[0].pk]  # by start time


@pytest.mark.parametrize("size", [2, 12])
def test_list_query_count_is_constant(me, team, size, django_assert_max_num_queries):
    for n in range(size):
        _event(team, title=f"e{n}")
    me.get(URL)
    with django_assert_max_num_queries(6):
        response = me.get(URL)
    assert len(response.json()) == size


def test_get_one(me, team, owner):
    event = _event(team, owner)
    out = me.get(f"{URL}/{event.pk}").json()
    assert (out["id"], out["user_id"], out["start_at"]) == (event.pk, owner.pk, START)


def test_creator_updates_partially(me, team, teammate):
    event = _event(team, teammate, kind="meeting")
    response = me.put(f"{URL}/{event.pk}", {"title": "Renamed", "end_at": "2030-01-15T12:00:00Z"}, format="json")
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.title, event.kind, event.end_at.hour) == ("Renamed", "meeting", 12)


def test_update_to_end_before_start_is_422(me, team, teammate):
    event = _event(team, teammate)
    out = assert_tommy_error(me.put(f"{URL}/{event.pk}", {"end_at": "2030-01-15T08:00:00Z"}, format="json"), 422)
    assert "end_at" in out["details"]
    event.refresh_from_db()
    assert event.end_at.hour == 10


def test_manager_may_change_and_delete_anyones_event(tommy_client, team, teammate):
    event = _event(team, teammate)
    assert tommy_client.put(f"{URL}/{event.pk}", {"title": "By boss"}, format="json").status_code == 200
    response = tommy_client.delete(f"{URL}/{event.pk}")
    assert response.status_code == 200, response.content
    assert (response.json()["id"], response.json()["title"]) == (event.pk, "By boss")  # the deleted event
    assert not Event.objects.filter(pk=event.pk).exists()


def test_an_employee_cannot_change_someone_elses_event_403(me, team, owner):
    event = _event(team, owner)
    assert assert_tommy_error(me.put(f"{URL}/{event.pk}", {"title": "Mine"}, format="json"), 403)["code"] == "FORBIDDEN"
    assert_tommy_error(me.delete(f"{URL}/{event.pk}"), 403)
    event.refresh_from_db()
    assert event.title == "Meeting"


def test_creator_deletes_own_event(me, team, teammate):
    event = _event(team, teammate)
    assert me.delete(f"{URL}/{event.pk}").json()["id"] == event.pk
    assert not Event.objects.exists()


def test_a_shifts_event_keeps_its_times_and_cannot_be_deleted(tommy_client, team):
    shift = make_shift(team)
    event = shift.event
    out = assert_tommy_error(tommy_client.put(f"{URL}/{event.pk}", {"start_at": START}, format="json"), 422)
    assert f"/workforce/manager/shifts/{shift.pk}" in out["details"]["start_at"][0]
    out = assert_tommy_error(tommy_client.delete(f"{URL}/{event.pk}"), 422)
    assert str(shift.pk) in out["details"]["shift_id"][0]
    assert Event.objects.filter(pk=event.pk).exists()
    ok = tommy_client.put(f"{URL}/{event.pk}", {"color": "blue", "start_at": _iso(event.start_at)}, format="json")
    assert ok.status_code == 200, ok.content  # other fields (and unchanged times) are fine
    event.refresh_from_db()
    assert event.color == "blue"


def _iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def test_unauthenticated_is_401(client, team):
    event = _event(team)
    assert_tommy_error(client.get(URL), 401)
    assert_tommy_error(client.post(URL, {}, format="json"), 401)
    assert_tommy_error(client.get(f"{URL}/{event.pk}"), 401)
    assert_tommy_error(client.put(f"{URL}/{event.pk}", {}, format="json"), 401)
    assert_tommy_error(client.delete(f"{URL}/{event.pk}"), 401)


def test_another_teams_event_is_404(tommy_client, other_team, outsider):
    theirs = _event(other_team, outsider)
    assert_tommy_error(tommy_client.get(f"{URL}/{theirs.pk}"), 404)
    assert_tommy_error(tommy_client.put(f"{URL}/{theirs.pk}", {"title": "x"}, format="json"), 404)
    assert_tommy_error(tommy_client.delete(f"{URL}/{theirs.pk}"), 404)
    theirs.refresh_from_db()
    assert theirs.title == "Meeting"


def test_patch_is_not_routed_405(me, team, teammate):
    event = _event(team, teammate)
    assert_tommy_error(me.patch(f"{URL}/{event.pk}", {"title": "x"}, format="json"), 405)
    assert_tommy_error(me.delete(URL), 405)
