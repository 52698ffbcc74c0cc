"""Calls for the workforce shift and shift-request samples, merged into CALLS of test_tommy_contract.py (kept apart so
that each helper edits only its own block). The tommy client acts as the team's owner, a manager who is also an
employee of the team; every shift is assigned and has a location so that no documented field is legitimately null."""

import datetime

from django.utils import timezone

from workforce.models import Shift, ShiftRequest
from workforce.services import shifts as shift_services

BASE = "/api/v1/workforce"


def _team(ctx):
    return ctx["owner"].memberships.select_related("team").first().team


def _shift(ctx, *, hours_from_now: float = 24, status: str = "published", assignee=True) -> Shift:
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours_from_now)
    return shift_services.shift_create(
        team=_team(ctx),
        by=ctx["owner"],
        start_at=start,
        end_at=start + datetime.timedelta(hours=8),
        status=status,
        assignee=ctx["owner"] if assignee else None,
        force=True,
        title="Contract shift",
        location_id=7,
        location_name="Downtown",
    )


def _request(ctx) -> ShiftRequest:
    shift = _shift(ctx, assignee=False)
    return ShiftRequest.objects.create(team=shift.team, shift=shift, user=ctx["owner"], requestor=ctx["owner"])


def call_shifts(ctx):
    _shift(ctx)
    return ctx["tommy_client"].get(f"{BASE}/shifts")


def call_shifts_active(ctx):
    _shift(ctx, hours_from_now=-1)
    return ctx["tommy_client"].get(f"{BASE}/shifts/active")


def call_shift(ctx):
    return ctx["tommy_client"].get(f"{BASE}/shifts/{_shift(ctx).pk}")


def call_manager_shifts(ctx):
    _shift(ctx)
    return ctx["tommy_client"].get(f"{BASE}/manager/shifts")


def call_manager_shift_create(ctx):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    body = {
        "title": "Example Title",
        "start_at": start.isoformat(),
        "end_at": (start + datetime.timedelta(hours=8)).isoformat(),
        "status": "assigned",
        "assignee_id": ctx["owner"].pk,
        "location_id": 0,
        "location_name": "string",
        "role": "string",
        "department": "string",
        "details": "string",
        "data": {},
    }
    return ctx["tommy_client"].post(f"{BASE}/manager/shifts", body, format="json")


def call_manager_shift(ctx):
    return ctx["tommy_client"].get(f"{BASE}/manager/shifts/{_shift(ctx).pk}")


def call_manager_shift_update(ctx):
    return ctx["tommy_client"].put(f"{BASE}/manager/shifts/{_shift(ctx).pk}", {"title": "Renamed"}, format="json")


def call_manager_shift_delete(ctx):
    return ctx["tommy_client"].delete(f"{BASE}/manager/shifts/{_shift(ctx).pk}")


def call_shift_request_create(ctx):
    shift = _shift(ctx, assignee=False)
    return ctx["tommy_client"].post(f"{BASE}/shift_requests", {"shift_id": shift.pk}, format="json")


def call_shift_request_update(ctx):
    url = f"{BASE}/shift_requests/{_request(ctx).pk}"
    return ctx["tommy_client"].put(url, {"status": "canceled"}, format="json")


def call_shift_request_delete(ctx):
    return ctx["tommy_client"].delete(f"{BASE}/shift_requests/{_request(ctx).pk}")


def call_manager_shift_requests(ctx):
    _request(ctx)
    return ctx["tommy_client"].get(f"{BASE}/manager/shift_requests")


def call_manager_shift_request_create(ctx):
    shift = _shift(ctx, assignee=False)
    body = {"user_id": ctx["owner"].pk, "shift_id": shift.pk, "status": "requested"}
    return ctx["tommy_client"].post(f"{BASE}/manager/shift_requests", body, format="json")


def call_manager_shift_request(ctx):
    return ctx["tommy_client"].get(f"{BASE}/manager/shift_requests/{_request(ctx).pk}")


def call_manager_shift_request_update(ctx):
    request = _request(ctx)
    body = {"user_id": request.user_id, "shift_id": request.shift_id, "status": "shortlisted"}
    return ctx["tommy_client"].put(f"{BASE}/manager/shift_requests/{request.pk}", body, format="json")


SHIFT_CALLS = {
    ("GET", "/workforce/shifts"): (call_shifts, 200),
    ("GET", "/workforce/shifts/active"): (call_shifts_active, 200),
    ("GET", "/workforce/shifts/{id}"): (call_shift, 200),
    ("GET", "/workforce/manager/shifts"): (call_manager_shifts, 200),
    ("POST", "/workforce/manager/shifts"): (call_manager_shift_create, 201),
    ("GET", "/workforce/manager/shifts/{id}"): (call_manager_shift, 200),
    ("PUT", "/workforce/manager/shifts/{id}"): (call_manager_shift_update, 200),
    ("DELETE", "/workforce/manager/shifts/{id}"): (call_manager_shift_delete, 200),
    ("POST", "/workforce/shift_requests"): (call_shift_request_create, 201),
    ("PUT", "/workforce/shift_requests/{id}"): (call_shift_request_update, 200),
    ("DELETE", "/workforce/shift_requests/{id}"): (call_shift_request_delete, 200),
    ("GET", "/workforce/manager/shift_requests"): (call_manager_shift_requests, 200),
    ("POST", "/workforce/manager/shift_requests"): (call_manager_shift_request_create, 201),
    ("GET", "/workforce/manager/shift_requests/{id}"): (call_manager_shift_request, 200),
    ("PUT", "/workforce/manager/shift_requests/{id}"): (call_manager_shift_request_update, 200),
}
