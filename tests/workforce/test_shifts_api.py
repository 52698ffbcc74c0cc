"""Tommy /workforce/shifts (employee) and /workforce/manager/shifts (manager)."""

import datetime

import pytest
from django.utils import timezone

from messaging import sms
from tests.helpers import assert_tommy_error, user_client
from tests.workforce.shifts_support import BASE, at, iso, make_shift
from workforce.models import Availability, Event, Shift, ShiftNotice, ShiftRequest, TimesheetItem

pytestmark = pytest.mark.django_db

SHIFT_FIELDS = {
    "id", "user_id", "team_id", "assignee_id", "event_id", "title", "start_at", "end_at", "status", "location_id",
    "location_name", "role", "department", "details", "data", "shift_on_same_day", "shift_requested",
}  # fmt: skip


@pytest.fixture
def employee_client(teammate):
    return user_client(teammate)


@pytest.fixture
def outsider_shift(other_team, outsider):
    return make_shift(other_team, outsider, title="Rival shift", status="published")


# --- manager: list -----------------------------------------------------------------------------------------------


def test_manager_list_returns_every_documented_field_paginated(tommy_client, team, owner, teammate):
    shifts = [make_shift(team, owner, days=d, title=f"Shift {d}") for d in range(1, 4)]
    assigned = make_shift(team, owner, days=2, assignee=teammate, role="Chef", data={"k": 1})
    response = tommy_client.get(f"{BASE}/manager/shifts", {"per": 2})
    assert response.status_code == 200
    assert response["X-Total-Count"] == "4"
    rows = response.json()
    assert len(rows) == 2
    assert set(rows[0]) == SHIFT_FIELDS
    first = rows[0]
    assert first["id"] == shifts[0].pk
    assert first["event_id"] == shifts[0].event_id
    assert first["team_id"] == team.pk
    assert first["user_id"] == owner.pk
    assert first["start_at"] == iso(shifts[0].start_at)
    assert first["status"] == "open"
    assert first["assignee_id"] is None
    assert first["shift_requested"] is False
    assert first["shift_on_same_day"] is False
    page2 = tommy_client.get(f"{BASE}/manager/shifts", {"per": 2, "page": 2}).json()
    assert [row["id"] for row in page2] == [assigned.pk, shifts[2].pk]
    assert (page2[0]["assignee_id"], page2[0]["role"], page2[0]["data"]) == (teammate.pk, "Chef", {"k": 1})


@pytest.mark.parametrize("size", [3, 30])
def test_manager_list_query_count_is_constant(tommy_client, team, owner, teammate, size, django_assert_max_num_queries):
    for n in range(size):
        shift = make_shift(team, owner, days=1 + n % 5, assignee=teammate if n % 2 else None, status="published")
        if not n % 2:
            ShiftRequest.objects.create(team=team, shift=shift, user=teammate, requestor=teammate)
    tommy_client.get(f"{BASE}/manager/shifts")  # the credential's once-a-minute presence writes
    with django_assert_max_num_queries(8):
        response = tommy_client.get(f"{BASE}/manager/shifts")
    assert len(response.json()) == size


def test_manager_list_filters(tommy_client, team, owner, teammate):
    early = make_shift(team, owner, days=1, assignee=teammate)
    late = make_shift(team, owner, days=5, status="published")
    url = f"{BASE}/manager/shifts"
    assert [r["id"] for r in tommy_client.get(url, {"status": "assigned"}).json()] == [early.pk]
    assert [r["id"] for r in tommy_client.get(url, {"assignee_id": teammate.pk}).json()] == [early.pk]
    assert [r["id"] for r in tommy_client.get(url, {"start_after": iso(at(3))}).json()] == [late.pk]
    assert [r["id"] for r in tommy_client.get(url, {"start_before": iso(at(3))}).json()] == [early.pk]
    body = assert_tommy_error(tommy_client.get(url, {"status": "sleeping"}), 422)
    assert "status" in body["details"]


def test_manager_list_needs_credentials(client):
    assert_tommy_error(client.get(f"{BASE}/manager/shifts"), 401)


