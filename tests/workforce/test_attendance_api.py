"""/api/v1/workforce/attendances and /workforce/manager/attendances: the time clock (one row per clock session)."""

import datetime

import pytest

from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_tommy_error, user_client
from tests.workforce.time_support import API, MONDAY_9AM, clock, employee, make_shift, manager, rival, set_workforce
from workforce.models import Attendance, AttendanceEdit, AttendancePunch, ShiftNotice, Timesheet, TimesheetItem
from workforce.services import attendance as attendance_services

__all__ = ["clock", "employee", "manager", "rival"]  # fixtures

pytestmark = pytest.mark.django_db

MINE = f"{API}/attendances"
TEAM = f"{API}/manager/attendances"


def punch(client, status, url=MINE, **body):
    return client.post(url, {"status": status, **body}, format="json")


def play(client, clock, steps):
    """Clock actions `[(status, minutes after the previous one)]`; returns the last response."""
    response = None
    for status, minutes in steps:
        clock.advance(minutes=minutes)
        response = punch(client, status)
    return response


# --- clocking in -----------------------------------------------------------------------------------------------


def test_start_opens_a_session_with_its_first_punch(employee, teammate, team, clock):
    body = {"latitude": 52.5, "longitude": 13.4, "accuracy": 5, "address": "Main St 1", "location_name": "Depot"}
    response = punch(employee, "start", image={"signed_id": "abc"}, **body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "start"
    assert data["user_id"] == teammate.pk
    assert data["team_id"] == team.pk
    assert data["latitude"] == 52.5
    assert data["location_name"] == "Depot"
    assert data["image"] == {"signed_id": "abc"}
    assert data["event_id"] is None
    assert data["ended_at"] is None
    assert data["started_at"].startswith("2025-03-03T09:00:00")
    session = Attendance.objects.get(pk=data["id"])
    assert [(p.status, p.at) for p in session.punches.all()] == [("start", MONDAY_9AM)]
    assert [p["status"] for p in data["punches"]] == ["start"]


def test_unauthenticated_is_401(client):
    assert_tommy_error(client.get(MINE), 401)
    assert_tommy_error(client.post(MINE, {"status": "start"}, format="json"), 401)
    assert_tommy_error(client.get(f"{TEAM}/active"), 401)


@pytest.mark.parametrize(
    "body",
    [{}, {"status": "lunch"}, {"status": "start", "latitude": 123}, {"status": "start", "image": "selfie.png"}],
)
def test_malformed_body_is_422_in_the_envelope(employee, body):
    error = assert_tommy_error(employee.post(MINE, body, format="json"), 422)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["details"]


def test_starting_twice_is_422_and_keeps_one_open_session(employee, teammate, clock):
    assert punch(employee, "start").status_code == 201
    error = assert_tommy_error(punch(employee, "start"), 422)
    assert "already clocked in" in error["message"]
    assert Attendance.objects.filter(user=teammate).count() == 1


def test_a_lost_race_on_the_open_session_constraint_is_409(employee, teammate, clock, monkeypatch):
    assert punch(employee, "start").status_code == 201
    monkeypatch.setattr(attendance_services, "open_session", lambda **kwargs: None)  # the check saw nothing
    assert_tommy_error(punch(employee, "start"), 409)
    assert Attendance.objects.filter(user=teammate).count() == 1


@pytest.mark.parametrize(
    ("steps", "last_status"),
    [
        (["start", "pause", "resume", "pause", "resume", "stop"], 200),
        (["start", "stop"], 200),
        (["start", "pause", "stop"], 200),
        (["pause"], 422),
        (["resume"], 422),
        (["stop"], 422),
        (["start", "resume"], 422),
        (["start", "pause", "pause"], 422),
        (["start", "pause", "resume", "resume"], 422),
        (["start", "stop", "pause"], 422),
        (["start", "stop", "stop"], 422),
    ],
)
def test_clock_actions_follow_the_sequence(employee, clock, steps, last_status):
    response = play(employee, clock, [(s, 10) for s in steps])
    expected = 201 if steps == ["start"] else last_status
    if expected == 422:
        assert_tommy_error(response, 422)
    else:
        assert response.status_code == expected, response.content
        assert response.json()["status"] == steps[-1]


def test_start_after_stop_opens_a_new_session(employee, teammate, clock):
    play(employee, clock, [("start", 0), ("stop", 60)])
    assert play(employee, clock, [("start", 5)]).status_code == 201
    assert Attendance.objects.filter(user=teammate).count() == 2


def test_put_on_the_session_advances_it(employee, clock):
    session_id = punch(employee, "start").json()["id"]
    clock.advance(minutes=30)
    response = employee.put(f"{MINE}/{session_id}", {"status": "pause"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "pause"
    clock.advance(minutes=30)
    assert employee.put(f"{MINE}/{session_id}/", {"status": "stop"}, format="json").status_code == 200
    assert_tommy_error(employee.put(f"{MINE}/{session_id}", {"status": "resume"}, format="json"), 422)
    assert AttendancePunch.objects.filter(attendance_id=session_id).count() == 3


def test_put_cannot_restart_a_session(employee, clock):
    session_id = play(employee, clock, [("start", 0), ("stop", 10)]).json()["id"]
    assert_tommy_error(employee.put(f"{MINE}/{session_id}", {"status": "start"}, format="json"), 422)


# --- workforce settings ---------------------------------------------------------------------------------------


def test_gps_required_needs_latitude_and_longitude(employee, team, clock):
    set_workforce(team, timeclock_require_gps=True)
    error = assert_tommy_error(punch(employee, "start", latitude=1.0), 422)
    assert set(error["details"]) == {"longitude"}
    assert punch(employee, "start", latitude=1.0, longitude=2.0).status_code == 201
    assert_tommy_error(punch(employee, "pause"), 422)  # every clock action carries a position


def test_photo_required_on_clock_in_and_out(employee, team, clock):
    set_workforce(team, timeclock_require_photo=True)
    assert "image" in assert_tommy_error(punch(employee, "start"), 422)["details"]
    assert punch(employee, "start", image={"signed_id": "s1"}).status_code == 201
    assert punch(employee, "pause").status_code == 200  # breaks need no photo
    assert punch(employee, "resume").status_code == 200
    assert_tommy_error(punch(employee, "stop"), 422)
    assert punch(employee, "stop", image={"signed_id": "s2"}).status_code == 200


@pytest.mark.parametrize(
    ("team_settings", "channel", "status"),
    [
        ({}, None, 201),  # mobile is the default channel
        ({"timeclock_enable_mobile": False}, None, 403),
        ({"timeclock_enable_web": False}, "web", 403),
        ({}, "kiosk", 403),  # kiosk is off by default
        ({"timeclock_enable_kiosk": True}, "kiosk", 201),
        ({"timeclock_enable_mobile": False}, "web", 201),
    ],
)
def test_clock_channels_follow_the_settings(employee, team, clock, team_settings, channel, status):
    set_workforce(team, **team_settings)
    body = {"channel": channel} if channel else {}
    response = punch(employee, "start", **body)
    if status == 403:
        assert_tommy_error(response, 403)
    else:
        assert response.status_code == status


# --- shifts, notices and timesheet items ---------------------------------------------------------------------


def test_event_id_links_the_session_to_the_callers_shift(employee, teammate, team, clock):
    shift = make_shift(team, teammate)
    response = punch(employee, "start", event_id=shift.event_id)
    assert response.status_code == 201
    assert response.json()["event_id"] == shift.event_id
    assert Attendance.objects.get(pk=response.json()["id"]).shift == shift
    item = TimesheetItem.objects.get(shift=shift, user=teammate)
    assert item.active is True
    assert item.manual is False
    assert item.work_hours == 0


def test_event_id_of_someone_elses_or_unknown_shift_is_422(employee, owner, team, other_team, outsider, clock):
    assert (
        "event_id"
        in assert_tommy_error(punch(employee, "start", event_id=make_shift(team, owner).event_id), 422)["details"]
    )
    foreign = make_shift(other_team, outsider)
    assert_tommy_error(punch(employee, "start", event_id=foreign.event_id), 422)
    assert_tommy_error(punch(employee, "start", event_id=999999), 422)


def test_clock_in_cancels_the_pending_forgot_clock_in_notice(employee, teammate, owner, team, clock):
    shift = make_shift(team, teammate)
    due = MONDAY_9AM + datetime.timedelta(minutes=15)
    mine = ShiftNotice.objects.create(team=team, shift=shift, user=teammate, kind="forgot_clock_in", due_at=due)
    upcoming = ShiftNotice.objects.create(team=team, shift=shift, user=teammate, kind="upcoming", due_at=due)
    others = ShiftNotice.objects.create(team=team, shift=shift, user=owner, kind="forgot_clock_in", due_at=due)
    assert punch(employee, "start", event_id=shift.event_id).status_code == 201
    mine.refresh_from_db(), upcoming.refresh_from_db(), others.refresh_from_db()
    assert mine.status == ShiftNotice.Status.CANCELED
    assert upcoming.status == others.status == ShiftNotice.Status.SCHEDULED


def test_a_notice_already_being_sent_is_left_alone(employee, teammate, team, clock):
    shift = make_shift(team, teammate)
    notice = ShiftNotice.objects.create(
        team=team, shift=shift, user=teammate, kind="forgot_clock_in", due_at=MONDAY_9AM, status="sending"
    )
    punch(employee, "start", event_id=shift.event_id)
    notice.refresh_from_db()
    assert notice.status == ShiftNotice.Status.SENDING


def test_stop_writes_the_rounded_hours_on_the_shifts_item(employee, teammate, team, clock):
    set_workforce(team, timesheets_rounding_method="nearest", timesheets_rounding_minutes=15)
    timesheet = Timesheet.objects.create(
        team=team, user=teammate, start_date=datetime.date(2025, 3, 3), end_date=datetime.date(2025, 3, 9)
    )
    shift = make_shift(team, teammate)
    punch(employee, "start", event_id=shift.event_id, address="Depot")
    response = play(employee, clock, [("pause", 180), ("resume", 20), ("stop", 277)])  # 7 h 37 min work, 20 min break
    assert response.status_code == 200
    assert response.json()["ended_at"].startswith("2025-03-03T16:57:00")
    item = TimesheetItem.objects.get(shift=shift, user=teammate)
    assert item.work_hours == 7.5  # nearest 15 minutes
    assert item.break_hours == pytest.approx(20 / 60)  # breaks are not rounded unless the team says so
    assert (item.active, item.manual, item.timesheet) == (False, False, timesheet)
    assert item.address == "Depot"


def test_break_rounding_when_enabled(employee, teammate, team, clock):
    set_workforce(
        team, timesheets_rounding_method="up", timesheets_rounding_minutes=15, timesheets_enable_break_rounding=True
    )
    shift = make_shift(team, teammate)
    punch(employee, "start", event_id=shift.event_id)
    play(employee, clock, [("pause", 60), ("resume", 20), ("stop", 61)])
    item = TimesheetItem.objects.get(shift=shift, user=teammate)
    assert (item.work_hours, item.break_hours) == (2.25, 0.5)


def test_two_sessions_on_one_shift_add_up_on_one_item(employee, teammate, team, clock):
    shift = make_shift(team, teammate)
    punch(employee, "start", event_id=shift.event_id)
    play(employee, clock, [("stop", 120)])
    clock.advance(minutes=30)
    punch(employee, "start", event_id=shift.event_id)
    assert TimesheetItem.objects.get(shift=shift).active is True
    play(employee, clock, [("stop", 90)])
    item = TimesheetItem.objects.get(shift=shift, user=teammate)
    assert (item.work_hours, item.active) == (3.5, False)


def test_an_approved_covering_timesheet_is_not_used(employee, teammate, team, clock):
    Timesheet.objects.create(
        team=team, user=teammate, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 31),
        status="approved",
    )  # fmt: skip
    shift = make_shift(team, teammate)
    punch(employee, "start", event_id=shift.event_id)
    play(employee, clock, [("stop", 60)])
    assert TimesheetItem.objects.get(shift=shift).timesheet is None


def test_clock_in_on_a_shift_whose_item_is_locked_is_422(employee, teammate, team, clock):
    timesheet = Timesheet.objects.create(
        team=team, user=teammate, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 31),
        status="approved",
    )  # fmt: skip
    shift = make_shift(team, teammate)
    TimesheetItem.objects.create(team=team, shift=shift, user=teammate, timesheet=timesheet, work_hours=8)
    assert_tommy_error(punch(employee, "start", event_id=shift.event_id), 422)
    assert not Attendance.objects.filter(user=teammate).exists()  # nothing half-done


# --- reading ------------------------------------------------------------------------------------------------------


def test_active_is_the_callers_open_session_or_404(employee, manager, clock):
    assert_tommy_error(employee.get(f"{MINE}/active"), 404)
    punch(manager, "start")  # someone else's session is not mine
    assert_tommy_error(employee.get(f"{MINE}/active"), 404)
    session_id = punch(employee, "start").json()["id"]
    response = employee.get(f"{MINE}/active/")
    assert response.status_code == 200
    assert response.json()["id"] == session_id
    play(employee, clock, [("stop", 10)])
    assert_tommy_error(employee.get(f"{MINE}/active"), 404)


def test_employee_list_and_detail_show_only_their_sessions(employee, manager, clock):
    mine = punch(employee, "start").json()["id"]
    theirs = punch(manager, "start").json()["id"]
    response = employee.get(MINE)
    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [mine]
    assert employee.get(f"{MINE}/{mine}").json()["id"] == mine
    assert_tommy_error(employee.get(f"{MINE}/{theirs}"), 404)
    assert_tommy_error(employee.put(f"{MINE}/{theirs}", {"status": "stop"}, format="json"), 404)


def test_another_teams_session_is_404(rival, employee, clock):
    session_id = punch(employee, "start").json()["id"]
    assert_tommy_error(rival.get(f"{TEAM}/{session_id}"), 404)
    assert_tommy_error(rival.put(f"{TEAM}/{session_id}", {"address": "x"}, format="json"), 404)
    assert rival.get(TEAM).json() == []


def test_manager_active_lists_who_is_clocked_in(employee, manager, owner, teammate, team, rival, clock):
    punch(employee, "start")
    punch(manager, "start")
    punch(rival, "start")
    stopped = UserFactory()
    MembershipFactory(team=team, user=stopped)
    c = user_client(stopped)
    play(c, clock, [("start", 0), ("stop", 10)])
    response = manager.get(f"{TEAM}/active")
    assert response.status_code == 200
    assert sorted(a["user_id"] for a in response.json()) == sorted([owner.pk, teammate.pk])


def test_employee_on_a_manager_path_is_403(employee):
    assert_tommy_error(employee.get(TEAM), 403)
    assert_tommy_error(employee.get(f"{TEAM}/active"), 403)
    assert_tommy_error(employee.post(TEAM, {"status": "start"}, format="json"), 403)


def test_nobody_deletes_attendances(employee, manager, clock):
    session_id = punch(employee, "start").json()["id"]
    assert_tommy_error(employee.delete(f"{MINE}/{session_id}"), 405)
    assert_tommy_error(manager.delete(f"{TEAM}/{session_id}"), 405)
    assert_tommy_error(employee.patch(f"{MINE}/{session_id}", {}, format="json"), 405)
    assert Attendance.objects.filter(pk=session_id).exists()


# --- manager clock actions and corrections ---------------------------------------------------------------------


def test_manager_clocks_in_a_team_member(manager, teammate, clock):
    response = punch(manager, "start", url=TEAM, user_id=teammate.pk, channel="web")
    assert response.status_code == 201
    assert response.json()["user_id"] == teammate.pk
    assert Attendance.objects.get(user=teammate).status == "start"
    assert punch(manager, "stop", url=TEAM, user_id=teammate.pk).status_code == 200


def test_manager_clock_in_of_a_non_member_is_422(manager, outsider, clock):
    assert "user_id" in assert_tommy_error(punch(manager, "start", url=TEAM, user_id=outsider.pk), 422)["details"]


def test_manager_correction_keeps_the_original_values(employee, manager, owner, teammate, team, clock):
    shift = make_shift(team, teammate)
    session_id = punch(employee, "start", event_id=shift.event_id, latitude=1.0, longitude=2.0).json()["id"]
    play(employee, clock, [("stop", 480)])
    assert TimesheetItem.objects.get(shift=shift).work_hours == 8
    new_start = (MONDAY_9AM + datetime.timedelta(hours=1)).isoformat()
    response = manager.put(f"{TEAM}/{session_id}", {"started_at": new_start, "latitude": 1.5}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["started_at"].startswith("2025-03-03T10:00:00")
    assert response.json()["latitude"] == 1.5
    edit = AttendanceEdit.objects.get(attendance_id=session_id)
    assert edit.edited_by == owner
    assert edit.changes["latitude"] == [1.0, 1.5]
    assert edit.changes["started_at"][0].startswith("2025-03-03T09:00:00")
    assert edit.changes["started_at"][1].startswith("2025-03-03T10:00:00")
    start_punch = AttendancePunch.objects.get(attendance_id=session_id, status="start")
    assert start_punch.at == MONDAY_9AM + datetime.timedelta(hours=1)
    assert TimesheetItem.objects.get(shift=shift).work_hours == 7  # recomputed


def test_manager_corrects_a_single_punch(employee, manager, teammate, team, clock):
    shift = make_shift(team, teammate)
    session_id = punch(employee, "start", event_id=shift.event_id).json()["id"]
    data = play(employee, clock, [("pause", 240), ("resume", 60), ("stop", 240)]).json()
    resume = next(p for p in data["punches"] if p["status"] == "resume")
    earlier = (MONDAY_9AM + datetime.timedelta(hours=4, minutes=30)).isoformat()
    response = manager.put(f"{TEAM}/{session_id}", {"punches": [{"id": resume["id"], "at": earlier}]}, format="json")
    assert response.status_code == 200, response.content
    edit = AttendanceEdit.objects.get(attendance_id=session_id)
    assert edit.punch_id == resume["id"]
    assert list(edit.changes) == ["at"]
    item = TimesheetItem.objects.get(shift=shift)
    assert (item.work_hours, item.break_hours) == (8.5, 0.5)


def test_a_correction_that_breaks_the_order_is_422(employee, manager, clock):
    session_id = play(employee, clock, [("start", 0), ("pause", 60), ("resume", 10), ("stop", 60)]).json()["id"]
    late_start = (MONDAY_9AM + datetime.timedelta(hours=5)).isoformat()
    assert_tommy_error(manager.put(f"{TEAM}/{session_id}", {"started_at": late_start}, format="json"), 422)
    assert not AttendanceEdit.objects.exists()


def test_ended_at_of_an_open_session_cannot_be_corrected(employee, manager, clock):
    session_id = punch(employee, "start").json()["id"]
    body = {"ended_at": MONDAY_9AM.isoformat()}
    assert "ended_at" in assert_tommy_error(manager.put(f"{TEAM}/{session_id}", body, format="json"), 422)["details"]


def test_manager_clocks_out_someone_who_forgot(employee, manager, teammate, team, clock):
    set_workforce(team, timeclock_require_gps=True)
    session_id = punch(employee, "start", latitude=1.0, longitude=1.0).json()["id"]
    clock.advance(hours=2)
    response = manager.put(f"{TEAM}/{session_id}", {"status": "stop"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "stop"
    assert not Attendance.objects.filter(user=teammate).exclude(status="stop").exists()


def test_manager_links_a_session_to_the_shift(employee, manager, teammate, team, clock):
    shift = make_shift(team, teammate)
    session_id = play(employee, clock, [("start", 0), ("stop", 60)]).json()["id"]
    assert not TimesheetItem.objects.exists()
    response = manager.put(f"{TEAM}/{session_id}", {"event_id": shift.event_id}, format="json")
    assert response.status_code == 200
    assert response.json()["event_id"] == shift.event_id
    assert TimesheetItem.objects.get(shift=shift, user=teammate).work_hours == 1
    assert AttendanceEdit.objects.get(attendance_id=session_id).changes == {"event_id": [None, shift.event_id]}


def test_correcting_a_session_on_an_approved_timesheet_is_422(employee, manager, teammate, team, clock):
    shift = make_shift(team, teammate)
    session_id = punch(employee, "start", event_id=shift.event_id).json()["id"]
    play(employee, clock, [("stop", 60)])
    timesheet = Timesheet.objects.create(
        team=team, user=teammate, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 31),
        status="approved",
    )  # fmt: skip
    TimesheetItem.objects.filter(shift=shift).update(timesheet=timesheet)
    body = {"address": "Somewhere else"}
    assert_tommy_error(manager.put(f"{TEAM}/{session_id}", body, format="json"), 422)
    assert not AttendanceEdit.objects.exists()


# --- query budgets ----------------------------------------------------------------------------------------------


def _sessions(team, users, count: int):
    for n in range(count):
        user = users[n % len(users)]
        session = Attendance.objects.create(
            team=team, user=user, status="stop", started_at=MONDAY_9AM, ended_at=MONDAY_9AM
        )
        AttendancePunch.objects.create(attendance=session, status="start", at=MONDAY_9AM)
        AttendancePunch.objects.create(attendance=session, status="stop", at=MONDAY_9AM)


@pytest.mark.parametrize("count", [2, 12])
def test_lists_cost_constant_queries(employee, manager, owner, teammate, team, django_assert_max_num_queries, count):
    employee.get(MINE), manager.get(TEAM)  # the once-a-minute presence writes
    _sessions(team, [owner, teammate], count)
    Attendance.objects.filter(pk=Attendance.objects.filter(user=teammate).first().pk).update(status="start")
    with django_assert_max_num_queries(7):
        assert len(employee.get(MINE).json()) == count // 2
    with django_assert_max_num_queries(7):
        assert len(manager.get(TEAM).json()) == count
    with django_assert_max_num_queries(7):
        assert len(manager.get(f"{TEAM}/active").json()) == 1
