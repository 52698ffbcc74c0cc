"""The courier family's routes, one module: paths as its document has them (trailing slash optional)."""

from django.urls import path

from api.courier.consents import OrgPreferenceViewSet, UserConsentViewSet
from api.courier.lookups import TextNumberInfoViewSet
from api.courier.numbers import ClaimNumberView, TextNumberInboundView, TextNumberViewSet
from api.courier.organizations import OrganizationViewSet
from api.courier.text_logs import TextNumberLogViewSet, TextReceiveLogViewSet
from api.courier.texts import TextAccountViewSet, TextCallbackView, TextViewSet
from api.courier.user_number_maps import TextUserNumberMapViewSet
from core.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("organizations", OrganizationViewSet, basename="organizations")
router.register("text-accounts", TextAccountViewSet, basename="text-accounts")
router.register("texts", TextViewSet, basename="texts")
router.register("text-account-numbers", TextNumberViewSet, basename="text-account-numbers")
router.register("text-number-info", TextNumberInfoViewSet, basename="text-number-info")
router.register("text-number-logs", TextNumberLogViewSet, basename="text-number-logs")
router.register("text-receive-logs", TextReceiveLogViewSet, basename="text-receive-logs")
router.register("text-user-number-maps", TextUserNumberMapViewSet, basename="text-user-number-maps")
router.register("user-consents", UserConsentViewSet, basename="user-consents")
router.register("org-preferences", OrgPreferenceViewSet, basename="org-preferences")

urlpatterns = [
    # messaging.services reverses "courier:text-callback" for the status callback URL given to the provider.
    path("texts/<uuid:uid>/callback/", TextCallbackView.as_view(), name="text-callback"),
    path("texts/<uuid:uid>/callback", TextCallbackView.as_view(schema=None), name="text-callback-no-slash"),
    path("text-accounts/<uuid:uid>/claim-number/", ClaimNumberView.as_view(), name="text-account-claim-number"),
    path("text-accounts/<uuid:uid>/claim-number", ClaimNumberView.as_view(schema=None)),
    # The provider's inbound-message webhook of one number (README "Inbound SMS"); messaging.services.numbers
    # reverses "courier:text-number-inbound" for the URL it gives the provider when provisioning.
    path("text-account-numbers/<uuid:uid>/inbound/", TextNumberInboundView.as_view(), name="text-number-inbound"),
    path("text-account-numbers/<uuid:uid>/inbound", TextNumberInboundView.as_view(schema=None)),
    *router.urls,
]
