"""POST /api/v1/workforce/manager/shift_questions, GET /api/v1/workforce/shifts/{id}/questions and
POST /api/v1/workforce/shifts/{id}/answers."""

import pytest

from tests.helpers import assert_tommy_error, user_client
from tests.workforce.people_helpers import make_shift
from workforce.models import Attendance, Shift, ShiftAnswer, ShiftQuestion

pytestmark = pytest.mark.django_db
CREATE = "/api/v1/workforce/manager/shift_questions"


def questions_url(shift_id) -> str:
    return f"/api/v1/workforce/shifts/{shift_id}/questions"


def answers_url(shift_id) -> str:
    return f"/api/v1/workforce/shifts/{shift_id}/answers"


@pytest.fixture
def me(team, teammate):
    return user_client(teammate)


@pytest.fixture
def shift(team, teammate):
    return make_shift(team, assignee=teammate, data={"tag_ids": [7]})


# --- create (manager) --------------------------------------------------------------------------------------------


def test_manager_creates_a_question(tommy_client, team):
    body = {"text": "Any damage?", "when": "end_shift", "offset_minutes": -5, "tag_ids": [3, 3, 1], "team_id": team.pk}
    response = tommy_client.post(CREATE, body, format="json")
    assert response.status_code == 201, response.content
    out = response.json()
    question = ShiftQuestion.objects.get()
    assert out == {
        "id": question.pk,
        "team_id": team.pk,
        "text": "Any damage?",
        "offset_minutes": -5,
        "when": "end_shift",
        "always": False,
        "enabled": True,
        "tag_ids": [1, 3],
    }
    assert (question.team_id, question.when) == (team.pk, "end_shift")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"when": "start_shift"}, "text"),
        ({"text": "  "}, "text"),
        ({"text": "Q", "when": "sometimes"}, "when"),
        ({"text": "Q", "tag_ids": ["a"]}, "tag_ids"),
        ({"text": "Q", "team_id": 999999}, "team_id"),
    ],
)
def test_create_validation_is_422(tommy_client, body, field):
    out = assert_tommy_error(tommy_client.post(CREATE, body, format="json"), 422)
    assert any(name.split(".")[0] == field for name in out["details"])
    assert not ShiftQuestion.objects.exists()


def test_employee_cannot_create_403(me):
    assert_tommy_error(me.post(CREATE, {"text": "Q"}, format="json"), 403)
    assert not ShiftQuestion.objects.exists()


def test_create_unauthenticated_401(client):
    assert_tommy_error(client.post(CREATE, {"text": "Q"}, format="json"), 401)


def test_question_lands_in_the_callers_team_only(team, other_team, outsider):
    assert user_client(outsider).post(CREATE, {"text": "Theirs"}, format="json").status_code == 201
    assert ShiftQuestion.objects.get().team_id == other_team.pk
    assert not ShiftQuestion.objects.filter(team=team).exists()


def test_questions_have_no_list_405(tommy_client):
    assert_tommy_error(tommy_client.get(CREATE), 405)


# --- list for a shift (employee) ---------------------------------------------------------------------------------


def _question(team, text, **fields):
    return ShiftQuestion.objects.create(team=team, text=text, **fields)


def test_questions_that_apply_to_the_shift(me, team, other_team, shift):
    _question(team, "always flag", always=True, when="start_shift", tag_ids=[99])
    _question(team, "when always", when="always", tag_ids=[99])
    _question(team, "untagged", when="end_shift")
    _question(team, "tag match", when="start_shift", tag_ids=[7])
    _question(team, "tag miss", when="start_shift", tag_ids=[8])
    _question(team, "disabled", always=True, enabled=False)
    _question(other_team, "other team", always=True)
    response = me.get(questions_url(shift.pk))
    assert response.status_code == 200, response.content
    assert [q["text"] for q in response.json()] == ["always flag", "when always", "untagged", "tag match"]


def test_employee_tags_also_select_questions(me, team, teammate):
    teammate.memberships.filter(team=team).update(tags=["12", "night"])
    shift = make_shift(team, assignee=None)  # open, published
    _question(team, "by employee tag", when="start_shift", tag_ids=[12])
    assert [q["text"] for q in me.get(questions_url(shift.pk)).json()] == ["by employee tag"]


@pytest.mark.parametrize("size", [2, 10])
def test_questions_query_count_is_constant(me, team, shift, size, django_assert_max_num_queries):
    for n in range(size):
        _question(team, f"q{n}", tag_ids=[7])
    me.get(questions_url(shift.pk))
    with django_assert_max_num_queries(7):
        response = me.get(questions_url(shift.pk))
    assert len(response.json()) == size


