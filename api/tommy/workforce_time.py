"""Tommy /api/v1/workforce views of the time area: attendances, timesheets, timesheet items.

Thin: validate with serializers_time, call workforce.services.{attendance,timesheets}, serialize. Querysets are scoped
to the current team by the workforce base classes; employee views narrow them to the caller's rows with `own()`.
Only the operations of the spec's permission matrix exist; the router answers the others with 405.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.tommy.base import EmployeeViewSet, ManagerViewSet
from api.tommy.serializers.workforce_time import (
    AttendanceCorrectionSerializer,
    AttendanceInputSerializer,
    AttendanceSerializer,
    ManagerAttendanceInputSerializer,
    TimesheetBulkInputSerializer,
    TimesheetCreateSerializer,
    TimesheetInputSerializer,
    TimesheetItemCreateSerializer,
    TimesheetItemInputSerializer,
    TimesheetItemSerializer,
    TimesheetSerializer,
)
from core.exceptions import NotFoundError
from workforce.models import Attendance, Timesheet, TimesheetItem
from workforce.services import attendance as clock
from workforce.services import timesheets


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _ListRetrieveMixin:
    lookup_value_regex = "[0-9]+"

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)


# --- attendances -------------------------------------------------------------------------------------------------


class _AttendanceBase(_ListRetrieveMixin):
    queryset = Attendance.objects.prefetch_related("punches")
    serializer_class = AttendanceSerializer

    def _clock(self, request, data: dict, *, user, attendance=None) -> Response:
        result = clock.attendance_clock(team=self.team, user=user, attendance=attendance, **data)
        created = attendance is None and data["status"] == Attendance.Status.START
        result = self.get_queryset().get(pk=result.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(AttendanceSerializer(result).data, status=code)


class AttendanceViewSet(_AttendanceBase, EmployeeViewSet):
    """/workforce/attendances: the caller's clock sessions in the current team."""

    openapi_errors = {"create": (409,)}  # already clocked in

    def get_queryset(self):
        return self.own(super().get_queryset())

    @extend_schema(request=AttendanceInputSerializer, responses={201: AttendanceSerializer, 200: AttendanceSerializer})
    def create(self, request):
        """A clock action: `start` opens a session (201); pause/resume/stop advance the open one (200)."""
        return self._clock(request, _validated(AttendanceInputSerializer, request), user=request.user)

    @extend_schema(request=AttendanceInputSerializer, responses=AttendanceSerializer)
    def update(self, request, pk=None):
        """A clock action on this (open) session: `status` pause/resume/stop."""
        data = _validated(AttendanceInputSerializer, request)
        return self._clock(request, data, user=request.user, attendance=self.get_object())

    @extend_schema(responses=AttendanceSerializer)
    @action(detail=False, methods=["get"])
    def active(self, request):
        """The caller's open session; 404 when they are not clocked in."""
        session = self.get_queryset().exclude(status=Attendance.Status.STOP).first()
        if session is None:
            raise NotFoundError("You are not clocked in.")
        return Response(self.get_serializer(session).data)