def test_employee_calling_manager_paths_is_forbidden(employee_client, team, owner):
    shift = make_shift(team, owner)
    assert_tommy_error(employee_client.get(f"{BASE}/manager/shifts"), 403)
    assert_tommy_error(employee_client.post(f"{BASE}/manager/shifts", {}, format="json"), 403)
    assert_tommy_error(employee_client.delete(f"{BASE}/manager/shifts/{shift.pk}"), 403)
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_operations_outside_the_matrix_are_405(tommy_client, employee_client, team, owner):
    shift = make_shift(team, owner)
    assert_tommy_error(employee_client.post(f"{BASE}/shifts", {}, format="json"), 405)
    assert_tommy_error(tommy_client.patch(f"{BASE}/manager/shifts/{shift.pk}", {}, format="json"), 405)
    assert_tommy_error(employee_client.delete(f"{BASE}/shifts/{shift.pk}"), 405)


# --- manager: create ---------------------------------------------------------------------------------------------


def test_manager_create_makes_the_shift_and_its_event(tommy_client, team, owner):
    start = at(2, 8)
    body = {
        "title": "Morning prep",
        "start_at": iso(start),
        "end_at": iso(start + datetime.timedelta(hours=6)),
        "location_id": 7,
        "location_name": "Downtown",
        "role": "Chef",
        "department": "Kitchen",
        "details": "Bring knives",
        "data": {"color": "red"},
    }
    response = tommy_client.post(f"{BASE}/manager/shifts/", body, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert set(row) == SHIFT_FIELDS
    assert row["status"] == "open"
    assert row["assignee_id"] is None
    assert row["user_id"] == owner.pk
    assert row["team_id"] == team.pk
    assert row["start_at"] == body["start_at"]
    assert row["data"] == {"color": "red"}
    event = Event.objects.get(pk=row["event_id"])
    assert (event.kind, event.title, event.team_id) == ("shift", "Morning prep", team.pk)
    assert (event.start_at, event.end_at) == (start, start + datetime.timedelta(hours=6))


def test_manager_create_validates_times(tommy_client):
    start = at(2)
    body = {"title": "Backwards", "start_at": iso(start), "end_at": iso(start - datetime.timedelta(hours=1))}
    response = tommy_client.post(f"{BASE}/manager/shifts", body, format="json")
    assert "end_at" in assert_tommy_error(response, 422)["details"]
    assert (
        "start_at" in assert_tommy_error(tommy_client.post(f"{BASE}/manager/shifts", {}, format="json"), 422)["details"]
    )
    assert not Shift.objects.exists()
    assert not Event.objects.exists()


def test_manager_create_with_assignee_is_assigned(tommy_client, teammate):
    body = {"start_at": iso(at(1)), "end_at": iso(at(1, 17)), "assignee_id": teammate.pk}
    row = tommy_client.post(f"{BASE}/manager/shifts", body, format="json").json()
    assert (row["status"], row["assignee_id"]) == ("assigned", teammate.pk)


def test_manager_create_assignee_outside_the_team_is_422(tommy_client, outsider):
    body = {"start_at": iso(at(1)), "end_at": iso(at(1, 17)), "assignee_id": outsider.pk}
    assert (
        "assignee_id"
        in assert_tommy_error(tommy_client.post(f"{BASE}/manager/shifts", body, format="json"), 422)["details"]
    )


def test_moving_a_shift_start_years_back_is_a_422_not_a_long_request(tommy_client, team, owner, teammate):
    """Found by fuzzing: start_at 2000 turned an assigned shift into a 26-year one and the availability check
    queried each of its 9,800 days (the request timed out)."""
    shift = make_shift(team, owner, assignee=teammate)
    response = tommy_client.put(f"{BASE}/manager/shifts/{shift.pk}", {"start_at": "2000-01-01T00:00:00Z"})
    body = assert_tommy_error(response, 422)
    assert "end_at" in body["details"]


def test_assigning_over_an_unavailable_day_needs_force(tommy_client, team, teammate):
    Availability.objects.create(team=team, user=teammate, date=at(1).date(), am=0, pm=0, nd=0)
    body = {"start_at": iso(at(1)), "end_at": iso(at(1, 17)), "assignee_id": teammate.pk}
    response = tommy_client.post(f"{BASE}/manager/shifts", body, format="json")
    assert "assignee_id" in assert_tommy_error(response, 422)["details"]
    assert not Shift.objects.exists()
    response = tommy_client.post(f"{BASE}/manager/shifts", {**body, "force": True}, format="json")
    assert response.status_code == 201
    assert response.json()["assignee_id"] == teammate.pk


def test_manager_create_published_notifies_the_assignee_once(
    tommy_client, teammate, django_capture_on_commit_callbacks
):
    body = {"title": "Bar", "start_at": iso(at(1)), "end_at": iso(at(1, 17)), "assignee_id": teammate.pk}
    with django_capture_on_commit_callbacks(execute=True):
        row = tommy_client.post(f"{BASE}/manager/shifts", {**body, "status": "published"}, format="json").json()
    assert row["status"] == "published"
    assert Shift.objects.get(pk=row["id"]).published_at is not None
    assert [m.to for m in sms.outbox] == [teammate.phone]
    notice = ShiftNotice.objects.get(shift_id=row["id"])
    assert (notice.kind, notice.status, notice.user_id) == ("published", "sent", teammate.pk)
    assert notice.text_id is not None
    with django_capture_on_commit_callbacks(execute=True):
        again = tommy_client.put(f"{BASE}/manager/shifts/{row['id']}", {"status": "published"}, format="json")
    assert again.status_code == 200
    assert len(sms.outbox) == 1


# --- manager: get / update / delete ------------------------------------------------------------------------------


def test_manager_get(tommy_client, team, owner):
    shift = make_shift(team, owner, title="Look")
    row = tommy_client.get(f"{BASE}/manager/shifts/{shift.pk}").json()
    assert (row["id"], row["title"]) == (shift.pk, "Look")


def test_another_teams_shift_is_404_for_a_manager(tommy_client, outsider_shift):
    for method in ("get", "put", "delete"):
        response = getattr(tommy_client, method)(f"{BASE}/manager/shifts/{outsider_shift.pk}", {}, format="json")
        assert_tommy_error(response, 404)
    assert Shift.objects.filter(pk=outsider_shift.pk).exists()


def test_manager_update_moves_the_event(tommy_client, team, owner):
    shift = make_shift(team, owner, title="Old")
    start = at(3, 10)
    body = {"title": "New", "start_at": iso(start), "end_at": iso(start + datetime.timedelta(hours=2))}
    row = tommy_client.put(f"{BASE}/manager/shifts/{shift.pk}", body, format="json").json()
    assert (row["title"], row["start_at"]) == ("New", body["start_at"])
    event = Event.objects.get(pk=shift.event_id)
    assert (event.title, event.start_at, event.end_at) == ("New", start, start + datetime.timedelta(hours=2))


def test_manager_update_validation_error(tommy_client, team, owner):
    shift = make_shift(team, owner)
    body = {"end_at": iso(shift.start_at - datetime.timedelta(minutes=1))}
    assert "end_at" in assert_tommy_error(tommy_client.put(f"{BASE}/manager/shifts/{shift.pk}", body), 422)["details"]
    body = {"status": "assigned"}
    assert "status" in assert_tommy_error(tommy_client.put(f"{BASE}/manager/shifts/{shift.pk}", body), 422)["details"]


def test_manager_update_assign_then_unassign(tommy_client, team, owner, teammate):
    shift = make_shift(team, owner)
    url = f"{BASE}/manager/shifts/{shift.pk}"
    assert tommy_client.put(url, {"assignee_id": teammate.pk}, format="json").json()["status"] == "assigned"
    row = tommy_client.put(url, {"assignee_id": None}, format="json").json()
    assert (row["status"], row["assignee_id"]) == ("open", None)


def test_manager_delete_returns_the_shift_and_cleans_up(tommy_client, team, owner, teammate):
    shift = make_shift(team, owner, title="Gone", status="published")
    live = ShiftRequest.objects.create(team=team, shift=shift, user=teammate, requestor=teammate)
    item = TimesheetItem.objects.create(team=team, shift=shift, user=teammate, work_hours=3)
    response = tommy_client.delete(f"{BASE}/manager/shifts/{shift.pk}")
    assert response.status_code == 200
    row = response.json()
    assert set(row) == SHIFT_FIELDS
    assert (row["id"], row["title"], row["event_id"]) == (shift.pk, "Gone", shift.event_id)
    assert not Shift.objects.filter(pk=shift.pk).exists()
    assert not Event.objects.filter(pk=shift.event_id).exists()
    live.refresh_from_db()
    assert (live.status, live.shift_id) == ("canceled", None)
    item.refresh_from_db()
    assert (item.shift_id, item.work_hours) == (None, 3)


# --- employee ----------------------------------------------------------------------------------------------------


def test_employee_sees_published_shifts_that_are_theirs_or_open(employee_client, team, owner, teammate):
    mine = make_shift(team, owner, days=1, assignee=teammate, status="published")
    open_shift = make_shift(team, owner, days=1, hours=18, status="published")
    make_shift(team, owner, days=2, assignee=teammate)  # assigned, not yet published
    make_shift(team, owner, days=2, assignee=owner, status="published")  # someone else's
    make_shift(team, owner, days=3)  # open but unpublished
    ShiftRequest.objects.create(team=team, shift=open_shift, user=teammate, requestor=teammate)
    response = employee_client.get(f"{BASE}/shifts")
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {mine.pk, open_shift.pk}
    assert rows[open_shift.pk]["shift_requested"] is True
    assert rows[mine.pk]["shift_requested"] is False
    # the open shift lies on the same day as the caller's own shift; their own shift has no other that day
    assert rows[open_shift.pk]["shift_on_same_day"] is True
    assert rows[mine.pk]["shift_on_same_day"] is False


@pytest.mark.parametrize("size", [2, 20])
def test_employee_list_query_count_is_constant(
    employee_client, team, owner, teammate, size, django_assert_max_num_queries
):
    for n in range(size):
        shift = make_shift(team, owner, days=1 + n % 3, assignee=teammate if n % 2 else None, status="published")
        if not n % 2:
            ShiftRequest.objects.create(team=team, shift=shift, user=teammate, requestor=teammate)
    employee_client.get(f"{BASE}/shifts")
    with django_assert_max_num_queries(8):
        response = employee_client.get(f"{BASE}/shifts")
    assert len(response.json()) == size


def test_employee_active_shifts(employee_client, team, owner, teammate):
    now = timezone.now()
    from workforce.services.shifts import shift_create

    current = shift_create(
        team=team,
        by=owner,
        start_at=now - datetime.timedelta(hours=1),
        end_at=now + datetime.timedelta(hours=1),
        assignee=teammate,
        status="published",
    )
    make_shift(team, owner, days=1, assignee=teammate, status="published")  # later
    response = employee_client.get(f"{BASE}/shifts/active")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [current.pk]


def test_employee_get(employee_client, team, owner, teammate):
    mine = make_shift(team, owner, assignee=teammate, status="published")
    hidden = make_shift(team, owner, assignee=teammate)
    assert employee_client.get(f"{BASE}/shifts/{mine.pk}").json()["id"] == mine.pk
    assert_tommy_error(employee_client.get(f"{BASE}/shifts/{hidden.pk}"), 404)


def test_employee_cannot_see_another_teams_shift(employee_client, outsider_shift):
    assert_tommy_error(employee_client.get(f"{BASE}/shifts/{outsider_shift.pk}"), 404)
    assert employee_client.get(f"{BASE}/shifts").json() == []


def test_employee_list_needs_credentials(client):
    assert_tommy_error(client.get(f"{BASE}/shifts"), 401)
    assert_tommy_error(client.get(f"{BASE}/shifts/active"), 401)


def test_employee_list_filter_validation(employee_client):
    assert_tommy_error(employee_client.get(f"{BASE}/shifts", {"start_after": "yesterday"}), 422)
