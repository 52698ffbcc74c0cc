from accounts.api.courier.views import OrganizationViewSet
from core.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("organizations", OrganizationViewSet, basename="organizations")

urlpatterns = router.urls
