"""Tommy (/api/v1/) routes of workforce people: settings, employees, availabilities, shift questions/answers and
events. Only the operations of the spec's permission matrix are routed; any other method answers 405."""

from django.urls import re_path

from workforce.api.tommy import views_people as v

ID = r"(?P<pk>[0-9]+)"

urlpatterns = [
    re_path(r"^workforce/?$", v.WorkforceViewSet.as_view({"get": "retrieve", "put": "update"}), name="workforce"),
    re_path(
        r"^workforce/manager/employees/?$",
        v.ManagerEmployeesViewSet.as_view({"get": "list"}),
        name="workforce-manager-employees",
    ),
    re_path(
        r"^workforce/manager/employees/(?P<user_id>[0-9]+)/?$",
        v.ManagerEmployeesViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="workforce-manager-employee-detail",
    ),
    re_path(
        r"^workforce/availabilities/?$",
        v.AvailabilitiesViewSet.as_view({"get": "list"}),
        name="workforce-availabilities",
    ),
    re_path(
        r"^workforce/availabilities/(?P<date>[^/]+)/?$",
        v.AvailabilitiesViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="workforce-availability-detail",
    ),
    re_path(
        r"^workforce/manager/shift_questions/?$",
        v.ManagerShiftQuestionsViewSet.as_view({"post": "create"}),
        name="workforce-manager-shift-questions",
    ),
    re_path(
        rf"^workforce/shifts/{ID}/questions/?$",
        v.ShiftQuestionsViewSet.as_view({"get": "list"}),
        name="workforce-shift-questions",
    ),
    re_path(
        rf"^workforce/shifts/{ID}/answers/?$",
        v.ShiftAnswersViewSet.as_view({"post": "create"}),
        name="workforce-shift-answers",
    ),
    re_path(r"^events/?$", v.EventsViewSet.as_view({"get": "list", "post": "create"}), name="events"),
    re_path(
        rf"^events/{ID}/?$",
        v.EventsViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="event-detail",
    ),
]
