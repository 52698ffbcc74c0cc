"""The managers' console for shifts and shift requests (workforce/admin/shifts.py): scoped, actions via services."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from messaging import sms
from tests.factories import MembershipFactory, UserFactory
from tests.workforce.shifts_support import at, iso, make_shift
from workforce.models import Availability, Event, Shift, ShiftRequest

pytestmark = pytest.mark.django_db


def _staff(team) -> Client:
    """A staff member (not superuser) who manages `team` only, with every workforce permission."""
    user = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=user, status=Membership.Status.ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="workforce"))
    browser = Client()
    browser.force_login(user)
    browser.user = user
    return browser


@pytest.fixture
def staff(team):
    return _staff(team)


@pytest.fixture
def rival_staff(other_team):
    return _staff(other_team)


def _changelist(model: str) -> str:
    return reverse(f"admin:workforce_{model}_changelist")


def test_shift_changelist_is_scoped_and_filterable(staff, rival_staff, team, owner, teammate, other_team, outsider):
    mine = make_shift(team, owner, department="Kitchen", assignee=teammate)
    make_shift(team, owner, department="Bar")
    foreign = make_shift(other_team, outsider, department="Secret ops")
    response = staff.get(_changelist("shift"))
    assert response.status_code == 200
    shown = {shift.pk for shift in response.context["cl"].result_list}
    assert foreign.pk not in shown
    assert mine.pk in shown
    assert b"Secret ops" not in response.content  # the department filter lists this team's values only
    filtered = staff.get(_changelist("shift"), {"department": "Kitchen", "status__exact": "assigned"})
    assert [shift.pk for shift in filtered.context["cl"].result_list] == [mine.pk]
    by_assignee = staff.get(_changelist("shift"), {"assignee__id__exact": teammate.pk})
    assert [shift.pk for shift in by_assignee.context["cl"].result_list] == [mine.pk]
    rival = rival_staff.get(reverse("admin:workforce_shift_change", args=[mine.pk]))
    assert rival.status_code == 302  # another team's shift is not there


def test_shift_changelist_has_no_n_plus_one(staff, team, owner, teammate, django_assert_max_num_queries):
    for n in range(15):
        make_shift(team, owner, days=n % 4, assignee=teammate)
    staff.get(_changelist("shift"))
    with django_assert_max_num_queries(20):
        assert staff.get(_changelist("shift")).status_code == 200


def test_publish_action_notifies_once(staff, team, owner, teammate, django_capture_on_commit_callbacks):
    shift = make_shift(team, owner, assignee=teammate)
    post = {"action": "publish_shifts", "_selected_action": [shift.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(_changelist("shift"), post)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(_changelist("shift"), post)
    shift.refresh_from_db()
    assert shift.status == "published"
    assert [m.to for m in sms.outbox] == [teammate.phone]


def test_assign_action_checks_availability_unless_forced(staff, team, owner, teammate):
    shift = make_shift(team, owner, days=1)
    Availability.objects.create(team=team, user=teammate, date=at(1).date())
    ask = staff.post(_changelist("shift"), {"action": "assign_shifts", "_selected_action": [shift.pk]})
    assert ask.status_code == 200  # the second step asks whom, by name (no raw user id)
    assert str(teammate) in ask.content.decode()
    post = {"action": "assign_shifts", "_selected_action": [shift.pk], "assignee": teammate.pk, "apply": "1"}
    response = staff.post(_changelist("shift"), post, follow=True)
    assert "unavailable" in response.content.decode(), [str(m) for m in response.context["messages"]]
    shift.refresh_from_db()
    assert shift.assignee_id is None
    staff.post(_changelist("shift"), {**post, "force": "on"})
    shift.refresh_from_db()
    assert (shift.assignee_id, shift.status) == (teammate.pk, "assigned")


def test_add_form_creates_the_shift_through_the_service(staff, team, teammate):
    start, end = at(2), at(2, 17)
    form = {
        "team": team.pk,
        "title": "From the console",
        "start_at_0": start.strftime("%Y-%m-%d"),
        "start_at_1": start.strftime("%H:%M:%S"),
        "end_at_0": end.strftime("%Y-%m-%d"),
        "end_at_1": end.strftime("%H:%M:%S"),
        "status": "open",
        "assignee": teammate.pk,
        "location_name": "",
        "role": "",
        "department": "",
        "details": "",
        "data": "{}",
    }
    response = staff.post(reverse("admin:workforce_shift_add"), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    shift = Shift.objects.get(title="From the console")
    assert (shift.status, shift.assignee_id, shift.user_id) == ("assigned", teammate.pk, staff.user.pk)
    assert Event.objects.get(pk=shift.event_id).kind == "shift"
    backwards = {**form, "title": "Backwards", "end_at_0": at(1).strftime("%Y-%m-%d")}
    response = staff.post(reverse("admin:workforce_shift_add"), backwards)
    assert response.status_code == 200
    assert "end_at" in response.context["adminform"].form.errors
    assert iso(start)  # the helper formats what the API would show


def test_request_actions_go_through_the_services(staff, rival_staff, team, owner, teammate, other_team, outsider):
    shift = make_shift(team, owner, status="published")
    chosen = ShiftRequest.objects.create(team=team, shift=shift, user=teammate)
    other = ShiftRequest.objects.create(team=team, shift=shift, user=owner)
    foreign = ShiftRequest.objects.create(team=other_team, shift=make_shift(other_team, outsider), user=outsider)
    listed = staff.get(_changelist("shiftrequest"))
    assert foreign.pk not in {r.pk for r in listed.context["cl"].result_list}
    staff.post(_changelist("shiftrequest"), {"action": "approve_requests", "_selected_action": [chosen.pk]})
    chosen.refresh_from_db()
    other.refresh_from_db()
    shift.refresh_from_db()
    assert (chosen.status, other.status, shift.assignee_id) == ("approved", "rejected", teammate.pk)
    response = staff.post(
        _changelist("shiftrequest"), {"action": "approve_requests", "_selected_action": [other.pk]}, follow=True
    )
    assert "already approved" in response.content.decode()  # the failing row's message is shown
    other.refresh_from_db()
    assert other.status == "rejected"
    # another team's row cannot be decided through a forged selection
    rival_staff.post(_changelist("shiftrequest"), {"action": "reject_requests", "_selected_action": [chosen.pk]})
    chosen.refresh_from_db()
    assert chosen.status == "approved"
