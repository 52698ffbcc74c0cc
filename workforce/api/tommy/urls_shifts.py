"""Tommy (/api/v1/) shift and shift-request routes: exactly the operations of the WORKFORCE permission matrix
(spec tommy-1); any other method on these paths answers 405 in the envelope. Trailing slash optional.

`/workforce/shifts/{id}/questions` and `/answers` belong to urls_people.py and are not matched here.
"""

from django.urls import re_path

from workforce.api.tommy import views_shifts as views

ID = r"(?P<pk>[0-9]{1,18})"

employee_shifts = views.EmployeeShiftViewSet
manager_shifts = views.ManagerShiftViewSet
employee_requests = views.EmployeeShiftRequestViewSet
manager_requests = views.ManagerShiftRequestViewSet

urlpatterns = [
    re_path(r"^workforce/shifts/?$", employee_shifts.as_view({"get": "list"}), name="workforce-shifts"),
    re_path(r"^workforce/shifts/active/?$", employee_shifts.as_view({"get": "active"}), name="workforce-shifts-active"),
    re_path(rf"^workforce/shifts/{ID}/?$", employee_shifts.as_view({"get": "retrieve"}), name="workforce-shift"),
    re_path(
        r"^workforce/manager/shifts/?$",
        manager_shifts.as_view({"get": "list", "post": "create"}),
        name="workforce-manager-shifts",
    ),
    re_path(
        rf"^workforce/manager/shifts/{ID}/?$",
        manager_shifts.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="workforce-manager-shift",
    ),
    re_path(
        r"^workforce/shift_requests/?$",
        employee_requests.as_view({"post": "create"}),
        name="workforce-shift-requests",
    ),
    re_path(
        rf"^workforce/shift_requests/{ID}/?$",
        employee_requests.as_view({"put": "update", "delete": "destroy"}),
        name="workforce-shift-request",
    ),
    re_path(
        r"^workforce/manager/shift_requests/?$",
        manager_requests.as_view({"get": "list", "post": "create"}),
        name="workforce-manager-shift-requests",
    ),
    re_path(
        rf"^workforce/manager/shift_requests/{ID}/?$",
        manager_requests.as_view({"get": "retrieve", "put": "update"}),
        name="workforce-manager-shift-request",
    ),
]
