"""Tommy views for workforce settings, employees, availabilities, shift questions/answers and events.

Thin: validate with serializers_people, call workforce.services.*, serialize. `/workforce/manager/*` views are
ManagerViewSets (403 unless the caller manages the current team); the others are EmployeeViewSets.
"""

from django.db.models import F
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.models import Membership
from api.tommy.base import EmployeeViewSet, ManagerViewSet
from api.tommy.serializers import workforce_people as s
from core.exceptions import NotFoundError
from workforce.models import Availability, Event, ShiftQuestion
from workforce.services import availability, employees, events, questions
from workforce.services import settings as workforce_settings


def _paginated(view, queryset, serializer_class, **context):
    page = view.paginate_queryset(queryset)
    data = serializer_class(page, many=True, context={"request": view.request, **context}).data
    return view.get_paginated_response(data)


def _valid(serializer_class, request, **context):
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer


# --- settings ----------------------------------------------------------------------------------------------------


class WorkforceViewSet(EmployeeViewSet):
    """GET /workforce (created with defaults on first read) and PUT /workforce (managers only, partial)."""

    @extend_schema(responses=s.WorkforceSerializer)
    def retrieve(self, request):
        return Response(s.WorkforceSerializer(workforce_settings.workforce_settings_get(team=self.team)).data)

    @extend_schema(request=s.WorkforceInputSerializer, responses=s.WorkforceSerializer)
    def update(self, request):
        serializer = _valid(s.WorkforceInputSerializer, request)
        updated = workforce_settings.workforce_settings_update(
            team=self.team, by=self.membership, **serializer.validated_data
        )
        return Response(s.WorkforceSerializer(updated).data)


# --- employees (manager) -----------------------------------------------------------------------------------------


class ManagerEmployeesViewSet(ManagerViewSet):
    """GET /workforce/manager/employees, GET and PUT /workforce/manager/employees/{user_id}."""

    queryset = Membership.objects.all()  # for the schema; rows come from workforce.services.employees

    @extend_schema(responses=s.WorkforceEmployeeSerializer(many=True))
    def list(self, request):
        return _paginated(self, employees.employees_of(team=self.team), s.WorkforceEmployeeSerializer)

    @extend_schema(responses=s.WorkforceEmployeeSerializer)
    def retrieve(self, request, user_id: str):
        membership = employees.employee_get(team=self.team, user_id=int(user_id))
        return Response(s.WorkforceEmployeeSerializer(membership, context={"request": request}).data)

    @extend_schema(request=s.WorkforceEmployeeInputSerializer, responses=s.WorkforceEmployeeSerializer)
    def update(self, request, user_id: str):
        employees.employee_get(team=self.team, user_id=int(user_id))  # another team's member is a 404, first
        serializer = _valid(s.WorkforceEmployeeInputSerializer, request, team=self.team, user_id=int(user_id))
        membership = employees.employee_update(
            team=self.team, by=self.membership, user_id=int(user_id), **serializer.to_service_kwargs()
        )
        return Response(s.WorkforceEmployeeSerializer(membership, context={"request": request}).data)


# --- availabilities (employee) -----------------------------------------------------------------------------------


class AvailabilitiesViewSet(EmployeeViewSet):
    """GET /workforce/availabilities, GET and PUT (upsert) /workforce/availabilities/{date} — the caller's own."""

    queryset = Availability.objects.all()

    def _context(self) -> dict:
        return {"request": self.request, "employee_id": self.membership.pk}

    def _date(self, raw: str):
        return _valid(s.DateInPathSerializer, _PathData({"date": raw})).validated_data["date"]

    @extend_schema(responses=s.AvailabilitySerializer(many=True))
    def list(self, request):
        return _paginated(self, self.own(self.get_queryset()), s.AvailabilitySerializer, employee_id=self.membership.pk)

    @extend_schema(responses=s.AvailabilitySerializer)
    def retrieve(self, request, date: str):
        record = self.own(self.get_queryset()).filter(date=self._date(date)).first()
        if record is None:
            raise NotFoundError("You have no availability on this date.")
        return Response(s.AvailabilitySerializer(record, context=self._context()).data)

    @extend_schema(request=s.AvailabilityInputSerializer, responses=s.AvailabilitySerializer)
    def update(self, request, date: str):
        day = self._date(date)
        serializer = _valid(s.AvailabilityInputSerializer, request)
        record = availability.availability_upsert(
            team=self.team, user=request.user, date=day, **serializer.to_service_kwargs()
        )
        return Response(s.AvailabilitySerializer(record, context=self._context()).data)


