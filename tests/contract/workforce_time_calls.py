"""Calls for the tommy workforce time samples (attendances, timesheets, timesheet items), merged into CALLS of
test_tommy_contract.py (kept apart so that each helper edits only its own block).

Every call fills the documented fields first (a clock session on the owner's shift with a position and a photo; a
timesheet with its resource; items with their shift and timesheet), so that no field is legitimately null.
`GET /workforce/manager/attendances/active` answers a list (the spec's suggestion); its copied sample is that list.
"""

import datetime

from django.utils import timezone

from accounts.models import Membership
from workforce.models import Event, Shift, Timesheet, TimesheetItem

API = "/api/v1/workforce"
WHERE = {"latitude": 52.52, "longitude": 13.40, "accuracy": 5.0, "address": "Main St 1", "location_name": "Depot"}


def _team(ctx):
    return Membership.objects.filter(user=ctx["owner"]).select_related("team").first().team


def _shift(ctx, days: int = 0) -> Shift:
    team, start = _team(ctx), timezone.now() + datetime.timedelta(days=days)
    end = start + datetime.timedelta(hours=8)
    event = Event.objects.create(team=team, kind="shift", title="Shift", start_at=start, end_at=end)
    return Shift.objects.create(
        team=team, assignee=ctx["owner"], event=event, start_at=start, end_at=end, status=Shift.Status.PUBLISHED
    )


