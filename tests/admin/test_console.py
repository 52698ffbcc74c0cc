"""The managers' console of issue 11, server side: who gets in, the dashboard, the week board, timesheets, demo data,
autocomplete — every view checks the team scope on the server (another team's team or object is a 404)."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.services.memberships import membership_add
from messaging import sms
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from workforce.models import Availability, Shift, Timesheet, TimesheetItem
from workforce.services import shifts as shift_services
from workforce.services import week as week_services

pytestmark = pytest.mark.django_db

BOARD = "/admin/workforce/shift/board/"


def manager_client(team, status=Membership.Status.ADMIN) -> Client:
    """A manager made the way production makes them: through the membership service (staff + group follow)."""
    user = UserFactory()
    membership_add(team=team, user=user, status=status)
    browser = Client()
    browser.force_login(user)
    browser.user = user
    return browser


@pytest.fixture
def manager(team, owner, teammate):
    return manager_client(team)


@pytest.fixture
def rival(other_team, outsider):
    return manager_client(other_team)


def this_week(team) -> datetime.date:
    return week_services.week_start(team, timezone.now().date())


def shift_on(team, by, day: datetime.date, hour=9, **fields) -> Shift:
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)
    return shift_services.shift_create(
        team=team, by=by, start_at=start, end_at=start + datetime.timedelta(hours=8), **fields
    )


# --- who gets in --------------------------------------------------------------------------------------------------


def test_the_owner_seed_demo_prints_gets_in_on_the_first_try_and_lands_on_the_dashboard():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "Console: http://127.0.0.1:8000/admin/" in text
    email = re.search(r"^Owner login: (\S+)", text, re.M).group(1)
    password = re.search(r"^Password: (\S+)", text, re.M).group(1)
    browser = Client()
    response = browser.post("/admin/login/?next=/admin/", {"username": email, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    html = response.content.decode()
    assert "Demo Crew" in html
    assert "Week board" in html
    assert response.context["console_team"].slug == "demo"
    assert Shift.objects.filter(team__slug="demo").exists()  # the board has a schedule to show


def test_a_team_manager_sees_no_operator_only_page(manager):
    index = manager.get("/admin/")
    shown = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    assert {"Shift", "Timesheet", "Invitation"} <= shown
    assert not shown & {"OneTimeCode", "PeriodicTask", "CrontabSchedule", "Group", "AuthToken", "Chat"}
    assert "Device" in shown  # issue 13: the team's push devices, view only
    for url in (
        "/admin/django_celery_beat/periodictask/",
        "/admin/accounts/onetimecode/",
        "/admin/auth/group/",
        "/admin/accounts/authtoken/",
        "/admin/automations/demorecord/",
    ):
        assert manager.get(url).status_code == 403, url


def test_beat_tables_stay_operator_only_even_with_permissions_given_by_hand(manager):
    from django.contrib.auth.models import Permission

    manager.user.user_permissions.set(Permission.objects.filter(content_type__app_label="django_celery_beat"))
    assert manager.get("/admin/django_celery_beat/periodictask/").status_code == 403


def test_a_member_who_manages_nothing_cannot_sign_in(team, teammate):
    browser = Client()
    browser.post("/admin/login/", {"username": teammate.email, "password": "correct-horse-battery-staple"})
    assert browser.get("/admin/").status_code == 302


# --- dashboard ----------------------------------------------------------------------------------------------------


def test_dashboard_shows_today_for_the_managers_team_only(manager, team, owner, teammate, other_team, outsider):
    today = timezone.now().date()
    shift_on(team, owner, today, title="Morning bar", assignee=teammate, force=True)
    shift_on(team, owner, today, hour=12, title="Unfilled lunch")
    shift_on(other_team, outsider, today, title="Rival shift")
    Timesheet.objects.create(team=team, user=teammate, start_date=today, end_date=today, status="submitted")
    response = manager.get("/admin/")
    html = response.content.decode()
    assert "Morning bar" in html
    assert "Unfilled lunch" in html
    assert "1 unfilled" in html
    assert "Rival shift" not in html
    assert response.context["timesheets_count"] == 1
    for key in ("on_now_url", "requests_url", "timesheets_url", "failed_texts_url"):  # each link opens its list
        assert manager.get(response.context[key]).status_code == 200, key
    day_list = manager.get(response.context["days"][0]["url"])
    assert {s.title for s in day_list.context["cl"].result_list} == {"Morning bar", "Unfilled lunch"}


def test_dashboard_of_another_team_is_a_404(manager, other_team):
    assert manager.get("/admin/", {"team": other_team.pk}).status_code == 404


# --- week board ---------------------------------------------------------------------------------------------------


def test_board_shows_members_open_shifts_and_availability(manager, team, owner, teammate):
    monday = this_week(team)
    shift_on(team, owner, monday, title="Open one")
    shift_on(team, owner, monday + datetime.timedelta(days=1), title="Tims shift", assignee=teammate, force=True)
    Availability.objects.create(team=team, user=teammate, date=monday + datetime.timedelta(days=2))
    response = manager.get(BOARD, {"team": team.pk, "week": monday.isoformat()})
    assert response.status_code == 200
    board = response.context["board"]
    assert [s.title for s in board.open_row.cells[0].shifts] == ["Open one"]
    row = next(r for r in board.rows if r.user == teammate)
    assert [s.title for s in row.cells[1].shifts] == ["Tims shift"]
    assert row.cells[2].availability == "Unavailable"
    assert "Unavailable" in response.content.decode()


def test_board_of_another_team_is_a_404(manager, other_team):
    assert manager.get(BOARD, {"team": other_team.pk}).status_code == 404


def test_board_reads_a_constant_number_of_queries(manager, team, owner, django_assert_max_num_queries):
    monday = this_week(team)

    def people_with_shifts(count):
        for _ in range(count):
            user = UserFactory()
            MembershipFactory(team=team, user=user)
            shift_on(team, owner, monday, assignee=user, force=True)

    people_with_shifts(2)
    with django_assert_max_num_queries(20) as small:
        manager.get(BOARD, {"team": team.pk, "week": monday.isoformat()})
    people_with_shifts(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        manager.get(BOARD, {"team": team.pk, "week": monday.isoformat()})


def _post(browser, team, monday, **data):
    return browser.post(BOARD, {"team": team.pk, "week": monday.isoformat(), **data}, follow=True)


def test_create_then_move_and_reassign_a_shift_from_the_board(manager, team, owner, teammate):
    monday = this_week(team)
    response = _post(
        manager, team, monday, op="create", day=monday.isoformat(), start="09:00", end="17:00",
        assignee=teammate.pk, title="Bar", role="Barista",
    )  # fmt: skip
    assert response.status_code == 200
    shift = Shift.objects.get(title="Bar")
    assert (shift.assignee_id, shift.status, shift.role) == (teammate.pk, "assigned", "Barista")
    tuesday = monday + datetime.timedelta(days=1)
    _post(
        manager, team, monday, op="save", shift=shift.pk, day=tuesday.isoformat(), start="22:00", end="06:00",
        assignee=owner.pk, title="Bar", role="Barista",
    )  # fmt: skip
    shift.refresh_from_db()
    zone = shift_services.team_zone(team)
    assert shift.start_at.astimezone(zone).date() == tuesday
    assert shift.end_at - shift.start_at == datetime.timedelta(hours=8)  # ends the next morning
    assert shift.assignee_id == owner.pk
    assert sms.outbox == []  # drafts tell nobody


def test_board_refuses_another_teams_shift_and_people(manager, team, owner, other_team, outsider):
    monday = this_week(team)
    foreign = shift_on(other_team, outsider, monday, title="Rival")
    response = manager.post(
        BOARD,
        {"team": team.pk, "week": monday.isoformat(), "op": "save", "shift": foreign.pk, "day": monday.isoformat(),
         "start": "10:00", "end": "11:00", "assignee": ""},
    )  # fmt: skip
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.start_at.hour == 9
    _post(manager, team, monday, op="create", day=monday.isoformat(), start="09:00", end="10:00", assignee=outsider.pk)
    assert not Shift.objects.filter(team=team).exists()  # an outsider is not a choice
    other_board = manager.post(BOARD, {"team": other_team.pk, "op": "publish"})
    assert other_board.status_code == 404


def test_a_member_without_change_rights_cannot_write_on_the_board(team, owner, teammate):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=viewer, status=Membership.Status.ADMIN)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_shift"))
    browser = Client()
    browser.force_login(viewer)
    monday = this_week(team)
    assert browser.get(BOARD, {"team": team.pk}).status_code == 200
    response = browser.post(BOARD, {"team": team.pk, "op": "create", "day": monday.isoformat(), "start": "09:00"})
    assert response.status_code == 403


def test_copy_last_week_as_drafts_then_publish_texts_each_employee_once(
    manager, team, owner, teammate, django_capture_on_commit_callbacks
):
    last_monday = this_week(team)
    monday = last_monday + datetime.timedelta(days=7)  # next week: its shifts are still ahead, so worth a text
    for n in range(3):
        shift_on(team, owner, last_monday + datetime.timedelta(days=n), title="Bar", assignee=teammate, force=True)
    shift_on(team, owner, last_monday, hour=14, title="Floor", assignee=owner, force=True)
    _post(manager, team, monday, op="copy")
    _post(manager, team, monday, op="copy")  # twice: nothing is copied again
    copies = Shift.objects.filter(team=team, start_at__gte=week_services.local_midnight(team, monday))
    assert copies.count() == 4
    assert set(copies.values_list("status", flat=True)) == {"assigned"}
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(manager, team, monday, op="publish")
    assert "2 employee(s) get one text each" in response.content.decode()
    assert sorted(m.to for m in sms.outbox) == sorted([teammate.phone, owner.phone])
    assert set(copies.values_list("status", flat=True)) == {"published"}


def test_week_navigation_and_team_picker(team, owner):
    second_team = TeamFactory(name="Second Crew")
    browser = manager_client(team)
    membership_add(team=second_team, user=browser.user, status=Membership.Status.OWNER)
    monday = this_week(team)
    response = browser.get(BOARD, {"team": second_team.pk, "week": (monday + datetime.timedelta(days=3)).isoformat()})
    assert response.context["console_team"] == second_team
    assert response.context["board"].start == monday  # any day picks its week
    assert {t.name for t in response.context["console_teams"]} == {team.name, "Second Crew"}
    assert f"week={(monday + datetime.timedelta(days=7)).isoformat()}" in response.context["next_url"]
    assert browser.get(BOARD).context["console_team"] == second_team  # remembered


# --- timesheets ---------------------------------------------------------------------------------------------------


@pytest.fixture
def timesheet(team, owner, teammate):
    monday = this_week(team) - datetime.timedelta(days=7)
    shift = shift_on(team, owner, monday, assignee=teammate, force=True)
    sheet = Timesheet.objects.create(
        team=team, user=teammate, start_date=monday, end_date=monday + datetime.timedelta(days=6), status="submitted"
    )
    TimesheetItem.objects.create(
        team=team, timesheet=sheet, user=teammate, shift=shift, work_hours=7.5, break_hours=0.5
    )
    return sheet


def test_timesheet_list_shows_scheduled_worked_breaks_and_totals(manager, timesheet, teammate):
    response = manager.get(reverse("admin:workforce_timesheet_changelist"))
    [row] = response.context["cl"].result_list
    assert (row.scheduled_hours, row.worked_hours, row.break_hours) == (8.0, 7.5, 0.5)
    totals = response.context["cl"].totals
    assert totals["people"][0]["label"] == teammate
    assert (totals["weeks"][0]["worked"], totals["weeks"][0]["scheduled"]) == (7.5, 8.0)
    assert "-0.50" in response.content.decode()


def test_approve_from_the_timesheet_page(manager, timesheet, rival):
    page = manager.get(reverse("admin:workforce_timesheet_change", args=[timesheet.pk]))
    assert "approve-timesheet" in page.content.decode()
    url = reverse("admin:workforce_timesheet_decide", args=[timesheet.pk])
    assert rival.post(url, {"status": "approved"}).status_code == 404  # another team's timesheet
    manager.post(url, {"status": "approved"})
    timesheet.refresh_from_db()
    assert (timesheet.status, timesheet.decided_by_id) == ("approved", manager.user.pk)


def test_export_lists_only_approved_hours_of_the_managers_teams(manager, rival, timesheet, team, teammate):
    other = Timesheet.objects.create(
        team=team, user=teammate, start_date=timesheet.start_date - datetime.timedelta(days=7),
        end_date=timesheet.start_date - datetime.timedelta(days=1), status="submitted",
    )  # fmt: skip
    manager.post(reverse("admin:workforce_timesheet_decide", args=[timesheet.pk]), {"status": "approved"})
    response = manager.get(reverse("admin:workforce_timesheet_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["Employee"], r["Worked hours"], r["Scheduled hours"]) for r in rows] == [(str(teammate), "7.5", "8.0")]
    assert other.pk  # the submitted one is not exported
    rival_rows = list(
        csv.DictReader(io.StringIO(rival.get(reverse("admin:workforce_timesheet_export")).content.decode()))
    )
    assert rival_rows == []


# --- demo data, autocomplete, features ----------------------------------------------------------------------------


def test_demo_data_runs_in_the_background_and_shows_progress(manager, team, rival, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("admin:automations_sync_demo"),
            {"team": team.pk, "seed_type": "retail", "number_of_team_members": 2, "weeks_back": 0, "weeks_forward": 1},
        )
    assert response.status_code == 302
    progress = manager.get(response["Location"])
    assert progress.context["sync"].status == "complete"  # eager Celery in tests
    state = manager.get(progress.context["state_url"]).json()
    assert state["done"] is True
    assert state["progress"] == 100
    assert rival.get(response["Location"]).status_code == 404


def test_assignee_autocomplete_offers_only_the_managers_people(manager, team, teammate, outsider):
    response = manager.get(
        "/admin/autocomplete/", {"app_label": "workforce", "model_name": "shift", "field_name": "assignee", "term": ""}
    )
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert teammate.pk in ids
    assert outsider.pk not in ids


def test_team_features_are_checkboxes(admin_browser, team):
    url = reverse("admin:accounts_team_change", args=[team.pk])
    form = admin_browser.get(url).context["adminform"].form
    assert form.fields["features"].widget.input_type == "checkbox"
    data = {
        "name": team.name, "slug": team.slug, "timezone": "UTC", "status": "active",
        "features": ["timesheets", "leave"], "uploads_size_limit": team.uploads_size_limit,
        "default_task_deadline": "18:00",
        "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = admin_browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    team.refresh_from_db()
    assert team.features["timesheets"] is True
    assert team.features["leave"] is True
    assert team.features["scheduling"] is False
