"""Publishing tells each affected employee ONCE per publish: one SMS listing their new and changed shifts, through
the Text path, recorded on the ShiftNotice rows (issue 11) — for the board's week publish and the API's paths."""

import datetime

import pytest
from django.utils import timezone

from messaging import sms
from messaging.models import Text
from tests.factories import MembershipFactory, UserFactory
from tests.workforce.shifts_support import BASE, at, iso, make_shift
from workforce.models import ShiftNotice
from workforce.services import publishing
from workforce.services import shifts as shift_services
from workforce.services.notices import notices_dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(team):
    user = UserFactory(first_name="Sam", last_name="Second")
    MembershipFactory(team=team, user=user)
    return user


def _texts_to(phone: str) -> list[str]:
    return [m.body for m in sms.outbox if m.to == phone]


def test_publishing_a_week_sends_one_text_per_employee_listing_their_shifts(
    team, owner, teammate, second, django_capture_on_commit_callbacks
):
    mine = [make_shift(team, owner, days=d, assignee=teammate, title="Bar") for d in (1, 2, 3)]
    theirs = [make_shift(team, owner, days=d, assignee=second, title="Floor") for d in (1, 2)]
    open_shift = make_shift(team, owner, days=4, title="Nobody yet")
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shifts_publish(shifts=[*mine, *theirs, open_shift], by=owner)
    assert len(sms.outbox) == 2
    [body] = _texts_to(teammate.phone)
    assert "3 shifts" in body
    assert body.count("Bar") == 3
    assert len(_texts_to(second.phone)) == 1
    notices = ShiftNotice.objects.filter(kind="published")
    assert notices.count() == 5
    assert set(notices.values_list("status", flat=True)) == {"sent"}
    # one recorded Text per employee, shared by their rows
    assert notices.filter(user=teammate).values("text_id").distinct().count() == 1
    assert Text.objects.filter(purpose=Text.Purpose.NOTIFICATION).count() == 2


def test_publishing_again_tells_nobody_twice(team, owner, teammate, django_capture_on_commit_callbacks):
    shifts = [make_shift(team, owner, days=d, assignee=teammate) for d in (1, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shifts_publish(shifts=shifts, by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shifts_publish(shifts=shifts, by=owner)
    assert len(sms.outbox) == 1


def test_a_moved_shift_is_announced_as_changed_with_the_next_publish(
    team, owner, teammate, django_capture_on_commit_callbacks
):
    first, second_shift = (make_shift(team, owner, days=d, assignee=teammate, title="Bar") for d in (1, 2))
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shifts_publish(shifts=[first, second_shift], by=owner)
    new = make_shift(team, owner, days=3, assignee=teammate, title="Bar")
    with django_capture_on_commit_callbacks(execute=True):  # the board moves without telling yet
        shift_services.shift_update(shift=first, by=owner, start_at=at(1, 10), end_at=at(1, 18), announce=False)
    assert len(sms.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        shift_services.shifts_publish(shifts=[first, second_shift, new], by=owner)
    assert len(sms.outbox) == 2
    body = sms.outbox[-1].body
    assert "2 shifts" in body
    assert "New:" in body
    assert "Changed:" in body
    assert "10:00" in body.split("Changed:")[1]


def test_api_create_published_and_move_each_send_one_text(tommy_client, teammate, django_capture_on_commit_callbacks):
    body = {"title": "Bar", "start_at": iso(at(1)), "end_at": iso(at(1, 17)), "assignee_id": teammate.pk}
    with django_capture_on_commit_callbacks(execute=True):
        row = tommy_client.post(f"{BASE}/manager/shifts", {**body, "status": "published"}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        moved = {"start_at": iso(at(1, 10)), "end_at": iso(at(1, 18))}
        assert tommy_client.put(f"{BASE}/manager/shifts/{row['id']}", moved, format="json").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # a change that is not a time or assignee: no text
        assert (
            tommy_client.put(f"{BASE}/manager/shifts/{row['id']}", {"details": "x"}, format="json").status_code == 200
        )
    bodies = _texts_to(teammate.phone)
    assert len(bodies) == 2
    assert "New:" in bodies[0]
    assert "Changed:" in bodies[1]


def test_a_publish_left_scheduled_is_sent_by_the_dispatcher_as_one_text(
    team, owner, teammate, monkeypatch, django_capture_on_commit_callbacks
):
    shifts = [make_shift(team, owner, days=d, assignee=teammate) for d in (1, 2, 3)]
    with monkeypatch.context() as patch:
        patch.setattr(publishing, "published_notices_send", lambda **kwargs: False)  # the after-commit send is lost
        with django_capture_on_commit_callbacks(execute=True):
            shift_services.shifts_publish(shifts=shifts, by=owner)
    assert sms.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        notices_dispatch(now=timezone.now() + datetime.timedelta(seconds=5))
    assert len(sms.outbox) == 1
    assert "3 shifts" in sms.outbox[0].body
    assert set(ShiftNotice.objects.values_list("status", flat=True)) == {"sent"}


def test_a_shift_reassigned_before_sending_is_left_out(
    team, owner, teammate, second, django_capture_on_commit_callbacks
):
    shifts = [make_shift(team, owner, days=d, assignee=teammate) for d in (1, 2)]
    shift_services.shifts_publish(shifts=shifts, by=owner)  # callbacks not run: rows stay scheduled
    shift_services.shift_update(shift=shifts[0], by=owner, assignee=second, announce=False)
    batch = ShiftNotice.objects.filter(user=teammate).first().batch
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.published_notices_send(batch=batch, user_id=teammate.pk) is True
    assert [m.to for m in sms.outbox] == [teammate.phone]
    assert "1 shift)" in sms.outbox[0].body
    assert ShiftNotice.objects.get(user=teammate, shift=shifts[0]).status == "canceled"
