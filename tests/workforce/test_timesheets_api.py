"""/api/v1/workforce/timesheets and /workforce/manager/timesheets: pay periods and their approval."""

import datetime

import pytest

from accounts.models import Membership
from tests.helpers import assert_tommy_error
from tests.workforce.time_support import API, MONDAY_9AM, employee, make_shift, manager, rival
from workforce.models import Timesheet, TimesheetItem

__all__ = ["employee", "manager", "rival"]  # fixtures

pytestmark = pytest.mark.django_db

MINE = f"{API}/timesheets"
TEAM = f"{API}/manager/timesheets"
MARCH = {"start_date": "2025-03-01", "end_date": "2025-03-31"}


def sheet(team, user, start=datetime.date(2025, 3, 1), days=30, **fields) -> Timesheet:
    return Timesheet.objects.create(
        team=team, user=user, resource_id=user.pk, start_date=start, end_date=start + datetime.timedelta(days=days),
        **fields,
    )  # fmt: skip


# --- manager create ------------------------------------------------------------------------------------------------


def test_manager_creates_a_timesheet_for_an_employee(manager, teammate, team):
    body = {"resource_type": "User", "resource_id": teammate.pk, "manual": True, **MARCH}
    response = manager.post(TEAM, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["user_id"], data["team_id"], data["status"]) == (teammate.pk, team.pk, "unsubmitted")
    assert data["start_date"] == "2025-03-01"
    assert data["resource_type"] == "User"
    assert data["manual"] is True
    assert Timesheet.objects.get(pk=data["id"]).user == teammate


def test_a_team_member_resource_names_the_membership(manager, teammate, team):
    membership = Membership.objects.get(team=team, user=teammate)
    body = {"resource_type": "TeamMember", "resource_id": membership.pk, **MARCH}
    assert manager.post(TEAM, body, format="json").json()["user_id"] == teammate.pk


def test_new_timesheet_gathers_the_employees_loose_items(manager, teammate, team):
    in_period = TimesheetItem.objects.create(team=team, user=teammate, shift=make_shift(team, teammate), manual=False)
    later = make_shift(team, teammate, start=MONDAY_9AM + datetime.timedelta(days=40))
    outside = TimesheetItem.objects.create(team=team, user=teammate, shift=later, manual=False)
    timesheet_id = manager.post(TEAM, {"resource_id": teammate.pk, **MARCH}, format="json").json()["id"]
    in_period.refresh_from_db(), outside.refresh_from_db()
    assert in_period.timesheet_id == timesheet_id
    assert outside.timesheet_id is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2025-03-10", "end_date": "2025-03-01"}, "end_date"),
        ({"start_date": "2025-03-10"}, "end_date"),
        ({**MARCH, "status": "paid"}, "status"),
        ({**MARCH, "resource_type": "Robot"}, "resource_type"),
        ({**MARCH, "resource_id": "OUTSIDER"}, "resource_id"),
        ({**MARCH, "resource_id": None}, "resource_id"),
    ],
)
def test_create_validation_errors_are_422(manager, teammate, outsider, body, field):
    body = {"resource_id": teammate.pk, **body}
    if body["resource_id"] == "OUTSIDER":
        body["resource_id"] = outsider.pk
    error = assert_tommy_error(manager.post(TEAM, body, format="json"), 422)
    assert field in error["details"]
    assert not Timesheet.objects.exists()


def test_overlapping_periods_of_one_employee_are_422(manager, teammate, owner, team):
    sheet(team, teammate, start=datetime.date(2025, 3, 20))
    assert_tommy_error(manager.post(TEAM, {"resource_id": teammate.pk, **MARCH}, format="json"), 422)
    assert manager.post(TEAM, {"resource_id": owner.pk, **MARCH}, format="json").status_code == 201


# --- employee -----------------------------------------------------------------------------------------------------


def test_employee_sees_only_their_timesheets(employee, teammate, owner, team):
    mine, theirs = sheet(team, teammate), sheet(team, owner)
    response = employee.get(MINE)
    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == [mine.pk]
    assert employee.get(f"{MINE}/{mine.pk}/").json()["id"] == mine.pk
    assert_tommy_error(employee.get(f"{MINE}/{theirs.pk}"), 404)


