"""Shift reminders: planning rows from the team's settings, and sending each due one exactly once (or canceling it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import sms
from messaging.models import Text
from tests.factories import MembershipFactory, UserFactory
from tests.workforce.notices_support import clock_in, make_shift
from workforce.models import Attendance, Shift, ShiftNotice, WorkforceSettings
from workforce.services.notices import MAX_LATENESS, notices_dispatch, notices_plan, notices_tick

pytestmark = pytest.mark.django_db

Kind, Status = ShiftNotice.Kind, ShiftNotice.Status


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def settings_row(team):
    return WorkforceSettings.objects.create(
        team=team,
        shift_upcoming_notification_minutes=60,
        shift_forgot_clockin_minutes=15,
        shift_forgot_clockout_minutes=30,
    )


@pytest.fixture
def shift(team, teammate, now, settings_row):
    return make_shift(team, teammate, now + timedelta(hours=2))


def _notice(shift, kind) -> ShiftNotice:
    return ShiftNotice.objects.get(shift=shift, kind=kind)


def _dispatch(captured, now):
    with captured(execute=True):
        return notices_dispatch(now=now)


# --- planning ------------------------------------------------------------------------------------------------------


def test_plan_writes_one_row_per_kind_with_due_times_from_the_settings(shift, teammate, now):
    assert notices_plan(now=now) == 3
    rows = {n.kind: n for n in ShiftNotice.objects.filter(shift=shift)}
    assert set(rows) == {Kind.UPCOMING, Kind.FORGOT_CLOCK_IN, Kind.FORGOT_CLOCK_OUT}
    assert rows[Kind.UPCOMING].due_at == shift.start_at - timedelta(minutes=60)
    assert rows[Kind.FORGOT_CLOCK_IN].due_at == shift.start_at + timedelta(minutes=15)
    assert rows[Kind.FORGOT_CLOCK_OUT].due_at == shift.end_at + timedelta(minutes=30)
    assert {n.user_id for n in rows.values()} == {teammate.pk}
    assert {n.status for n in rows.values()} == {Status.SCHEDULED}
    assert {n.team_id for n in rows.values()} == {shift.team_id}


def test_plan_is_idempotent(shift, now):
    notices_plan(now=now)
    assert notices_plan(now=now) == 0
    assert ShiftNotice.objects.filter(shift=shift).count() == 3


def test_plan_ignores_open_unpublished_far_and_demo_shifts(team, teammate, now, settings_row):
    make_shift(team, None, now + timedelta(hours=2))  # open: no assignee
    make_shift(team, teammate, now + timedelta(hours=2), status=Shift.Status.ASSIGNED)  # not published
    make_shift(team, teammate, now + timedelta(days=5))  # beyond the look-ahead
    make_shift(team, teammate, now + timedelta(hours=3), data={"demo": True})  # generated demo data
    assert notices_plan(now=now) == 0
    assert not ShiftNotice.objects.exists()


def test_team_without_saved_settings_gets_the_defaults(team, teammate, now):
    shift = make_shift(team, teammate, now + timedelta(hours=2))
    notices_plan(now=now)
    defaults = WorkforceSettings()
    assert _notice(shift, Kind.UPCOMING).due_at == shift.start_at - timedelta(
        minutes=defaults.shift_upcoming_notification_minutes
    )


def test_settings_off_plans_and_sends_nothing(shift, settings_row, now, django_capture_on_commit_callbacks):
    settings_row.shift_notifications_enabled = False
    settings_row.save()
    for minutes in (0, 65, 140, 600):
        with django_capture_on_commit_callbacks(execute=True):
            notices_tick(now=now + timedelta(minutes=minutes))
    assert not ShiftNotice.objects.exists()
    assert sms.outbox == []


def test_plan_refreshes_the_due_time_when_the_shift_moves_earlier(shift, now):
    notices_plan(now=now)
    shift.start_at -= timedelta(minutes=30)
    shift.save()
    notices_plan(now=now)
    assert _notice(shift, Kind.UPCOMING).due_at == shift.start_at - timedelta(minutes=60)


def test_shift_published_after_its_start_gets_no_upcoming_reminder(team, teammate, now, settings_row):
    shift = make_shift(team, teammate, now - timedelta(minutes=5))
    notices_plan(now=now)
    kinds = set(ShiftNotice.objects.filter(shift=shift).values_list("kind", flat=True))
    assert kinds == {Kind.FORGOT_CLOCK_IN, Kind.FORGOT_CLOCK_OUT}


def test_plan_query_count_does_not_grow_with_the_shifts(team, now, settings_row, django_assert_max_num_queries):
    people = [MembershipFactory(team=team).user for _ in range(12)]
    for user in people[:2]:
        make_shift(team, user, now + timedelta(hours=2))
    with django_assert_max_num_queries(6):
        notices_plan(now=now)
    for user in people[2:]:
        make_shift(team, user, now + timedelta(hours=3))
    with django_assert_max_num_queries(6):
        notices_plan(now=now)
    assert ShiftNotice.objects.count() == 36


# --- dispatch ------------------------------------------------------------------------------------------------------


def test_upcoming_reminder_is_sent_once_by_sms_and_recorded(shift, teammate, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    due = shift.start_at - timedelta(minutes=60)
    assert _dispatch(django_capture_on_commit_callbacks, due - timedelta(seconds=1))["sent"] == 0
    assert sms.outbox == []
    result = _dispatch(django_capture_on_commit_callbacks, due)
    assert result["sent"] == 1
    assert _dispatch(django_capture_on_commit_callbacks, due + timedelta(seconds=30))["sent"] == 0
    assert len(sms.outbox) == 1
    message = sms.outbox[0]
    assert message.to == teammate.phone
    assert "Bar shift" in message.body
    assert "Acme Crew" in message.body
    notice = _notice(shift, Kind.UPCOMING)
    assert notice.status == Status.SENT
    assert notice.sent_at == due
    text = Text.objects.get()
    assert notice.text_id == text.pk
    assert (text.purpose, text.team_id, text.to) == (Text.Purpose.NOTIFICATION, shift.team_id, teammate.phone)


def test_clock_in_before_the_deadline_cancels_forgot_clock_in(shift, teammate, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    clock_in(shift, teammate, shift.start_at - timedelta(minutes=3))
    _dispatch(django_capture_on_commit_callbacks, shift.start_at + timedelta(minutes=15))
    assert _notice(shift, Kind.FORGOT_CLOCK_IN).status == Status.CANCELED
    assert not any("not clocked in" in m.body for m in sms.outbox)


def test_no_clock_in_sends_forgot_clock_in(shift, teammate, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    _dispatch(django_capture_on_commit_callbacks, shift.start_at + timedelta(minutes=16))
    assert _notice(shift, Kind.FORGOT_CLOCK_IN).status == Status.SENT
    assert any("not clocked in" in m.body for m in sms.outbox)
    assert _notice(shift, Kind.UPCOMING).status == Status.CANCELED  # the shift had started: too late to remind


def test_session_still_open_after_the_end_sends_forgot_clock_out(
    shift, teammate, now, django_capture_on_commit_callbacks
):
    notices_plan(now=now)
    clock_in(shift, teammate, shift.start_at)
    _dispatch(django_capture_on_commit_callbacks, shift.end_at + timedelta(minutes=31))
    assert _notice(shift, Kind.FORGOT_CLOCK_OUT).status == Status.SENT
    assert any("still clocked in" in m.body for m in sms.outbox)


def test_stopped_session_cancels_forgot_clock_out(shift, teammate, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    clock_in(shift, teammate, shift.start_at, status=Attendance.Status.STOP)
    _dispatch(django_capture_on_commit_callbacks, shift.end_at + timedelta(minutes=31))
    assert _notice(shift, Kind.FORGOT_CLOCK_OUT).status == Status.CANCELED
    assert not any("still clocked in" in m.body for m in sms.outbox)


def test_unpublished_shift_cancels_its_notices(shift, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    shift.status = Shift.Status.ASSIGNED
    shift.save()
    _dispatch(django_capture_on_commit_callbacks, shift.end_at + timedelta(hours=1))
    assert set(ShiftNotice.objects.values_list("status", flat=True)) == {Status.CANCELED}
    assert sms.outbox == []


def test_settings_switched_off_after_planning_cancel(shift, settings_row, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    settings_row.shift_notifications_enabled = False
    settings_row.save()
    _dispatch(django_capture_on_commit_callbacks, shift.start_at)
    assert _notice(shift, Kind.UPCOMING).status == Status.CANCELED
    assert sms.outbox == []


def test_reassigned_shift_cancels_the_old_assignees_notice_and_plans_the_new_one(
    shift, team, teammate, now, django_capture_on_commit_callbacks
):
    notices_plan(now=now)
    newcomer = MembershipFactory(team=team, user=UserFactory()).user
    shift.assignee = newcomer
    shift.save()
    with django_capture_on_commit_callbacks(execute=True):
        notices_tick(now=shift.start_at - timedelta(minutes=59))
    old = ShiftNotice.objects.get(shift=shift, user=teammate, kind=Kind.UPCOMING)
    new = ShiftNotice.objects.get(shift=shift, user=newcomer, kind=Kind.UPCOMING)
    assert (old.status, new.status) == (Status.CANCELED, Status.SENT)
    assert [m.to for m in sms.outbox] == [newcomer.phone]


def test_shift_moved_later_is_rescheduled_not_sent(shift, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    old_due = _notice(shift, Kind.UPCOMING).due_at
    shift.start_at += timedelta(hours=3)
    shift.end_at += timedelta(hours=3)
    shift.save()
    _dispatch(django_capture_on_commit_callbacks, old_due)
    notice = _notice(shift, Kind.UPCOMING)
    assert notice.status == Status.SCHEDULED
    assert notice.due_at == shift.start_at - timedelta(minutes=60)
    assert sms.outbox == []


def test_a_notice_far_past_its_due_time_is_canceled(shift, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    late = shift.end_at + timedelta(minutes=30) + MAX_LATENESS + timedelta(minutes=1)
    clock_in(shift, shift.assignee, shift.start_at)  # still open: forgot-clock-out would apply, but much too late
    _dispatch(django_capture_on_commit_callbacks, late)
    assert _notice(shift, Kind.FORGOT_CLOCK_OUT).status == Status.CANCELED
    assert sms.outbox == []


def test_member_who_left_the_team_gets_nothing(shift, team, teammate, now, django_capture_on_commit_callbacks):
    notices_plan(now=now)
    teammate.memberships.filter(team=team).update(is_active=False)
    _dispatch(django_capture_on_commit_callbacks, shift.start_at - timedelta(minutes=30))
    assert _notice(shift, Kind.UPCOMING).status == Status.CANCELED
    assert sms.outbox == []


def test_a_published_notice_left_scheduled_is_sent_by_the_dispatcher(
    shift, teammate, now, django_capture_on_commit_callbacks
):
    ShiftNotice.objects.create(team=shift.team, shift=shift, user=teammate, kind=Kind.PUBLISHED, due_at=now)
    _dispatch(django_capture_on_commit_callbacks, now + timedelta(seconds=5))
    assert _notice(shift, Kind.PUBLISHED).status == Status.SENT
    assert len(sms.outbox) == 1
    assert "published" in sms.outbox[0].body


def test_claimed_rows_are_not_sent_again(shift, now, django_capture_on_commit_callbacks):
    """A row another dispatcher holds (`sending`) or finished is never picked up."""
    notices_plan(now=now)
    ShiftNotice.objects.filter(kind=Kind.UPCOMING).update(status=Status.SENDING)
    _dispatch(django_capture_on_commit_callbacks, shift.start_at - timedelta(minutes=30))
    assert sms.outbox == []
    assert _notice(shift, Kind.UPCOMING).status == Status.SENDING


def test_other_teams_settings_do_not_leak(
    shift, other_team, outsider, now, settings_row, django_capture_on_commit_callbacks
):
    WorkforceSettings.objects.create(team=other_team, shift_notifications_enabled=False)
    rival = make_shift(other_team, outsider, now + timedelta(hours=2))
    notices_plan(now=now)
    assert ShiftNotice.objects.filter(shift=shift).count() == 3
    assert not ShiftNotice.objects.filter(shift=rival).exists()


# --- console -------------------------------------------------------------------------------------------------------


def test_notice_admin_is_read_only_scoped_and_filterable(shift, other_team, outsider, now, settings_row):
    from django.urls import reverse

    from tests.automations.admin_support import staff_browser

    rival = make_shift(other_team, outsider, now + timedelta(hours=2))
    notices_plan(now=now)
    browser = staff_browser(other_team)
    url = reverse("admin:workforce_shiftnotice_changelist")
    response = browser.get(url, {"kind": Kind.UPCOMING, "status": Status.SCHEDULED})
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert [n.shift_id for n in shown] == [rival.pk]
    foreign = _notice(shift, Kind.UPCOMING)
    assert browser.get(reverse("admin:workforce_shiftnotice_change", args=[foreign.pk])).status_code == 302
    assert browser.get(reverse("admin:workforce_shiftnotice_add")).status_code == 403