class ManagerAttendanceViewSet(_AttendanceBase, ManagerViewSet):
    """/workforce/manager/attendances: every clock session of the team."""

    openapi_errors = {"create": (409,)}  # the employee is already clocked in

    @extend_schema(
        request=ManagerAttendanceInputSerializer, responses={201: AttendanceSerializer, 200: AttendanceSerializer}
    )
    def create(self, request):
        """A clock action for `user_id` (default: the caller), e.g. a manager's or kiosk clock-in."""
        data = _validated(ManagerAttendanceInputSerializer, request)
        user_id = data.pop("user_id", None)
        user = clock.member_of_team(team=self.team, user_id=user_id) if user_id else request.user
        return self._clock(request, data, user=user)

    @extend_schema(request=AttendanceCorrectionSerializer, responses=AttendanceSerializer)
    def update(self, request, pk=None):
        """A manager's correction; the original values are kept as AttendanceEdit rows."""
        data = _validated(AttendanceCorrectionSerializer, request)
        session = clock.attendance_correct(attendance=self.get_object(), by=request.user, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(responses=AttendanceSerializer(many=True))
    @action(detail=False, methods=["get"])
    def active(self, request):
        """Who is clocked in now: every open session of the team (a list)."""
        page = self.paginate_queryset(self.get_queryset().exclude(status=Attendance.Status.STOP))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- timesheets --------------------------------------------------------------------------------------------------


class TimesheetViewSet(_ListRetrieveMixin, EmployeeViewSet):
    """/workforce/timesheets: the caller's timesheets (no create)."""

    queryset = Timesheet.objects.all()
    serializer_class = TimesheetSerializer

    def get_queryset(self):
        return self.own(super().get_queryset())

    @extend_schema(request=TimesheetInputSerializer, responses=TimesheetSerializer)
    def update(self, request, pk=None):
        """Submit or unsubmit (`status`); anything else is Forbidden."""
        data = _validated(TimesheetInputSerializer, request)
        timesheet = timesheets.timesheet_update_by_employee(timesheet=self.get_object(), user=request.user, **data)
        return Response(self.get_serializer(timesheet).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Delete an unsubmitted timesheet ("Null response": 204, no body)."""
        timesheets.timesheet_delete_by_employee(timesheet=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ManagerTimesheetViewSet(_ListRetrieveMixin, ManagerViewSet):
    """/workforce/manager/timesheets: the team's timesheets (no delete)."""

    queryset = Timesheet.objects.all()
    serializer_class = TimesheetSerializer

    @extend_schema(request=TimesheetCreateSerializer, responses={201: TimesheetSerializer})
    def create(self, request):
        data = _validated(TimesheetCreateSerializer, request)
        timesheet = timesheets.timesheet_create(team=self.team, by=request.user, **data)
        return Response(self.get_serializer(timesheet).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TimesheetInputSerializer, responses=TimesheetSerializer)
    def update(self, request, pk=None):
        data = _validated(TimesheetInputSerializer, request)
        timesheet = timesheets.timesheet_update_by_manager(timesheet=self.get_object(), by=request.user, **data)
        return Response(self.get_serializer(timesheet).data)

    @extend_schema(request=TimesheetBulkInputSerializer, responses=TimesheetSerializer(many=True))
    @action(detail=False, methods=["put"], url_path="bulk_update")
    def bulk_update(self, request):
        """The same fields on every listed timesheet of the team, all or nothing."""
        data = _validated(TimesheetBulkInputSerializer, request)
        updated = timesheets.timesheets_bulk_update(team=self.team, by=request.user, **data)
        return Response(self.get_serializer(updated, many=True).data)


# --- timesheet items ---------------------------------------------------------------------------------------------


class TimesheetItemViewSet(_ListRetrieveMixin, EmployeeViewSet):
    """/workforce/timesheet_items: the caller's items."""

    queryset = TimesheetItem.objects.all()
    serializer_class = TimesheetItemSerializer

    def get_queryset(self):
        return self.own(super().get_queryset())

    @extend_schema(request=TimesheetItemCreateSerializer, responses={201: TimesheetItemSerializer})
    def create(self, request):
        data = _validated(TimesheetItemCreateSerializer, request)
        item = timesheets.timesheet_item_create(team=self.team, by=request.user, as_manager=False, **data)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TimesheetItemInputSerializer, responses=TimesheetItemSerializer)
    def update(self, request, pk=None):
        data = _validated(TimesheetItemInputSerializer, request)
        item = timesheets.timesheet_item_update(item=self.get_object(), by=request.user, as_manager=False, **data)
        return Response(self.get_serializer(item).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Delete an own manual item ("Null response": 204, no body)."""
        timesheets.timesheet_item_delete_by_employee(item=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ManagerTimesheetItemViewSet(_ListRetrieveMixin, ManagerViewSet):
    """/workforce/manager/timesheet_items: the team's items (no delete)."""

    queryset = TimesheetItem.objects.all()
    serializer_class = TimesheetItemSerializer

    @extend_schema(request=TimesheetItemCreateSerializer, responses={201: TimesheetItemSerializer})
    def create(self, request):
        data = _validated(TimesheetItemCreateSerializer, request)
        item = timesheets.timesheet_item_create(team=self.team, by=request.user, as_manager=True, **data)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TimesheetItemInputSerializer, responses=TimesheetItemSerializer)
    def update(self, request, pk=None):
        data = _validated(TimesheetItemInputSerializer, request)
        item = timesheets.timesheet_item_update(item=self.get_object(), by=request.user, as_manager=True, **data)
        return Response(self.get_serializer(item).data)
