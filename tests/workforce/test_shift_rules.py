"""The shift and shift-request rules, at the service level (workforce.services.shifts / shift_requests)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.exceptions import ConflictError, ValidationFailed
from messaging import sms
from tests.workforce.shifts_support import at, make_shift
from workforce.models import Availability, Shift, ShiftNotice, ShiftRequest
from workforce.services import publishing
from workforce.services import shift_requests as request_services
from workforce.services import shifts as shift_services
from workforce.services.notices import notices_dispatch

pytestmark = pytest.mark.django_db


def test_the_database_keeps_one_approved_request_per_shift(team, owner, teammate):
    shift = make_shift(team, owner, status="published")
    ShiftRequest.objects.create(team=team, shift=shift, user=teammate, status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftRequest.objects.create(team=team, shift=shift, user=owner, status="approved")


def test_approving_assigns_an_open_shift_and_rejects_the_rest(team, owner, teammate):
    shift = make_shift(team, owner)
    chosen = request_services.shift_request_create_for(team=team, shift=shift, user=teammate, by=owner)
    rival = request_services.shift_request_create_for(team=team, shift=shift, user=owner, by=owner)
    request_services.shift_request_transition(request=chosen, by=owner, status="approved")
    shift.refresh_from_db()
    assert (shift.assignee_id, shift.status, shift.published_at) == (teammate.pk, "assigned", None)
    rival.refresh_from_db()
    assert rival.status == "rejected"
    assert rival.decided_by_id == owner.pk
    chosen.refresh_from_db()
    assert (chosen.status, chosen.decided_by_id) == ("approved", owner.pk)


def test_a_second_approval_on_the_same_shift_is_a_conflict(team, owner, teammate):
    shift = make_shift(team, owner, status="published")
    first = ShiftRequest.objects.create(team=team, shift=shift, user=teammate, status="approved")
    second = ShiftRequest.objects.create(team=team, shift=shift, user=owner, status="shortlisted")
    with pytest.raises(ConflictError):
        request_services.shift_request_transition(request=second, by=owner, status="approved")
    assert list(ShiftRequest.objects.filter(status="approved").values_list("pk", flat=True)) == [first.pk]


def test_approval_of_a_shift_assigned_to_someone_else_is_a_conflict(team, owner, teammate):
    shift = make_shift(team, owner, assignee=owner)
    request = ShiftRequest.objects.create(team=team, shift=shift, user=teammate)
    with pytest.raises(ConflictError):
        request_services.shift_request_transition(request=request, by=owner, status="approved")
    request.refresh_from_db()
    assert request.status == "requested"


def test_approving_a_request_whose_shift_was_deleted_is_refused(team, owner, teammate):
    shift = make_shift(team, owner, status="published")
    request = ShiftRequest.objects.create(team=team, shift=shift, user=teammate)
    shift_services.shift_delete(shift=shift, by=owner)
    request.refresh_from_db()
    assert (request.status, request.shift_id) == ("canceled", None)
    with pytest.raises(ValidationFailed):
        request_services.shift_request_transition(request=request, by=owner, status="approved")


def test_publishing_notifies_each_employee_once(team, owner, teammate, django_capture_on_commit_callbacks):
    shift = make_shift(team, owner, assignee=teammate)
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_publish(shift=shift, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.announce(shifts=[shift]) is None  # already told about these times
        shift_services.shift_publish(shift=shift, by=owner)
    assert [m.to for m in sms.outbox] == [teammate.phone]
    notice = ShiftNotice.objects.get()
    assert (notice.status, notice.kind) == ("sent", "published")
    assert publishing.published_notices_send(batch=notice.batch, user_id=teammate.pk) is False  # a redelivery
    assert len(sms.outbox) == 1


def test_reassigning_a_published_shift_tells_the_new_assignee(
    team, owner, teammate, django_capture_on_commit_callbacks
):
    shift = make_shift(team, owner, assignee=teammate, status="published")
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shift_update(shift=shift, by=owner, assignee=owner)
    assert set(ShiftNotice.objects.values_list("user_id", flat=True)) == {teammate.pk, owner.pk}
    assert ShiftNotice.objects.filter(user=owner, status="sent").exists()


def test_a_published_notice_to_someone_without_a_phone_is_canceled(
    team, owner, teammate, django_capture_on_commit_callbacks
):
    teammate.phone = ""
    teammate.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        make_shift(team, owner, assignee=teammate, status="published")
    assert ShiftNotice.objects.get().status == "canceled"
    assert sms.outbox == []


def test_a_notice_that_fails_to_send_stays_scheduled_for_the_dispatcher(
    team, owner, teammate, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def provider_refuses(**kwargs):
        raise ValidationFailed.for_field("to", "refused")

    with monkeypatch.context() as patch:
        patch.setattr(publishing.sms, "send_text", provider_refuses)
        with django_capture_on_commit_callbacks(execute=True):
            make_shift(team, owner, assignee=teammate, status="published")  # publishing commits; sending fails
    assert "refused" in caplog.text
    assert ShiftNotice.objects.get().status == "scheduled"  # not stuck in "sending"
    with django_capture_on_commit_callbacks(execute=True):
        notices_dispatch(now=timezone.now() + datetime.timedelta(seconds=5))
    assert ShiftNotice.objects.get().status == "sent"
    assert [m.to for m in sms.outbox] == [teammate.phone]


def test_a_rolled_back_publish_sends_nothing(team, owner, teammate, django_capture_on_commit_callbacks):
    shift = make_shift(team, owner, assignee=teammate)

    def publish_then_fail():
        with transaction.atomic():
            shift_services.shift_publish(shift=shift, by=owner)
            raise RuntimeError("boom")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        publish_then_fail()
    shift.refresh_from_db()
    assert shift.status == "assigned"
    assert not ShiftNotice.objects.exists()
    assert sms.outbox == []


def test_unpublishing_clears_published_at(team, owner):
    shift = make_shift(team, owner, status="published")
    assert shift.published_at is not None
    shift = shift_services.shift_update(shift=shift, by=owner, status="open")
    assert (shift.status, shift.published_at) == ("open", None)


def test_an_overnight_shift_checks_both_days(team, owner, teammate):
    Availability.objects.create(team=team, user=teammate, date=at(2).date())  # all three slots 0: unavailable
    with pytest.raises(ValidationFailed) as refused:
        make_shift(team, owner, days=1, hours=22, length=6, assignee=teammate)
    assert "assignee_id" in refused.value.details
    make_shift(team, owner, days=1, hours=16, length=8, assignee=teammate)  # ends at midnight: day 2 untouched
    Availability.objects.filter(team=team, user=teammate).update(am=1)
    make_shift(team, owner, days=1, hours=22, length=6, assignee=teammate)


def test_the_availability_check_is_one_query_however_long_the_shift(team, owner, teammate):
    Availability.objects.create(team=team, user=teammate, date=at(4).date())  # the middle of a 6-day shift
    for days in (1, 6):
        with CaptureQueriesContext(connection) as captured:
            found = shift_services.unavailable_days(
                team=team, user=teammate, start_at=at(1), end_at=at(1) + datetime.timedelta(days=days)
            )
        assert len(captured.captured_queries) == 1
    assert found == [at(4).date().isoformat()]


@pytest.mark.parametrize("length", [datetime.timedelta(days=7, seconds=1), datetime.timedelta(days=9500)])
def test_a_shift_longer_than_seven_days_is_refused(team, owner, length):
    with pytest.raises(ValidationFailed) as refused:
        shift_services.shift_create(team=team, by=owner, start_at=at(1), end_at=at(1) + length)
    assert "end_at" in refused.value.details
    shift_services.shift_create(team=team, by=owner, start_at=at(1), end_at=at(1) + datetime.timedelta(days=7))


def test_moving_an_assigned_shift_onto_an_unavailable_day_needs_force(team, owner, teammate):
    shift = make_shift(team, owner, days=1, assignee=teammate)
    Availability.objects.create(team=team, user=teammate, date=at(3).date())
    start = at(3)
    with pytest.raises(ValidationFailed):
        shift_services.shift_update(shift=shift, by=owner, start_at=start, end_at=start + datetime.timedelta(hours=4))
    shift.refresh_from_db()
    assert shift.start_at == at(1)
    shift_services.shift_update(
        shift=shift, by=owner, start_at=start, end_at=start + datetime.timedelta(hours=4), force=True
    )
    assert Shift.objects.get(pk=shift.pk).event.start_at == start


def test_deleting_a_shift_keeps_decided_requests_as_they_were(team, owner, teammate):
    shift = make_shift(team, owner, status="published")
    rejected = ShiftRequest.objects.create(team=team, shift=shift, user=teammate, status="rejected")
    shift_services.shift_delete(shift=shift, by=owner)
    rejected.refresh_from_db()
    assert (rejected.status, rejected.shift_id) == ("rejected", None)


def test_decide_reports_each_refused_row(team, owner, teammate):
    shift = make_shift(team, owner, status="published")
    good = ShiftRequest.objects.create(team=team, shift=shift, user=teammate)
    done = ShiftRequest.objects.create(team=team, shift=make_shift(team, owner), user=teammate, status="canceled")
    results = request_services.shift_requests_decide(requests=[good, done], by=owner, status="rejected")
    assert [error is None for _, error in results] == [True, False]
    good.refresh_from_db()
    assert good.status == "rejected"
