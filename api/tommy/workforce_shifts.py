"""Tommy /workforce/shifts, /workforce/manager/shifts, /workforce/shift_requests and
/workforce/manager/shift_requests (spec tommy-1 "Resource: WorkforceShift", "Resource: WorkforceShiftRequest").

Thin: validate, call workforce.services.shifts / shift_requests, shape the answer. Shift reads take the lean path,
plain dicts rendered by the family's orjson renderer: the polled lists from workforce.services.shift_page (one
hand-written page query, behind the shared list cache), single shifts and `/shifts/active` from `.values()` with the
caller's flags as EXISTS annotations (the same rows; tests/workforce/test_shift_page.py compares them).
Only the operations of the permission matrix are routed (urls_shifts.py); the others answer 405.
"""

from functools import partial

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.models import User
from api.tommy.base import EmployeeViewSet, ManagerViewSet
from api.tommy.serializers.workforce_shifts import (
    EmployeeShiftRequestCreateSerializer,
    EmployeeShiftRequestUpdateSerializer,
    ManagerShiftRequestCreateSerializer,
    ManagerShiftRequestUpdateSerializer,
    ShiftFilter,
    ShiftInputSerializer,
    ShiftRequestSerializer,
    ShiftSerializer,
    shift_row,
)
from core.api.filters import DocumentedQueryFilterBackend
from core.exceptions import NotFoundError, ValidationFailed
from workforce.models import Shift, ShiftRequest
from workforce.services import shift_cache, shift_page
from workforce.services import shift_requests as request_services
from workforce.services import shifts as shift_services


def _body(request) -> dict:
    data = request.data
    if data in (None, ""):
        return {}
    if not hasattr(data, "keys"):
        raise ValidationFailed.for_field("non_field_errors", "The body must be a JSON object.")
    return data


class ShiftReadMixin:
    """The lean shift read path shared by the employee and manager views."""

    queryset = Shift.objects.all()
    serializer_class = ShiftSerializer
    filterset_class = ShiftFilter
    filter_backends = [DocumentedQueryFilterBackend]

    def shift_queryset(self):
        return self.get_queryset()

    def rows(self, queryset):
        return shift_services.shifts_annotated(queryset, viewer=self.request.user)

    def documented(self, rows: list[dict]) -> list[dict]:
        shift_services.mark_same_day(rows, viewer=self.request.user, team=self.team)
        return [shift_row(row) for row in rows]

    def rows_response(self, queryset) -> Response:
        page = self.paginate_queryset(self.rows(self.filter_queryset(queryset)))
        return self.get_paginated_response(self.documented(page))

    def page_response(self, *, scope: str) -> Response:
        """The polled list, read by workforce.services.shift_page (same rows as `rows_response` would give)."""
        lookups = DocumentedQueryFilterBackend().lookups(self.request, Shift.objects.none(), self)
        conditions = [shift_page.Condition(*lookup) for lookup in lookups]
        fetch = partial(
            shift_page.shift_page,
            team_id=self.team.pk,
            zone=shift_services.team_zone(self.team),
            viewer_id=self.request.user.pk,
            employee=scope == "employee",
            conditions=conditions,
        )
        # shift_page's rows are already the documented WorkforceShift (no `shift_row` needed)
        return self.get_paginated_response(self.paginator.paginate_fetched(self.request, fetch))

    def cached_list_response(self, *, scope: str):
        """`page_response` through the shared list cache (workforce.services.shift_cache): only a 200 answer of a
        caller whose credential covers the current team is stored; auth and permissions already ran."""
        request = self.request
        if self.team.pk not in self.caller_team_ids():  # what get_queryset scopes to; never narrower in practice
            return self.rows_response(self.shift_queryset())
        found = shift_cache.lookup(
            scope=scope,
            team_id=self.team.pk,
            timezone=self.team.timezone or "",
            viewer_id=request.user.pk,
            uri=request.build_absolute_uri(),
        )
        if found.hit:
            return HttpResponse(found.body, headers=found.headers)
        self._cache_miss = found
        return self.page_response(scope=scope)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        found = getattr(self, "_cache_miss", None)
        if found is not None and found.key is not None and response.status_code == 200:
            response.render()
            headers = {name: response[name] for name in ("Content-Type", "X-Total-Count", "Link") if name in response}
            shift_cache.store(found, body=response.content, headers=headers)
        return response

    def row(self, pk) -> dict:
        row = self.rows(self.shift_queryset().filter(pk=pk)).first()
        if row is None:
            raise NotFoundError("No such shift.")
        return self.documented([row])[0]

    def shift_object(self, pk) -> Shift:
        shift = self.shift_queryset().filter(pk=pk).first()
        if shift is None:
            raise NotFoundError("No such shift.")
        return shift


class EmployeeShiftViewSet(ShiftReadMixin, EmployeeViewSet):
    """GET /workforce/shifts, /workforce/shifts/active, /workforce/shifts/{id}: published shifts that are the
    caller's or open to request."""

    def shift_queryset(self):
        return shift_services.shifts_visible_to_employee(self.get_queryset(), user=self.request.user)

    @extend_schema(responses=ShiftSerializer(many=True))
    def list(self, request):
        return self.cached_list_response(scope="employee")

    @extend_schema(responses=ShiftSerializer(many=True))
    def active(self, request):
        return self.rows_response(shift_services.shifts_active_for_employee(self.get_queryset(), user=request.user))

    @extend_schema(responses=ShiftSerializer)
    def retrieve(self, request, pk):
        return Response(self.row(pk))


