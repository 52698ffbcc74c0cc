"""Tommy (/api/v1/) routes of the automations app; trailing slash optional."""

from django.urls import re_path

from automations.api.tommy import views
from core.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("syncs", views.SyncViewSet, basename="sync")

urlpatterns = [
    re_path(r"^team/demo_data/apply/?$", views.DemoDataApplyView.as_view(), name="demo-data-apply"),
    re_path(r"^team/demo_data/reset/?$", views.DemoDataResetView.as_view(), name="demo-data-reset"),
    *router.urls,
]