def _clock_in(ctx, url: str = f"{API}/attendances") -> int:
    body = {"status": "start", "event_id": _shift(ctx).event_id, "image": {"signed_id": "photo"}, **WHERE}
    response = ctx["tommy_client"].post(url, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _timesheet(ctx) -> Timesheet:
    today = timezone.localdate()
    return Timesheet.objects.create(
        team=_team(ctx),
        user=ctx["owner"],
        resource_type="User",
        resource_id=ctx["owner"].pk,
        start_date=today - datetime.timedelta(days=3),
        end_date=today + datetime.timedelta(days=3),
    )


def _item(ctx) -> TimesheetItem:
    timesheet = _timesheet(ctx)
    return TimesheetItem.objects.create(
        team=timesheet.team, timesheet=timesheet, shift=_shift(ctx), user=ctx["owner"], work_hours=8, address="Depot"
    )


# --- attendances ---------------------------------------------------------------------------------------------------


def call_attendances(ctx):
    _clock_in(ctx)
    return ctx["tommy_client"].get(f"{API}/attendances")


def call_attendance_create(ctx):
    body = {"status": "start", "event_id": _shift(ctx).event_id, "image": {"signed_id": "photo"}, **WHERE}
    return ctx["tommy_client"].post(f"{API}/attendances", body, format="json")


def call_attendance_active(ctx):
    _clock_in(ctx)
    return ctx["tommy_client"].get(f"{API}/attendances/active")


def call_attendance(ctx):
    return ctx["tommy_client"].get(f"{API}/attendances/{_clock_in(ctx)}")


def call_attendance_update(ctx):
    session_id = _clock_in(ctx)
    return ctx["tommy_client"].put(f"{API}/attendances/{session_id}", {"status": "pause", **WHERE}, format="json")


def call_manager_attendances(ctx):
    _clock_in(ctx)
    return ctx["tommy_client"].get(f"{API}/manager/attendances")


def call_manager_attendance_create(ctx):
    body = {"status": "start", "user_id": ctx["owner"].pk, "event_id": _shift(ctx).event_id, "image": {}, **WHERE}
    return ctx["tommy_client"].post(f"{API}/manager/attendances", body, format="json")


def call_manager_attendances_active(ctx):
    _clock_in(ctx)
    return ctx["tommy_client"].get(f"{API}/manager/attendances/active")


def call_manager_attendance(ctx):
    return ctx["tommy_client"].get(f"{API}/manager/attendances/{_clock_in(ctx)}")


def call_manager_attendance_update(ctx):
    session_id = _clock_in(ctx)
    return ctx["tommy_client"].put(f"{API}/manager/attendances/{session_id}", {"address": "Gate 2"}, format="json")


# --- timesheets ---------------------------------------------------------------------------------------------------


def call_timesheets(ctx):
    _timesheet(ctx)
    return ctx["tommy_client"].get(f"{API}/timesheets")


def call_timesheet(ctx):
    return ctx["tommy_client"].get(f"{API}/timesheets/{_timesheet(ctx).pk}")


def call_timesheet_update(ctx):
    return ctx["tommy_client"].put(f"{API}/timesheets/{_timesheet(ctx).pk}", {"status": "submitted"}, format="json")


def call_manager_timesheets(ctx):
    _timesheet(ctx)
    return ctx["tommy_client"].get(f"{API}/manager/timesheets")


def call_manager_timesheet_create(ctx):
    body = {"resource_type": "User", "resource_id": ctx["owner"].pk, "start_date": "2024-01-01",
            "end_date": "2024-01-14", "manual": True}  # fmt: skip
    return ctx["tommy_client"].post(f"{API}/manager/timesheets", body, format="json")


def call_manager_timesheet(ctx):
    return ctx["tommy_client"].get(f"{API}/manager/timesheets/{_timesheet(ctx).pk}")


def call_manager_timesheet_update(ctx):
    url = f"{API}/manager/timesheets/{_timesheet(ctx).pk}"
    return ctx["tommy_client"].put(url, {"status": "approved"}, format="json")


def call_manager_timesheets_bulk_update(ctx):
    body = {"timesheet_ids": [_timesheet(ctx).pk], "status": "approved"}
    return ctx["tommy_client"].put(f"{API}/manager/timesheets/bulk_update", body, format="json")


# --- timesheet items ----------------------------------------------------------------------------------------------


def call_items(ctx):
    _item(ctx)
    return ctx["tommy_client"].get(f"{API}/timesheet_items")


def call_item_create(ctx, url: str = f"{API}/timesheet_items"):
    body = {"timesheet_id": _timesheet(ctx).pk, "shift_id": _shift(ctx).pk, "work_hours": 7.5, "break_hours": 0.5,
            "address": "Depot", "manual": True}  # fmt: skip
    return ctx["tommy_client"].post(url, body, format="json")


def call_item(ctx):
    return ctx["tommy_client"].get(f"{API}/timesheet_items/{_item(ctx).pk}")


def call_item_update(ctx):
    item = _item(ctx)
    return ctx["tommy_client"].put(f"{API}/timesheet_items/{item.pk}", {"address": "Gate 2"}, format="json")


def call_manager_items(ctx):
    _item(ctx)
    return ctx["tommy_client"].get(f"{API}/manager/timesheet_items")


def call_manager_item_create(ctx):
    return call_item_create(ctx, url=f"{API}/manager/timesheet_items")


def call_manager_item(ctx):
    return ctx["tommy_client"].get(f"{API}/manager/timesheet_items/{_item(ctx).pk}")


def call_manager_item_update(ctx):
    item = _item(ctx)
    return ctx["tommy_client"].put(f"{API}/manager/timesheet_items/{item.pk}", {"work_hours": 7.75}, format="json")


TIME_CALLS = {
    ("GET", "/workforce/attendances"): (call_attendances, 200),
    ("POST", "/workforce/attendances"): (call_attendance_create, 201),
    ("GET", "/workforce/attendances/active"): (call_attendance_active, 200),
    ("GET", "/workforce/attendances/{id}"): (call_attendance, 200),
    ("PUT", "/workforce/attendances/{id}"): (call_attendance_update, 200),
    ("GET", "/workforce/manager/attendances"): (call_manager_attendances, 200),
    ("POST", "/workforce/manager/attendances"): (call_manager_attendance_create, 201),
    ("GET", "/workforce/manager/attendances/active"): (call_manager_attendances_active, 200),
    ("GET", "/workforce/manager/attendances/{id}"): (call_manager_attendance, 200),
    ("PUT", "/workforce/manager/attendances/{id}"): (call_manager_attendance_update, 200),
    ("GET", "/workforce/timesheets"): (call_timesheets, 200),
    ("GET", "/workforce/timesheets/{id}"): (call_timesheet, 200),
    ("PUT", "/workforce/timesheets/{id}"): (call_timesheet_update, 200),
    ("GET", "/workforce/manager/timesheets"): (call_manager_timesheets, 200),
    ("POST", "/workforce/manager/timesheets"): (call_manager_timesheet_create, 201),
    ("GET", "/workforce/manager/timesheets/{id}"): (call_manager_timesheet, 200),
    ("PUT", "/workforce/manager/timesheets/{id}"): (call_manager_timesheet_update, 200),
    ("PUT", "/workforce/manager/timesheets/bulk_update"): (call_manager_timesheets_bulk_update, 200),
    ("GET", "/workforce/timesheet_items"): (call_items, 200),
    ("POST", "/workforce/timesheet_items"): (call_item_create, 201),
    ("GET", "/workforce/timesheet_items/{id}"): (call_item, 200),
    ("PUT", "/workforce/timesheet_items/{id}"): (call_item_update, 200),
    ("GET", "/workforce/manager/timesheet_items"): (call_manager_items, 200),
    ("POST", "/workforce/manager/timesheet_items"): (call_manager_item_create, 201),
    ("GET", "/workforce/manager/timesheet_items/{id}"): (call_manager_item, 200),
    ("PUT", "/workforce/manager/timesheet_items/{id}"): (call_manager_item_update, 200),
}