def test_employee_submits_and_unsubmits(employee, teammate, team):
    timesheet = sheet(team, teammate)
    response = employee.put(f"{MINE}/{timesheet.pk}", {"status": "submitted"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_at"]
    back = employee.put(f"{MINE}/{timesheet.pk}", {"status": "unsubmitted", **MARCH}, format="json")  # same dates
    assert back.status_code == 200
    assert back.json()["status"] == "unsubmitted"


@pytest.mark.parametrize("status", ["preapproved", "approved", "denied"])
def test_employee_cannot_decide(employee, teammate, team, status):
    timesheet = sheet(team, teammate)
    assert_tommy_error(employee.put(f"{MINE}/{timesheet.pk}", {"status": status}, format="json"), 403)
    timesheet.refresh_from_db()
    assert timesheet.status == "unsubmitted"


def test_employee_cannot_change_the_period(employee, teammate, team):
    timesheet = sheet(team, teammate)
    assert_tommy_error(employee.put(f"{MINE}/{timesheet.pk}", {"end_date": "2025-04-30"}, format="json"), 403)


@pytest.mark.parametrize("status", ["preapproved", "approved", "denied"])
def test_employee_cannot_touch_a_decided_timesheet(employee, teammate, team, status):
    timesheet = sheet(team, teammate, status=status)
    assert_tommy_error(employee.put(f"{MINE}/{timesheet.pk}", {"status": "unsubmitted"}, format="json"), 403)
    assert_tommy_error(employee.delete(f"{MINE}/{timesheet.pk}"), 403)


def test_employee_put_validation_is_422(employee, teammate, team):
    timesheet = sheet(team, teammate)
    assert_tommy_error(employee.put(f"{MINE}/{timesheet.pk}", {"status": "done"}, format="json"), 422)


def test_employee_deletes_an_unsubmitted_timesheet(employee, teammate, team):
    timesheet = sheet(team, teammate)
    clock_item = TimesheetItem.objects.create(
        team=team, user=teammate, timesheet=timesheet, shift=make_shift(team, teammate), manual=False, work_hours=8
    )
    manual_item = TimesheetItem.objects.create(team=team, user=teammate, timesheet=timesheet, work_hours=1)
    response = employee.delete(f"{MINE}/{timesheet.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not Timesheet.objects.filter(pk=timesheet.pk).exists()
    clock_item.refresh_from_db()
    assert clock_item.timesheet is None
    assert clock_item.work_hours == 8  # clock time is kept, detached
    assert not TimesheetItem.objects.filter(pk=manual_item.pk).exists()


def test_employee_cannot_delete_a_submitted_or_someone_elses_timesheet(employee, teammate, owner, team):
    submitted = sheet(team, teammate, status="submitted")
    assert_tommy_error(employee.delete(f"{MINE}/{submitted.pk}"), 403)
    assert_tommy_error(employee.delete(f"{MINE}/{sheet(team, owner).pk}"), 404)
    assert Timesheet.objects.count() == 2


# --- manager decisions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["preapproved", "approved", "denied"])
def test_manager_decides(manager, owner, teammate, team, status):
    timesheet = sheet(team, teammate, status="submitted")
    response = manager.put(f"{TEAM}/{timesheet.pk}", {"status": status}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == status
    timesheet.refresh_from_db()
    assert timesheet.decided_by == owner
    assert timesheet.decided_at is not None


def test_approved_is_locked_until_a_manager_unapproves(manager, teammate, team):
    timesheet = sheet(team, teammate, status="approved")
    assert_tommy_error(manager.put(f"{TEAM}/{timesheet.pk}", {"end_date": "2025-04-15"}, format="json"), 422)
    body = {"status": "submitted", "end_date": "2025-04-15"}
    response = manager.put(f"{TEAM}/{timesheet.pk}", body, format="json")
    assert response.status_code == 200
    assert response.json()["end_date"] == "2025-04-15"
    timesheet.refresh_from_db()
    assert timesheet.status == "submitted"
    assert timesheet.decided_by is None


def test_manager_put_validation(manager, teammate, owner, team):
    timesheet = sheet(team, teammate)
    body = {"start_date": "2025-05-01", "end_date": "2025-04-01"}
    assert_tommy_error(manager.put(f"{TEAM}/{timesheet.pk}", body, format="json"), 422)
    assert_tommy_error(manager.put(f"{TEAM}/{timesheet.pk}", {"start_date": "2025-05-01"}, format="json"), 422)
    assert_tommy_error(manager.put(f"{TEAM}/{timesheet.pk}", {"resource_id": owner.pk}, format="json"), 422)


def test_approval_waits_for_clocked_in_items(manager, teammate, team):
    timesheet = sheet(team, teammate, status="submitted")
    TimesheetItem.objects.create(team=team, user=teammate, timesheet=timesheet, active=True, manual=False)
    assert_tommy_error(manager.put(f"{TEAM}/{timesheet.pk}", {"status": "approved"}, format="json"), 422)


def test_bulk_update_approves_all(manager, owner, teammate, team):
    first, second = sheet(team, teammate, status="submitted"), sheet(team, owner, status="submitted")
    body = {"timesheet_ids": [first.pk, second.pk], "status": "approved"}
    response = manager.put(f"{TEAM}/bulk_update", body, format="json")
    assert response.status_code == 200, response.content
    assert sorted(t["id"] for t in response.json()) == sorted([first.pk, second.pk])
    assert {t["status"] for t in response.json()} == {"approved"}
    assert set(Timesheet.objects.values_list("status", "decided_by")) == {("approved", owner.pk)}


@pytest.mark.parametrize("intruder", ["unknown", "foreign"])
def test_bulk_update_is_all_or_nothing(manager, owner, teammate, team, other_team, outsider, intruder):
    mine = sheet(team, teammate, status="submitted")
    other = sheet(other_team, outsider).pk if intruder == "foreign" else 999999
    body = {"timesheet_ids": [mine.pk, other], "status": "approved"}
    error = assert_tommy_error(manager.put(f"{TEAM}/bulk_update/", body, format="json"), 422)
    assert str(other) in error["details"]["timesheet_ids"][0]
    assert Timesheet.objects.get(pk=mine.pk).status == "submitted"


def test_bulk_update_rolls_back_when_one_row_is_refused(manager, owner, teammate, team):
    free = sheet(team, teammate, status="submitted")
    busy = sheet(team, owner, status="submitted")
    TimesheetItem.objects.create(team=team, user=owner, timesheet=busy, active=True, manual=False)
    body = {"timesheet_ids": [free.pk, busy.pk], "status": "approved"}
    assert_tommy_error(manager.put(f"{TEAM}/bulk_update", body, format="json"), 422)
    assert set(Timesheet.objects.values_list("status", flat=True)) == {"submitted"}


def test_bulk_update_validation(manager):
    assert_tommy_error(manager.put(f"{TEAM}/bulk_update", {"status": "approved"}, format="json"), 422)
    assert_tommy_error(manager.put(f"{TEAM}/bulk_update", {"timesheet_ids": []}, format="json"), 422)


# --- roles, tenants, methods ---------------------------------------------------------------------------------------


def test_unauthenticated_is_401(client):
    assert_tommy_error(client.get(MINE), 401)
    assert_tommy_error(client.get(TEAM), 401)
    assert_tommy_error(client.put(f"{TEAM}/bulk_update", {}, format="json"), 401)


def test_employee_on_manager_paths_is_403(employee, teammate, team):
    timesheet = sheet(team, teammate)
    assert_tommy_error(employee.get(TEAM), 403)
    assert_tommy_error(employee.post(TEAM, {"resource_id": 1, **MARCH}, format="json"), 403)
    assert_tommy_error(employee.put(f"{TEAM}/{timesheet.pk}", {"status": "approved"}, format="json"), 403)
    assert_tommy_error(employee.put(f"{TEAM}/bulk_update", {"timesheet_ids": [timesheet.pk]}, format="json"), 403)


def test_another_teams_timesheet_is_404(rival, teammate, team):
    timesheet = sheet(team, teammate)
    assert_tommy_error(rival.get(f"{TEAM}/{timesheet.pk}"), 404)
    assert_tommy_error(rival.put(f"{TEAM}/{timesheet.pk}", {"status": "approved"}, format="json"), 404)
    assert rival.get(TEAM).json() == []


def test_operations_outside_the_matrix_are_405(employee, manager, teammate, team):
    timesheet = sheet(team, teammate)
    assert_tommy_error(employee.post(MINE, {"resource_id": teammate.pk, **MARCH}, format="json"), 405)
    assert_tommy_error(manager.delete(f"{TEAM}/{timesheet.pk}"), 405)
    assert Timesheet.objects.filter(pk=timesheet.pk).exists()


@pytest.mark.parametrize("count", [2, 12])
def test_lists_cost_constant_queries(employee, manager, owner, teammate, team, django_assert_max_num_queries, count):
    employee.get(MINE), manager.get(TEAM)  # the once-a-minute presence writes
    for n in range(count):
        sheet(team, (owner, teammate)[n % 2], start=datetime.date(2025, 1, 1) + datetime.timedelta(days=10 * n), days=5)
    with django_assert_max_num_queries(6):
        assert len(employee.get(MINE).json()) == count // 2
    with django_assert_max_num_queries(6):
        assert len(manager.get(TEAM).json()) == count
