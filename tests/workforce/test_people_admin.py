"""The console pages of workforce people: a manager who is staff (not superuser) sees, opens and edits only their
own team's settings, profiles, availabilities, questions, answers and events; lists make no query per row."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.workforce.people_helpers import make_shift
from workforce.models import (
    Attendance,
    Availability,
    EmployeeProfile,
    Event,
    ShiftAnswer,
    ShiftQuestion,
    WorkforceSettings,
)

pytestmark = pytest.mark.django_db
MODELS = [WorkforceSettings, EmployeeProfile, Availability, ShiftQuestion, ShiftAnswer, Event]
DAY = datetime.date(2030, 3, 4)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:workforce_{model._meta.model_name}_{view}", args=args)


def _staff(team, status=Membership.Status.ADMIN, **membership) -> Client:
    user = UserFactory(is_staff=True)
    MembershipFactory(team=team, user=user, status=status, **membership)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="workforce"))
    client = Client()
    client.force_login(user)
    return client


def _rows(team, user) -> dict:
    """One row of each model, belonging to `team` (through `user`, a member of it)."""
    membership = Membership.objects.get(team=team, user=user)
    shift = make_shift(team, assignee=user)
    question = ShiftQuestion.objects.create(team=team, text=f"Q of {team.name}", always=True)
    attendance = Attendance.objects.create(team=team, user=user, event=shift.event, status="stop")
    return {
        WorkforceSettings: WorkforceSettings.objects.create(team=team, name=team.name),
        EmployeeProfile: EmployeeProfile.objects.create(team=team, membership=membership, notes="n"),
        Availability: Availability.objects.create(team=team, user=user, date=DAY),
        ShiftQuestion: question,
        ShiftAnswer: ShiftAnswer.objects.create(
            team=team, shift=shift, question=question, attendance=attendance, user=user, text="ok"
        ),
        Event: Event.objects.create(team=team, user=user, title=f"Party of {team.name}"),
    }


@pytest.fixture
def rows(team, owner, other_team, outsider):
    return {"acme": _rows(team, owner), "rival": _rows(other_team, outsider)}


@pytest.fixture
def rival(other_team):
    return _staff(other_team)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_shows_only_the_managers_team(rival, rows, model):
    response = rival.get(_url(model, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert rows["rival"][model].pk in shown
    assert rows["acme"][model].pk not in shown


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_change_page_of_another_teams_row_is_not_there(rival, rows, model):
    assert rival.get(_url(model, "change", rows["rival"][model].pk)).status_code == 200
    response = rival.get(_url(model, "change", rows["acme"][model].pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_workforce_manager_flag_is_enough(team, owner, rows):
    manager = _staff(team, status=Membership.Status.MEMBER, is_manager=True)
    shown = {obj.pk for obj in manager.get(_url(Event, "changelist")).context["cl"].result_list}
    assert shown == {rows["acme"][Event].pk, rows["acme"][ShiftAnswer].shift.event_id}


def test_a_plain_member_with_staff_flag_sees_nothing(team, owner, rows):
    member = _staff(team, status=Membership.Status.MEMBER)
    assert list(member.get(_url(Availability, "changelist")).context["cl"].result_list) == []


def _team_with_rows(staff_user):
    team = TeamFactory()
    MembershipFactory(team=team, user=staff_user, status=Membership.Status.ADMIN)
    _rows(team, MembershipFactory(team=team).user)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelists_make_no_query_per_row(model, django_assert_max_num_queries):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="workforce"))
    browser = Client()
    browser.force_login(staff)
    _team_with_rows(staff)
    browser.get(_url(model, "changelist"))
    with django_assert_max_num_queries(20) as small:
        browser.get(_url(model, "changelist"))
    for _ in range(4):
        _team_with_rows(staff)
    with django_assert_max_num_queries(len(small)):
        response = browser.get(_url(model, "changelist"))
    assert response.context["cl"].result_count >= 5


def test_lock_action_locks_the_selected_days(rows, other_team):
    rival = _staff(other_team)
    mine, foreign = rows["rival"][Availability], rows["acme"][Availability]
    data = {"action": "lock_slots", "_selected_action": [mine.pk, foreign.pk]}
    rival.post(_url(Availability, "changelist"), data)
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert (mine.am_locked, mine.pm_locked, mine.nd_locked) == (True, True, True)
    assert foreign.am_locked is False  # another team's row is not in the manager's queryset


def test_profile_form_offers_only_the_managers_memberships(rows, other_team, team, owner):
    rival = _staff(other_team)
    form = rival.get(_url(EmployeeProfile, "add")).context["adminform"].form
    choices = set(form.fields["membership"].queryset.values_list("team_id", flat=True))
    assert choices == {other_team.pk}


def test_a_shifts_event_cannot_be_deleted_or_retimed_in_the_console(rows, other_team):
    rival = _staff(other_team)
    event = rows["rival"][ShiftAnswer].shift.event
    page = rival.get(_url(Event, "change", event.pk))
    assert "start_at" not in page.context["adminform"].form.fields
    assert rival.post(_url(Event, "delete", event.pk), {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
