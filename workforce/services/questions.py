"""Shift questions (managers create them) and the answers employees give on a shift.

Which questions apply to a shift: enabled ones that are asked always (`always=true` or `when="always"`), that have
no tag restriction (`tag_ids` empty), or whose `tag_ids` meet the shift's tags (`shift.data["tag_ids"]`) or the
employee's numeric membership tags. The shift itself must be visible to the employee (workforce.selectors).
"""

from django.db import transaction

from accounts.models import Membership, Team, User
from core.exceptions import NotFoundError, ValidationFailed
from workforce.models import Attendance, Shift, ShiftAnswer, ShiftQuestion
from workforce.selectors import shifts_visible_to


def _int_tags(values) -> set[int]:
    tags = set()
    for value in values or ():
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            tags.add(int(value))
    return tags


def question_applies(question: ShiftQuestion, *, shift_tag_ids: set[int]) -> bool:
    if not question.enabled:
        return False
    if question.always or question.when == ShiftQuestion.When.ALWAYS or not question.tag_ids:
        return True
    return bool(_int_tags(question.tag_ids) & shift_tag_ids)


def visible_shift_get(*, team: Team, user: User, shift_id: int) -> Shift:
    shift = shifts_visible_to(team, user).filter(pk=shift_id).first()
    if shift is None:
        raise NotFoundError("No such shift.")
    return shift


def _shift_tag_ids(shift: Shift, membership: Membership | None) -> set[int]:
    data = shift.data if isinstance(shift.data, dict) else {}
    return _int_tags(data.get("tag_ids")) | _int_tags(membership.tags if membership else ())


def shift_questions_for(*, team: Team, user: User, membership: Membership | None, shift_id: int) -> list:
    """The enabled questions of `team` that apply to the shift, for an employee who may see it (else 404)."""
    shift = visible_shift_get(team=team, user=user, shift_id=shift_id)
    tags = _shift_tag_ids(shift, membership)
    return [q for q in ShiftQuestion.objects.filter(team=team, enabled=True) if question_applies(q, shift_tag_ids=tags)]


@transaction.atomic
def shift_question_create(
    *,
    team: Team,
    text: str,
    offset_minutes: int = 0,
    when: str = ShiftQuestion.When.ALWAYS,
    always: bool = False,
    enabled: bool = True,
    tag_ids=(),
) -> ShiftQuestion:
    if not text.strip():
        raise ValidationFailed.for_field("text", "may not be blank")
    return ShiftQuestion.objects.create(
        team=team,
        text=text.strip(),
        offset_minutes=offset_minutes,
        when=when,
        always=always,
        enabled=enabled,
        tag_ids=sorted(set(tag_ids)),
    )


@transaction.atomic
def shift_answer_create(
    *,
    team: Team,
    user: User,
    membership: Membership | None,
    shift_id: int,
    shift_question_id: int,
    text: str,
    attendance_id: int | None = None,
) -> ShiftAnswer:
    """The employee answers a question of a shift they may see. The question must be one of the team's enabled
    questions that apply to the shift; an attendance, when given, must be the caller's own (in this team) and not
    one of another shift."""
    shift = visible_shift_get(team=team, user=user, shift_id=shift_id)
    question = ShiftQuestion.objects.filter(team=team, pk=shift_question_id).first()
    if question is None:
        raise ValidationFailed.for_field("shift_question_id", "is not a question of your team")
    if not question_applies(question, shift_tag_ids=_shift_tag_ids(shift, membership)):
        raise ValidationFailed.for_field("shift_question_id", "is not asked on this shift")
    attendance = None
    if attendance_id is not None:
        attendance = Attendance.objects.filter(team=team, user=user, pk=attendance_id).first()
        if attendance is None:
            raise ValidationFailed.for_field("attendance_id", "is not one of your attendances")
        other_shift = attendance.shift_id is not None and attendance.shift_id != shift.pk
        other_event = attendance.event_id is not None and attendance.event_id != shift.event_id
        if other_shift or other_event:
            raise ValidationFailed.for_field("attendance_id", "belongs to another shift")
    if not text.strip():
        raise ValidationFailed.for_field("text", "may not be blank")
    return ShiftAnswer.objects.create(
        team=team, shift=shift, question=question, attendance=attendance, user=user, text=text
    )