@pytest.mark.parametrize(
    "visible",
    [
        {"status": Shift.Status.ASSIGNED},  # not published yet
        {"status": Shift.Status.OPEN, "assignee": None},
        {"status": Shift.Status.PUBLISHED, "assignee": "owner"},  # someone else's
    ],
)
def test_a_shift_the_employee_cannot_see_is_404(me, team, owner, teammate, visible):
    assignee = owner if visible.get("assignee") == "owner" else visible.get("assignee", teammate)
    hidden = make_shift(team, assignee=assignee, status=visible["status"])
    _question(team, "Q", always=True)
    assert_tommy_error(me.get(questions_url(hidden.pk)), 404)
    assert_tommy_error(me.post(answers_url(hidden.pk), {"shift_question_id": 1, "text": "x"}, format="json"), 404)


def test_another_teams_shift_is_404(me, other_team, outsider):
    theirs = make_shift(other_team, assignee=None)
    assert_tommy_error(me.get(questions_url(theirs.pk)), 404)


def test_list_unauthenticated_401(client, shift):
    assert_tommy_error(client.get(questions_url(shift.pk)), 401)


def test_list_post_is_not_routed_405(me, shift):
    assert_tommy_error(me.post(questions_url(shift.pk), {"text": "Q"}, format="json"), 405)


# --- answers (employee) ------------------------------------------------------------------------------------------


def test_employee_answers_a_question_of_the_shift(me, team, teammate, shift):
    question = _question(team, "Damage?", when="end_shift", tag_ids=[7])
    attendance = Attendance.objects.create(team=team, user=teammate, event=shift.event, status="stop")
    body = {"shift_question_id": question.pk, "attendance_id": attendance.pk, "text": "None", "shift_id": 999}
    response = me.post(answers_url(shift.pk), body, format="json")
    assert response.status_code == 201, response.content
    answer = ShiftAnswer.objects.get()
    assert response.json() == {
        "id": answer.pk,
        "team_id": team.pk,
        "shift_id": shift.pk,
        "shift_question_id": question.pk,
        "attendance_id": attendance.pk,
        "user_id": teammate.pk,
        "text": "None",
    }
    assert (answer.user_id, answer.shift_id, answer.attendance_id) == (teammate.pk, shift.pk, attendance.pk)


def test_attendance_is_optional(me, team, shift):
    question = _question(team, "Q", always=True)
    response = me.post(answers_url(shift.pk), {"shift_question_id": question.pk, "text": "ok"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["attendance_id"] is None


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("missing_text", "text"),
        ("missing_question", "shift_question_id"),
        ("other_teams_question", "shift_question_id"),
        ("question_not_on_shift", "shift_question_id"),
        ("someone_elses_attendance", "attendance_id"),
        ("attendance_of_another_shift", "attendance_id"),
    ],
)
def test_answer_validation_is_422(me, team, other_team, owner, teammate, outsider, shift, case, field):
    question = _question(team, "Q", always=True)
    body = {"shift_question_id": question.pk, "text": "fine"}
    if case == "missing_text":
        body.pop("text")
    elif case == "missing_question":
        body.pop("shift_question_id")
    elif case == "other_teams_question":
        body["shift_question_id"] = _question(other_team, "theirs", always=True).pk
    elif case == "question_not_on_shift":
        body["shift_question_id"] = _question(team, "tagged", when="start_shift", tag_ids=[8]).pk
    elif case == "someone_elses_attendance":
        body["attendance_id"] = Attendance.objects.create(team=team, user=owner).pk
    else:
        other = make_shift(team, assignee=teammate)
        body["attendance_id"] = Attendance.objects.create(team=team, user=teammate, event=other.event).pk
    out = assert_tommy_error(me.post(answers_url(shift.pk), body, format="json"), 422)
    assert field in out["details"]
    assert not ShiftAnswer.objects.exists()


def test_answer_unauthenticated_401(client, shift):
    assert_tommy_error(client.post(answers_url(shift.pk), {}, format="json"), 401)


def test_answer_on_another_teams_shift_is_404(me, other_team, team):
    theirs = make_shift(other_team, assignee=None)
    question = _question(team, "Q", always=True)
    body = {"shift_question_id": question.pk, "text": "x"}
    assert_tommy_error(me.post(answers_url(theirs.pk), body, format="json"), 404)
    assert not ShiftAnswer.objects.exists()


def test_answers_cannot_be_listed_405(me, shift):
    assert_tommy_error(me.get(answers_url(shift.pk)), 405)


def test_a_manager_calling_the_employee_path_needs_a_visible_shift_too(tommy_client, team):
    """`/workforce/*` is the caller's own view, managers included: an unpublished shift is not there."""
    hidden = make_shift(team, status=Shift.Status.OPEN)
    assert_tommy_error(tommy_client.get(questions_url(hidden.pk)), 404)
