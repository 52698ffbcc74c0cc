"""/api/v1/workforce/timesheet_items and /workforce/manager/timesheet_items: the lines of a timesheet."""

import datetime

import pytest

from tests.helpers import assert_tommy_error
from tests.workforce.time_support import API, employee, make_shift, manager, rival
from workforce.models import Timesheet, TimesheetItem

__all__ = ["employee", "manager", "rival"]  # fixtures

pytestmark = pytest.mark.django_db

MINE = f"{API}/timesheet_items"
TEAM = f"{API}/manager/timesheet_items"


def sheet(team, user, **fields) -> Timesheet:
    return Timesheet.objects.create(
        team=team, user=user, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 31), **fields
    )


def item(team, user, timesheet=None, **fields) -> TimesheetItem:
    return TimesheetItem.objects.create(team=team, user=user, timesheet=timesheet, **fields)


# --- employee -----------------------------------------------------------------------------------------------------


def test_employee_enters_an_item_on_their_timesheet(employee, teammate, team):
    timesheet = sheet(team, teammate)
    shift = make_shift(team, teammate)
    body = {"timesheet_id": timesheet.pk, "shift_id": shift.pk, "work_hours": 7.5, "break_hours": 0.5,
            "address": "Depot", "manual": False}  # fmt: skip
    response = employee.post(MINE, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["user_id"], data["team_id"], data["timesheet_id"], data["shift_id"]) == (
        teammate.pk, team.pk, timesheet.pk, shift.pk
    )  # fmt: skip
    assert data["work_hours"] == 7.5
    assert data["manual"] is True
    assert data["active"] is False  # hand-entered


@pytest.mark.parametrize(
    "body",
    [
        {"work_hours": -1},
        {"break_hours": -0.5},
        {"work_hours": "lots"},
        {"timesheet_id": None},
    ],
)
def test_create_validation_is_422(employee, teammate, team, body):
    timesheet = sheet(team, teammate)
    assert_tommy_error(employee.post(MINE, {"timesheet_id": timesheet.pk, **body}, format="json"), 422)
    assert not TimesheetItem.objects.exists()


def test_employee_cannot_use_someone_elses_or_an_approved_timesheet(employee, teammate, owner, team):
    theirs = sheet(team, owner)
    assert (
        "timesheet_id"
        in assert_tommy_error(employee.post(MINE, {"timesheet_id": theirs.pk, "work_hours": 1}, format="json"), 422)[
            "details"
        ]
    )
    approved = sheet(team, teammate, status="approved")
    assert_tommy_error(employee.post(MINE, {"timesheet_id": approved.pk, "work_hours": 1}, format="json"), 422)
    assert not TimesheetItem.objects.exists()


def test_shift_of_another_employee_or_taken_is_422(employee, teammate, owner, team):
    timesheet = sheet(team, teammate)
    theirs = make_shift(team, owner)
    assert_tommy_error(employee.post(MINE, {"timesheet_id": timesheet.pk, "shift_id": theirs.pk}, format="json"), 422)
    mine = make_shift(team, teammate)
    item(team, teammate, timesheet, shift=mine, manual=False)
    assert_tommy_error(employee.post(MINE, {"timesheet_id": timesheet.pk, "shift_id": mine.pk}, format="json"), 422)


def test_employee_sees_only_their_items(employee, teammate, owner, team):
    mine, theirs = item(team, teammate), item(team, owner)
    assert [i["id"] for i in employee.get(MINE).json()] == [mine.pk]
    assert employee.get(f"{MINE}/{mine.pk}").json()["id"] == mine.pk
    assert_tommy_error(employee.get(f"{MINE}/{theirs.pk}"), 404)
    assert_tommy_error(employee.put(f"{MINE}/{theirs.pk}", {"work_hours": 1}, format="json"), 404)
    assert_tommy_error(employee.delete(f"{MINE}/{theirs.pk}"), 404)


def test_employee_edits_a_manual_item(employee, teammate, team):
    line = item(team, teammate, sheet(team, teammate), work_hours=1)
    response = employee.put(f"{MINE}/{line.pk}/", {"work_hours": 2.25, "address": "Home"}, format="json")
    assert response.status_code == 200
    assert response.json()["work_hours"] == 2.25
    line.refresh_from_db()
    assert (line.work_hours, line.address) == (2.25, "Home")


def test_employee_cannot_change_clock_hours(employee, teammate, team):
    line = item(team, teammate, sheet(team, teammate), work_hours=8, manual=False)
    assert (
        "work_hours"
        in assert_tommy_error(employee.put(f"{MINE}/{line.pk}", {"work_hours": 9}, format="json"), 422)["details"]
    )
    assert employee.put(f"{MINE}/{line.pk}", {"address": "Depot"}, format="json").status_code == 200
    assert_tommy_error(employee.delete(f"{MINE}/{line.pk}"), 422)