class ManagerShiftViewSet(ShiftReadMixin, ManagerViewSet):
    """GET/POST /workforce/manager/shifts and GET/PUT/DELETE /workforce/manager/shifts/{id}: every shift of the team."""

    @extend_schema(responses=ShiftSerializer(many=True))
    def list(self, request):
        return self.cached_list_response(scope="manager")

    @extend_schema(request=ShiftInputSerializer, responses={201: ShiftSerializer})
    def create(self, request):
        serializer = ShiftInputSerializer(data=_body(request), context={"creating": True})
        serializer.is_valid(raise_exception=True)
        shift = shift_services.shift_create(team=self.team, by=request.user, **serializer.to_service_kwargs())
        return Response(self.row(shift.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses=ShiftSerializer)
    def retrieve(self, request, pk):
        return Response(self.row(pk))

    @extend_schema(request=ShiftInputSerializer, responses=ShiftSerializer)
    def update(self, request, pk):
        shift = self.shift_object(pk)
        serializer = ShiftInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        shift_services.shift_update(shift=shift, by=request.user, **serializer.to_service_kwargs())
        return Response(self.row(pk))

    @extend_schema(responses=ShiftSerializer)
    def destroy(self, request, pk):
        row = self.row(pk)  # the documented answer: the shift as it was just before it was deleted
        shift_services.shift_delete(shift=self.shift_object(pk), by=request.user)
        return Response(row)


class ShiftRequestMixin:
    queryset = ShiftRequest.objects.all()
    serializer_class = ShiftRequestSerializer

    def request_object(self, pk) -> ShiftRequest:
        found = self.request_queryset().filter(pk=pk).first()
        if found is None:
            raise NotFoundError("No such shift request.")
        return found

    def request_queryset(self):
        return self.get_queryset()

    def answer(self, shift_request, code=status.HTTP_200_OK) -> Response:
        return Response(ShiftRequestSerializer(shift_request).data, status=code)


class EmployeeShiftRequestViewSet(ShiftRequestMixin, EmployeeViewSet):
    """POST /workforce/shift_requests, PUT/DELETE /workforce/shift_requests/{id}: the caller's own requests."""

    openapi_errors = {"update": (409,)}  # another request for the shift is approved

    def request_queryset(self):
        return self.own(self.get_queryset())

    @extend_schema(request=EmployeeShiftRequestCreateSerializer, responses={201: ShiftRequestSerializer})
    def create(self, request):
        serializer = EmployeeShiftRequestCreateSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        visible = shift_services.shifts_visible_to_employee(Shift.objects.for_team(self.team), user=request.user)
        shift = visible.filter(pk=serializer.validated_data["shift_id"]).first()
        if shift is None:
            raise ValidationFailed.for_field("shift_id", "No such shift open to you.")
        created = request_services.shift_request_create(team=self.team, shift=shift, by=request.user)
        return self.answer(created, status.HTTP_201_CREATED)

    @extend_schema(request=EmployeeShiftRequestUpdateSerializer, responses=ShiftRequestSerializer)
    def update(self, request, pk):
        shift_request = self.request_object(pk)
        serializer = EmployeeShiftRequestUpdateSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        updated = request_services.shift_request_cancel_own(
            request=shift_request, by=request.user, status=serializer.validated_data["status"]
        )
        return self.answer(updated)

    @extend_schema(responses=ShiftRequestSerializer)
    def destroy(self, request, pk):
        deleted = request_services.shift_request_delete_own(request=self.request_object(pk), by=request.user)
        return self.answer(deleted)


class ManagerShiftRequestViewSet(ShiftRequestMixin, ManagerViewSet):
    """GET/POST /workforce/manager/shift_requests and GET/PUT /workforce/manager/shift_requests/{id}."""

    openapi_errors = {"create": (409,), "update": (409,)}  # the shift is taken by another approved request

    @extend_schema(responses=ShiftRequestSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.request_queryset())
        return self.get_paginated_response(ShiftRequestSerializer(page, many=True).data)

    @extend_schema(request=ManagerShiftRequestCreateSerializer, responses={201: ShiftRequestSerializer})
    def create(self, request):
        serializer = ManagerShiftRequestCreateSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        shift = Shift.objects.for_team(self.team).filter(pk=data["shift_id"]).first()
        if shift is None:
            raise ValidationFailed.for_field("shift_id", "No such shift in this team.")
        user = User.objects.filter(pk=data["user_id"]).first()
        if user is None:
            raise ValidationFailed.for_field("user_id", "No such employee in this team.")
        created = request_services.shift_request_create_for(
            team=self.team, shift=shift, user=user, by=request.user, status=data.get("status", "requested")
        )
        return self.answer(created, status.HTTP_201_CREATED)

    @extend_schema(responses=ShiftRequestSerializer)
    def retrieve(self, request, pk):
        return self.answer(self.request_object(pk))

    @extend_schema(request=ManagerShiftRequestUpdateSerializer, responses=ShiftRequestSerializer)
    def update(self, request, pk):
        shift_request = self.request_object(pk)
        serializer = ManagerShiftRequestUpdateSerializer(data=_body(request), context={"instance": shift_request})
        serializer.is_valid(raise_exception=True)
        updated = request_services.shift_request_transition(
            request=shift_request, by=request.user, status=serializer.validated_data["status"]
        )
        return self.answer(updated)
