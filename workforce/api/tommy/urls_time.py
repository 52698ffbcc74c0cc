"""Tommy (/api/v1/) routes of the workforce time area: attendances, timesheets, timesheet items.

Exactly the operations of the spec's permission matrix; the others answer 405 in the tommy envelope. `active` and
`bulk_update` are list-level routes, so they are matched before `{id}` (ids are digits only).
"""

from core.api.routers import OptionalSlashRouter
from workforce.api.tommy import views_time as views

router = OptionalSlashRouter()
router.register("workforce/attendances", views.AttendanceViewSet, basename="workforce-attendance")
router.register(
    "workforce/manager/attendances", views.ManagerAttendanceViewSet, basename="workforce-manager-attendance"
)
router.register("workforce/timesheets", views.TimesheetViewSet, basename="workforce-timesheet")
router.register("workforce/manager/timesheets", views.ManagerTimesheetViewSet, basename="workforce-manager-timesheet")
router.register("workforce/timesheet_items", views.TimesheetItemViewSet, basename="workforce-timesheet-item")
router.register(
    "workforce/manager/timesheet_items", views.ManagerTimesheetItemViewSet, basename="workforce-manager-timesheet-item"
)

urlpatterns = router.urls
