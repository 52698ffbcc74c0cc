"""The courier family's routes, one module: paths as its document has them (trailing slash optional)."""

from django.urls import path

from api.courier.consents import OrgPreferenceViewSet, UserConsentViewSet
from api.courier.emails import UploadView, UserEmailAttachmentViewSet, UserEmailViewSet
from api.courier.lookups import TextNumberInfoViewSet
from api.courier.multicasts import MulticastViewSet, UserMulticastViewSet
from api.courier.notifications import (
    BadgeCountViewSet,
    BulkBadgeCountsView,
    CommunicationSummariesView,
    NotificationCountsView,
    UserNotificationViewSet,
)
from api.courier.numbers import ClaimNumberView, TextNumberInboundView, TextNumberViewSet
from api.courier.organizations import OrganizationViewSet
from api.courier.people import IndividualGroupViewSet, IndividualViewSet, UserViewSet
from api.courier.push import AppCredentialViewSet, UserDeviceViewSet
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
# Multicasts and notifications (issue 13).
router.register("users", UserViewSet, basename="users")
router.register("individuals", IndividualViewSet, basename="individuals")
router.register("individual-groups", IndividualGroupViewSet, basename="individual-groups")
router.register("multicasts", MulticastViewSet, basename="multicasts")
router.register("user-multicasts", UserMulticastViewSet, basename="user-multicasts")
router.register("user-notifications", UserNotificationViewSet, basename="user-notifications")
router.register("badge-counts", BadgeCountViewSet, basename="badge-counts")
router.register("user-devices", UserDeviceViewSet, basename="user-devices")
router.register("app-credentials", AppCredentialViewSet, basename="app-credentials")
router.register("user-emails", UserEmailViewSet, basename="user-emails")
router.register("user-email-attachments", UserEmailAttachmentViewSet, basename="user-email-attachments")


def both(route: str, view, name: str | None = None) -> list:
    """The route with and without its trailing slash (the family's convention)."""
    return [path(route + "/", view.as_view(), name=name), path(route, view.as_view(schema=None))]


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
    *both("user-notification-counts", NotificationCountsView, "user-notification-counts"),
    *both("bulk-badge-counts", BulkBadgeCountsView, "bulk-badge-counts"),
    *both("communication-summaries", CommunicationSummariesView, "communication-summaries"),
    # The target of user-email-attachments' upload tickets (the token is the credential).
    *both("uploads/<str:token>", UploadView, "upload"),
    *router.urls,
]
