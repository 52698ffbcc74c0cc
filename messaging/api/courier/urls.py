from django.urls import path

from core.api.routers import OptionalSlashRouter
from messaging.api.courier.views import TextAccountViewSet, TextCallbackView, TextViewSet

router = OptionalSlashRouter()
router.register("text-accounts", TextAccountViewSet, basename="text-accounts")
router.register("texts", TextViewSet, basename="texts")

urlpatterns = [
    # messaging.services reverses "courier:text-callback" for the status callback URL given to the provider.
    path("texts/<uuid:uid>/callback/", TextCallbackView.as_view(), name="text-callback"),
    path("texts/<uuid:uid>/callback", TextCallbackView.as_view(schema=None), name="text-callback-no-slash"),
    *router.urls,
]
