"""The courier family's routes, one module: paths as its document has them (trailing slash optional)."""

from django.urls import path

from api.courier.organizations import OrganizationViewSet
from api.courier.texts import TextAccountViewSet, TextCallbackView, TextViewSet
from core.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("organizations", OrganizationViewSet, basename="organizations")
router.register("text-accounts", TextAccountViewSet, basename="text-accounts")
router.register("texts", TextViewSet, basename="texts")

urlpatterns = [
    # messaging.services reverses "courier:text-callback" for the status callback URL given to the provider.
    path("texts/<uuid:uid>/callback/", TextCallbackView.as_view(), name="text-callback"),
    path("texts/<uuid:uid>/callback", TextCallbackView.as_view(schema=None), name="text-callback-no-slash"),
    *router.urls,
]