def test_items_of_an_approved_timesheet_are_locked(employee, manager, teammate, team):
    timesheet = sheet(team, teammate)
    line = item(team, teammate, timesheet, work_hours=1)
    Timesheet.objects.filter(pk=timesheet.pk).update(status="approved")
    assert_tommy_error(employee.put(f"{MINE}/{line.pk}", {"work_hours": 2}, format="json"), 422)
    assert_tommy_error(manager.put(f"{TEAM}/{line.pk}", {"work_hours": 2}, format="json"), 422)
    assert_tommy_error(employee.delete(f"{MINE}/{line.pk}"), 422)
    line.refresh_from_db()
    assert line.work_hours == 1


def test_items_being_clocked_are_not_edited(employee, manager, teammate, team):
    line = item(team, teammate, sheet(team, teammate), active=True, manual=False)
    assert_tommy_error(manager.put(f"{TEAM}/{line.pk}", {"work_hours": 2}, format="json"), 422)
    assert_tommy_error(employee.put(f"{MINE}/{line.pk}", {"address": "x"}, format="json"), 422)


def test_employee_deletes_a_manual_item(employee, teammate, team):
    line = item(team, teammate, sheet(team, teammate), work_hours=1)
    response = employee.delete(f"{MINE}/{line.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not TimesheetItem.objects.filter(pk=line.pk).exists()


# --- manager ------------------------------------------------------------------------------------------------------


def test_manager_adds_an_item_to_an_employees_timesheet(manager, teammate, team):
    timesheet = sheet(team, teammate)
    body = {"timesheet_id": timesheet.pk, "work_hours": 3, "manual": False}
    response = manager.post(TEAM, body, format="json")
    assert response.status_code == 201
    assert response.json()["user_id"] == teammate.pk
    assert response.json()["manual"] is False


def test_manager_create_validation(manager, team, other_team, outsider):
    foreign = sheet(other_team, outsider)
    assert_tommy_error(manager.post(TEAM, {"timesheet_id": foreign.pk}, format="json"), 422)
    assert_tommy_error(manager.post(TEAM, {"work_hours": 1}, format="json"), 422)


def test_manager_corrects_clock_hours_and_moves_items(manager, teammate, owner, team):
    line = item(team, teammate, work_hours=8, manual=False)
    timesheet = sheet(team, teammate)
    body = {"work_hours": 7.75, "timesheet_id": timesheet.pk}
    response = manager.put(f"{TEAM}/{line.pk}", body, format="json")
    assert response.status_code == 200
    assert response.json()["timesheet_id"] == timesheet.pk
    line.refresh_from_db()
    assert (line.work_hours, line.timesheet) == (7.75, timesheet)
    others = sheet(team, owner)
    assert_tommy_error(manager.put(f"{TEAM}/{line.pk}", {"timesheet_id": others.pk}, format="json"), 422)
    assert_tommy_error(manager.put(f"{TEAM}/{line.pk}", {"break_hours": -1}, format="json"), 422)


# --- roles, tenants, methods ---------------------------------------------------------------------------------------


def test_unauthenticated_is_401(client):
    assert_tommy_error(client.get(MINE), 401)
    assert_tommy_error(client.post(TEAM, {}, format="json"), 401)


def test_employee_on_manager_paths_is_403(employee, teammate, team):
    line = item(team, teammate)
    assert_tommy_error(employee.get(TEAM), 403)
    assert_tommy_error(employee.get(f"{TEAM}/{line.pk}"), 403)
    assert_tommy_error(employee.put(f"{TEAM}/{line.pk}", {"work_hours": 1}, format="json"), 403)


def test_another_teams_item_is_404(rival, teammate, team):
    line = item(team, teammate)
    assert_tommy_error(rival.get(f"{TEAM}/{line.pk}"), 404)
    assert_tommy_error(rival.put(f"{TEAM}/{line.pk}", {"work_hours": 1}, format="json"), 404)
    assert rival.get(TEAM).json() == []


def test_managers_do_not_delete_items(manager, teammate, team):
    line = item(team, teammate)
    assert_tommy_error(manager.delete(f"{TEAM}/{line.pk}"), 405)
    assert TimesheetItem.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize("count", [2, 12])
def test_lists_cost_constant_queries(employee, manager, owner, teammate, team, django_assert_max_num_queries, count):
    employee.get(MINE), manager.get(TEAM)  # the once-a-minute presence writes
    for n in range(count):
        item(team, (owner, teammate)[n % 2], work_hours=n)
    with django_assert_max_num_queries(6):
        assert len(employee.get(MINE).json()) == count // 2
    with django_assert_max_num_queries(6):
        assert len(manager.get(TEAM).json()) == count
