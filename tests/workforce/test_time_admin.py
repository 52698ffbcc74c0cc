"""The managers' console for time: clock sessions (punches + corrections), timesheets (items, approve/deny), items."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from tests.factories import MembershipFactory, UserFactory
from workforce.models import Attendance, AttendanceEdit, AttendancePunch, Timesheet, TimesheetItem

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
MODELS = ["attendance", "timesheet", "timesheetitem"]


def staff(team) -> Client:
    """A staff member who administers `team` only, with every workforce model permission."""
    user = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=user, status=Membership.Status.ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="workforce"))
    c = Client()
    c.force_login(user)
    c.user = user
    return c


def rows(team, user) -> dict:
    session = Attendance.objects.create(team=team, user=user, status="stop", started_at=T0, ended_at=T0)
    punch = AttendancePunch.objects.create(attendance=session, status="start", at=T0)
    AttendanceEdit.objects.create(attendance=session, punch=punch, changes={"at": ["2025-03-03T08:00:00", "09:00"]})
    timesheet = Timesheet.objects.create(
        team=team, user=user, start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 31),
        status="submitted",
    )  # fmt: skip
    line = TimesheetItem.objects.create(team=team, user=user, timesheet=timesheet, work_hours=4, address="Pier 9")
    return {"attendance": session, "timesheet": timesheet, "timesheetitem": line}


@pytest.fixture
def data(team, owner, other_team, outsider):
    return {"acme": rows(team, owner), "rival": rows(other_team, outsider)}


def url(model, view, *args):
    return reverse(f"admin:workforce_{model}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_staff_see_only_their_teams_rows(data, other_team, model):
    browser = staff(other_team)
    response = browser.get(url(model, "changelist"))
    assert response.status_code == 200
    assert [obj.pk for obj in response.context["cl"].result_list] == [data["rival"][model].pk]
    assert browser.get(url(model, "change", data["rival"][model].pk)).status_code == 200
    assert browser.get(url(model, "change", data["acme"][model].pk)).status_code == 302  # "does not exist"


@pytest.mark.parametrize("model", MODELS)
def test_superuser_sees_every_team(data, model):
    root = User.objects.create_superuser(email="root@crewdesk.test", password="admin-pass-123", slug="root")
    c = Client()
    c.force_login(root)
    shown = {obj.pk for obj in c.get(url(model, "changelist")).context["cl"].result_list}
    assert shown == {data["acme"][model].pk, data["rival"][model].pk}


def test_session_page_shows_punches_and_the_original_values(data, other_team):
    html = staff(other_team).get(url("attendance", "change", data["rival"]["attendance"].pk)).content.decode()
    assert "corrections (original" in html.lower()
    assert "2025-03-03T08:00:00" in html  # the original value of the corrected punch


def test_timesheet_page_shows_its_items(data, other_team):
    html = staff(other_team).get(url("timesheet", "change", data["rival"]["timesheet"].pk)).content.decode()
    assert "Pier 9" in html


@pytest.mark.parametrize(("action", "status"), [("approve", "approved"), ("deny", "denied")])
def test_decisions_go_through_the_service(data, other_team, action, status):
    browser = staff(other_team)
    mine, foreign = data["rival"]["timesheet"], data["acme"]["timesheet"]
    body = {"action": action, "_selected_action": [mine.pk, foreign.pk]}
    assert browser.post(url("timesheet", "changelist"), body).status_code == 302
    mine.refresh_from_db(), foreign.refresh_from_db()
    assert (mine.status, mine.decided_by) == (status, browser.user)
    assert foreign.status == "submitted"  # another team's row is not even selectable


def test_refused_approval_changes_nothing_and_says_why(data, other_team):
    browser = staff(other_team)
    timesheet = data["rival"]["timesheet"]
    TimesheetItem.objects.filter(timesheet=timesheet).update(active=True)
    response = browser.post(
        url("timesheet", "changelist"), {"action": "approve", "_selected_action": [timesheet.pk]}, follow=True
    )
    assert "still clocked in" in response.content.decode()
    timesheet.refresh_from_db()
    assert timesheet.status == "submitted"


@pytest.mark.parametrize("model", MODELS)
def test_changelists_do_not_query_per_row(team, owner, django_assert_max_num_queries, model):
    root = User.objects.create_superuser(email="root@crewdesk.test", password="admin-pass-123", slug="root")
    c = Client()
    c.force_login(root)
    for _ in range(2):
        rows(team, owner)
        Timesheet.objects.filter(team=team).update(start_date=datetime.date(2024, 1, 1))  # keep periods apart
    c.get(url(model, "changelist"))
    with django_assert_max_num_queries(12):
        c.get(url(model, "changelist"))
    for _ in range(8):
        rows(team, UserFactory())
    with django_assert_max_num_queries(12):
        assert c.get(url(model, "changelist")).status_code == 200
