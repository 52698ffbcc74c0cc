"""POST /team/demo_data/apply and DELETE /team/demo_data/reset (spec tommy-2): a background Sync that builds a
realistic team, and a reset that removes exactly the generated rows."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Membership, User
from automations.demo.themes import SEED_TYPES
from automations.models import DemoRecord, Sync
from automations.tasks import demo_apply_task
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_tommy_error
from tests.workforce.notices_support import clock_in, make_shift
from workforce.models import (
    Attendance,
    AttendancePunch,
    Event,
    Shift,
    ShiftRequest,
    Timesheet,
    TimesheetItem,
)

pytestmark = pytest.mark.django_db

APPLY, RESET = "/api/v1/team/demo_data/apply", "/api/v1/team/demo_data/reset"
BODY = {"seed_type": "hospitality", "options": {"number_of_team_members": 5, "number_of_shifts": 21}}
GENERATED = [User, Membership, Event, Shift, ShiftRequest, Attendance, AttendancePunch, Timesheet, TimesheetItem]


def _records(team) -> Counter:
    return Counter(
        f"{ct.app_label}.{ct.model}"
        for ct in (
            ContentType.objects.get_for_id(ct_id)
            for ct_id in DemoRecord.objects.filter(team=team).values_list("content_type_id", flat=True)
        )
    )


# --- apply ---------------------------------------------------------------------------------------------------------


def test_apply_starts_a_sync_and_builds_a_realistic_team(tommy_client, team, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.post(APPLY, BODY, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    assert isinstance(body["message"], str)
    assert body["team_id"] == team.pk
    sync = Sync.objects.get(pk=body["sync_id"])
    assert (sync.team_id, sync.user_id, sync.item_type) == (team.pk, owner.pk, "demo_data:hospitality")
    assert sync.status == Sync.Status.COMPLETE, sync.message
    assert sync.progress_percentage == 100
    assert sync.started_at
    assert sync.ended_at
    assert sync.ended_at >= sync.started_at
    assert sync.success_items == sync.total_items == 5 + 21 + 5
    assert sync.failed_items == 0

    members = User.objects.filter(memberships__team=team, phone__startswith="+7999")
    assert members.count() == 5
    assert all(u.status == User.Status.PENDING and u.first_name and u.last_name for u in members)
    assert all(m.role in ("Chef", "Waiter", "Bartender", "Host") for m in Membership.objects.filter(user__in=members))
    shifts = Shift.objects.filter(team=team)
    assert shifts.count() == 21
    assert Event.objects.filter(team=team).count() == 21
    today = timezone.now()
    assert all(abs(s.start_at - today) < timedelta(days=5) for s in shifts)  # a week around today
    statuses = set(shifts.values_list("status", flat=True))
    assert {Shift.Status.OPEN, Shift.Status.PUBLISHED} <= statuses
    assert not shifts.filter(status=Shift.Status.OPEN, assignee__isnull=False).exists()
    assert ShiftRequest.objects.filter(team=team).exists()
    attendances = Attendance.objects.filter(team=team)
    assert attendances.exists()
    assert set(attendances.values_list("status", flat=True)) == {Attendance.Status.STOP}
    assert AttendancePunch.objects.filter(attendance__team=team).count() == 4 * attendances.count()
    assert Timesheet.objects.filter(team=team).count() == 5
    assert TimesheetItem.objects.filter(team=team, timesheet__isnull=False).exists()

    # Every generated row is marked for the reset, and nothing else is.
    expected = {f"{m._meta.app_label}.{m._meta.model_name}": m.objects.count() for m in GENERATED}
    expected["accounts.user"] = 5
    expected["accounts.membership"] = 5
    assert _records(team) == Counter({label: n for label, n in expected.items() if n})
    assert set(DemoRecord.objects.filter(team=team).values_list("sync_id", flat=True)) == {sync.pk}


def test_apply_answers_before_the_work_and_enqueues_the_task_on_commit(
    tommy_client, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = tommy_client.post(APPLY, BODY, format="json")
    assert response.status_code == 200
    sync = Sync.objects.get(pk=response.json()["sync_id"])
    assert sync.status == Sync.Status.PENDING
    assert sync.started_at is None
    assert not Shift.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    sync.refresh_from_db()
    assert sync.status == Sync.Status.COMPLETE


@pytest.mark.parametrize("seed_type", SEED_TYPES)
def test_every_documented_seed_type_is_accepted(tommy_client, team, seed_type, django_capture_on_commit_callbacks):
    body = {"seed_type": seed_type, "options": {"number_of_team_members": 2, "number_of_shifts": 3}}
    with django_capture_on_commit_callbacks(execute=True):
        response = tommy_client.post(APPLY, body, format="json")
    assert response.status_code == 200, response.content
    sync = Sync.objects.get(pk=response.json()["sync_id"])
    assert sync.status == Sync.Status.COMPLETE
    assert sync.item_type == f"demo_data:{seed_type}"
    assert Shift.objects.filter(team=team).count() == 3


@pytest.mark.parametrize("seed_type", ["gardening", "", None, 7])
def test_invalid_seed_type_is_a_validation_error(tommy_client, seed_type):
    response = tommy_client.post(APPLY, {"seed_type": seed_type}, format="json")
    body = assert_tommy_error(response, 422)
    assert body["message"] == "Invalid seed type"
    assert "seed_type" in body["details"]
    assert not Sync.objects.exists()


@pytest.mark.parametrize(
    "options",
    [
        {"number_of_team_members": 201},
        {"number_of_team_members": 0},
        {"number_of_shifts": 2001},
        {"number_of_timesheets": "many"},
        {"attendance_rate": 1.5},
    ],
)
def test_options_out_of_bounds_are_validation_errors(tommy_client, options):
    response = tommy_client.post(APPLY, {"seed_type": "retail", "options": options}, format="json")
    body = assert_tommy_error(response, 422)
    assert any(key.startswith("options") for key in body["details"])
    assert not Sync.objects.exists()


def test_options_must_be_an_object(tommy_client):
    assert_tommy_error(tommy_client.post(APPLY, {"seed_type": "retail", "options": [1]}, format="json"), 422)


def test_load_testing_options_are_honoured(team, owner, apply_demo):
    options = {"total_team_members": 3, "shifts_per_member_per_week": 2, "weeks_back": 1, "weeks_forward": 1}
    sync = apply_demo(team, owner, "load_testing", options)
    assert sync.status == Sync.Status.COMPLETE
    assert Membership.objects.filter(team=team, user__phone__startswith="+7999").count() == 3
    assert Shift.objects.filter(team=team).count() == 3 * 2 * 2


def test_apply_unauthenticated_is_401(client):
    assert_tommy_error(client.post(APPLY, BODY, format="json"), 401)


def test_apply_by_a_plain_member_is_403(employee_client):
    assert_tommy_error(employee_client.post(APPLY, BODY, format="json"), 403)
    assert not Sync.objects.exists()


def test_apply_other_methods_are_405(tommy_client):
    assert_tommy_error(tommy_client.get(APPLY), 405)
    assert_tommy_error(tommy_client.post(RESET), 405)


def test_a_redelivered_task_does_nothing(team, owner, apply_demo):
    sync = apply_demo(team, owner)
    shifts = Shift.objects.count()
    assert demo_apply_task(sync.pk) is False
    assert Shift.objects.count() == shifts


def test_a_failing_generation_marks_the_sync_failed(team, owner, apply_demo, monkeypatch):
    def boom(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr("automations.demo.builder.DemoBuilder.add_shifts", boom)
    sync = apply_demo(team, owner)
    assert sync.status == Sync.Status.FAILED
    assert "disk full" in sync.message
    assert sync.ended_at is not None
    assert sync.failed_items > 0
    # The members stage committed and is registered, so a reset still removes it.
    assert _records(team)["accounts.user"] == 4
    from automations.services import demo_reset

    demo_reset(team=team)
    assert not User.objects.filter(phone__startswith="+7999").exists()


def test_demo_shifts_get_no_sms_reminders(team, owner, apply_demo, django_capture_on_commit_callbacks):
    from messaging import sms
    from workforce.services.notices import notices_tick

    apply_demo(team, owner)
    with django_capture_on_commit_callbacks(execute=True):
        notices_tick()
    assert sms.outbox == []


# --- reset ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def real_data(team, owner, teammate):
    """Rows a real team made before trying the demo: they must survive the reset."""
    shift = make_shift(team, teammate, timezone.now() - timedelta(hours=10))
    attendance = clock_in(shift, teammate, shift.start_at, status=Attendance.Status.STOP)
    AttendancePunch.objects.create(attendance=attendance, status=Attendance.Status.START, at=shift.start_at)
    request = ShiftRequest.objects.create(team=team, shift=shift, user=teammate, status=ShiftRequest.Status.APPROVED)
    today = timezone.now().date()
    timesheet = Timesheet.objects.create(team=team, user=teammate, start_date=today, end_date=today)
    TimesheetItem.objects.create(team=team, timesheet=timesheet, shift=shift, user=teammate, work_hours=8)
    return [owner, teammate, *Membership.objects.filter(team=team), shift, shift.event, attendance, request, timesheet]


def test_reset_removes_exactly_the_generated_rows(tommy_client, team, owner, real_data, apply_demo):
    before = {m: set(m.objects.values_list("pk", flat=True)) for m in GENERATED}
    apply_demo(team, owner)
    assert Shift.objects.count() > 1
    response = tommy_client.delete(RESET)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    assert body["team_id"] == team.pk
    assert isinstance(body["message"], str)
    after = {m: set(m.objects.values_list("pk", flat=True)) for m in GENERATED}
    assert after == before  # every real row is still there, every generated one is gone
    for row in real_data:
        row.refresh_from_db()
    assert not DemoRecord.objects.filter(team=team).exists()
    assert Sync.objects.filter(team=team).count() == 1  # the sync history stays


def test_reset_leaves_other_teams_demo_data_alone(tommy_client, team, owner, other_team, outsider, apply_demo):
    apply_demo(team, owner)
    apply_demo(other_team, outsider)
    rival_shifts = Shift.objects.filter(team=other_team).count()
    assert tommy_client.delete(RESET).status_code == 200
    assert not Shift.objects.filter(team=team).exists()
    assert Shift.objects.filter(team=other_team).count() == rival_shifts
    assert DemoRecord.objects.filter(team=other_team).exists()


def test_reset_keeps_a_generated_person_who_joined_another_team(tommy_client, team, owner, apply_demo):
    apply_demo(team, owner)
    person = User.objects.filter(memberships__team=team, phone__startswith="+7999").first()
    elsewhere = TeamFactory()
    MembershipFactory(team=elsewhere, user=person)
    assert tommy_client.delete(RESET).status_code == 200
    assert User.objects.filter(pk=person.pk).exists()
    assert not Membership.objects.filter(team=team, user=person).exists()
    assert Membership.objects.filter(team=elsewhere, user=person).exists()


def test_reset_without_demo_data_is_a_no_op(tommy_client, team, real_data):
    counts = {m: m.objects.count() for m in GENERATED}
    response = tommy_client.delete(RESET)
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert {m: m.objects.count() for m in GENERATED} == counts


def test_a_demo_shift_taken_over_by_real_work_keeps_the_real_rows(tommy_client, team, owner, teammate, apply_demo):
    """Real rows that point at generated ones survive (their link is cleared)."""
    apply_demo(team, owner)
    demo_shift = Shift.objects.filter(team=team, status=Shift.Status.PUBLISHED).first()
    real_item = TimesheetItem.objects.create(team=team, shift=None, user=teammate, work_hours=3)
    real_request = ShiftRequest.objects.create(team=team, shift=demo_shift, user=teammate)
    assert tommy_client.delete(RESET).status_code == 200
    real_item.refresh_from_db()
    real_request.refresh_from_db()
    assert real_request.shift_id is None


def test_reset_unauthenticated_is_401(client):
    assert_tommy_error(client.delete(RESET), 401)


def test_reset_by_a_plain_member_is_403(employee_client, team, owner, apply_demo):
    apply_demo(team, owner)
    assert_tommy_error(employee_client.delete(RESET), 403)
    assert DemoRecord.objects.filter(team=team).exists()


def test_reset_acts_on_the_callers_current_team_only(outsider_client, team, owner, apply_demo):
    apply_demo(team, owner)
    assert outsider_client.delete(RESET).status_code == 200
    assert DemoRecord.objects.filter(team=team).exists()


def test_new_member_sees_generated_people_in_the_team(team, owner, apply_demo):
    UserFactory()  # a real user outside the team is untouched by everything
    apply_demo(team, owner, "retail", {"number_of_team_members": 3, "number_of_shifts": 0, "number_of_timesheets": 0})
    assert Membership.objects.filter(team=team).count() == 1 + 3
