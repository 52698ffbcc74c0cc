"""Calls for the workforce people samples (settings, employees, availabilities, shift questions and answers,
events), merged into CALLS of test_tommy_contract.py. Each call fills the documented fields first so that none is
legitimately null; `addons_install_id` of an Event is null until addons create events (listed as unset)."""

import datetime

from accounts.models import Membership
from workforce.models import Attendance, Availability, Event, Shift, ShiftQuestion

DAY = "2024-01-15"
EVENT_UNSET = ("$.addons_install_id",)
EVENTS_UNSET = ("$[0].addons_install_id",)


def _membership(ctx) -> Membership:
    membership = Membership.objects.select_related("team").filter(user=ctx["owner"]).first()
    membership.roles, membership.locations, membership.tags = ["Chef"], ["Downtown"], ["7"]
    membership.save()
    return membership


def _shift(ctx) -> Shift:
    membership = _membership(ctx)
    start = datetime.datetime(2030, 1, 15, 9, 30, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(hours=8)
    event = Event.objects.create(team=membership.team, kind="shift", title="Bar", start_at=start, end_at=end)
    shift = Shift.objects.create(
        team=membership.team,
        event=event,
        assignee=ctx["owner"],
        status=Shift.Status.PUBLISHED,
        start_at=start,
        end_at=end,
    )
    ShiftQuestion.objects.create(team=membership.team, text="Damage?", when="end_shift", tag_ids=[7])
    return shift


def _event(ctx) -> Event:
    team = _membership(ctx).team
    start = datetime.datetime(2024, 1, 15, 9, 30, tzinfo=datetime.UTC)
    return Event.objects.create(
        team=team,
        user=ctx["owner"],
        kind="meeting",
        title="Standup",
        details="Daily",
        location_name="HQ",
        color="#00ff00",
        start_at=start,
        end_at=start + datetime.timedelta(hours=1),
    )


def call_get_workforce(ctx):
    return ctx["tommy_client"].get("/api/v1/workforce")


def call_put_workforce(ctx):
    return ctx["tommy_client"].put("/api/v1/workforce", {"name": "Kitchen", "week_start": "turesday"}, format="json")


def call_list_employees(ctx):
    _membership(ctx)
    return ctx["tommy_client"].get("/api/v1/workforce/manager/employees")


def call_get_employee(ctx):
    _membership(ctx)
    return ctx["tommy_client"].get(f"/api/v1/workforce/manager/employees/{ctx['owner'].pk}")


def call_put_employee(ctx):
    membership = _membership(ctx)
    body = {"user_id": ctx["owner"].pk, "team_id": membership.team_id, "favorite": True, "has_vehicle": True}
    return ctx["tommy_client"].put(f"/api/v1/workforce/manager/employees/{ctx['owner'].pk}", body, format="json")


def _availability(ctx) -> Availability:
    team = _membership(ctx).team
    return Availability.objects.create(team=team, user=ctx["owner"], date=datetime.date(2024, 1, 15), am=1)


def call_list_availabilities(ctx):
    _availability(ctx)
    return ctx["tommy_client"].get("/api/v1/workforce/availabilities")


def call_get_availability(ctx):
    _availability(ctx)
    return ctx["tommy_client"].get(f"/api/v1/workforce/availabilities/{DAY}")


def call_put_availability(ctx):
    body = {"am": 1, "pm": 0, "nd": 2, "date": DAY}
    return ctx["tommy_client"].put(f"/api/v1/workforce/availabilities/{DAY}", body, format="json")


def call_create_question(ctx):
    body = {"text": "Any damage?", "offset_minutes": 0, "when": "always", "always": True, "tag_ids": [3]}
    return ctx["tommy_client"].post("/api/v1/workforce/manager/shift_questions", body, format="json")


def call_shift_questions(ctx):
    return ctx["tommy_client"].get(f"/api/v1/workforce/shifts/{_shift(ctx).pk}/questions")


def call_shift_answer(ctx):
    shift = _shift(ctx)
    attendance = Attendance.objects.create(team=shift.team, user=ctx["owner"], event=shift.event, status="stop")
    body = {"shift_question_id": ShiftQuestion.objects.get().pk, "attendance_id": attendance.pk, "text": "None"}
    return ctx["tommy_client"].post(f"/api/v1/workforce/shifts/{shift.pk}/answers", body, format="json")


def call_list_events(ctx):
    _event(ctx)
    return ctx["tommy_client"].get("/api/v1/events"), EVENTS_UNSET


def call_create_event(ctx):
    body = {
        "kind": "meeting",
        "title": "Standup",
        "details": "Daily",
        "location_name": "HQ",
        "color": "#00ff00",
        "start_at": "2024-01-15T09:30:00Z",
        "end_at": "2024-01-15T10:30:00Z",
    }
    return ctx["tommy_client"].post("/api/v1/events", body, format="json"), EVENT_UNSET


def call_get_event(ctx):
    return ctx["tommy_client"].get(f"/api/v1/events/{_event(ctx).pk}"), EVENT_UNSET


def call_put_event(ctx):
    response = ctx["tommy_client"].put(f"/api/v1/events/{_event(ctx).pk}", {"title": "Renamed"}, format="json")
    return response, EVENT_UNSET


def call_delete_event(ctx):
    return ctx["tommy_client"].delete(f"/api/v1/events/{_event(ctx).pk}"), EVENT_UNSET


PEOPLE_CALLS = {
    ("GET", "/workforce"): (call_get_workforce, 200),
    ("PUT", "/workforce"): (call_put_workforce, 200),
    ("GET", "/workforce/manager/employees"): (call_list_employees, 200),
    ("GET", "/workforce/manager/employees/{user_id}"): (call_get_employee, 200),
    ("PUT", "/workforce/manager/employees/{user_id}"): (call_put_employee, 200),
    ("GET", "/workforce/availabilities"): (call_list_availabilities, 200),
    ("GET", "/workforce/availabilities/{date}"): (call_get_availability, 200),
    ("PUT", "/workforce/availabilities/{date}"): (call_put_availability, 200),
    ("POST", "/workforce/manager/shift_questions"): (call_create_question, 201),
    ("GET", "/workforce/shifts/{id}/questions"): (call_shift_questions, 200),
    ("POST", "/workforce/shifts/{id}/answers"): (call_shift_answer, 201),
    ("GET", "/events"): (call_list_events, 200),
    ("POST", "/events"): (call_create_event, 201),
    ("GET", "/events/{id}"): (call_get_event, 200),
    ("PUT", "/events/{id}"): (call_put_event, 200),
    ("DELETE", "/events/{id}"): (call_delete_event, 200),
}