class _PathData:
    """Lets a path parameter go through a serializer like a body (422 in the envelope, naming the parameter)."""

    def __init__(self, data: dict):
        self.data = data


# --- shift questions and answers ---------------------------------------------------------------------------------


class ManagerShiftQuestionsViewSet(ManagerViewSet):
    """POST /workforce/manager/shift_questions (create only, as documented)."""

    @extend_schema(request=s.ShiftQuestionInputSerializer, responses={201: s.ShiftQuestionSerializer})
    def create(self, request):
        serializer = _valid(s.ShiftQuestionInputSerializer, request, team=self.team)
        question = questions.shift_question_create(team=self.team, **serializer.to_service_kwargs())
        return Response(s.ShiftQuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class ShiftQuestionsViewSet(EmployeeViewSet):
    """GET /workforce/shifts/{id}/questions — the questions that apply to a shift the caller may see."""

    queryset = ShiftQuestion.objects.all()  # for the schema; rows come from workforce.services.questions

    @extend_schema(responses=s.ShiftQuestionSerializer(many=True))
    def list(self, request, pk: str):
        found = questions.shift_questions_for(
            team=self.team, user=request.user, membership=self.membership, shift_id=int(pk)
        )
        return _paginated(self, found, s.ShiftQuestionSerializer)


class ShiftAnswersViewSet(EmployeeViewSet):
    """POST /workforce/shifts/{id}/answers — the caller answers a question of the shift."""

    @extend_schema(request=s.ShiftAnswerInputSerializer, responses={201: s.ShiftAnswerSerializer})
    def create(self, request, pk: str):
        serializer = _valid(s.ShiftAnswerInputSerializer, request)
        answer = questions.shift_answer_create(
            team=self.team,
            user=request.user,
            membership=self.membership,
            shift_id=int(pk),
            **serializer.validated_data,
        )
        return Response(s.ShiftAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


# --- events ------------------------------------------------------------------------------------------------------


class EventsViewSet(EmployeeViewSet):
    """GET/POST /events, GET/PUT/DELETE /events/{id}: the current team's events. Any member reads and creates;
    the creator or a manager changes and deletes."""

    queryset = Event.objects.all()

    def _data(self, event) -> dict:
        return s.EventSerializer(event).data

    @extend_schema(responses=s.EventSerializer(many=True))
    def list(self, request):
        return _paginated(
            self, self.get_queryset().order_by(F("start_at").asc(nulls_last=True), "id"), s.EventSerializer
        )

    @extend_schema(request=s.EventInputSerializer, responses={201: s.EventSerializer})
    def create(self, request):
        serializer = _valid(s.EventInputSerializer, request)
        event = events.event_create(team=self.team, user=request.user, **serializer.validated_data)
        return Response(self._data(event), status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.EventSerializer)
    def retrieve(self, request, pk: str):
        return Response(self._data(self.get_object()))

    @extend_schema(request=s.EventInputSerializer, responses=s.EventSerializer)
    def update(self, request, pk: str):
        serializer = _valid(s.EventInputSerializer, request)
        event = events.event_update(event=self.get_object(), by=self.membership, **serializer.validated_data)
        return Response(self._data(event))

    @extend_schema(responses=s.EventSerializer)
    def destroy(self, request, pk: str):
        return Response(self._data(events.event_delete(event=self.get_object(), by=self.membership)))
