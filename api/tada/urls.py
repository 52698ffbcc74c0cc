"""The tada family's routes, one module: paths as its document has them (trailing slash optional)."""

from django.urls import re_path

from api.tada import accounts as views
from api.tada import integrations, invitations
from api.tada.ws import TeamWsEventView
from core.ids import UUID_PATTERN

# --- accounts ---------------------------------------------------------------------------------------


# Paths answer with and without a trailing slash: the document's prose uses both.
accounts_patterns = [
    re_path(r"^ping/?$", views.PingView.as_view(), name="ping"),
    re_path(r"^time/?$", views.TimeView.as_view(), name="time"),
    re_path(r"^countries/?$", views.CountriesView.as_view(), name="countries"),
    re_path(r"^sms-login/?$", views.SmsLoginView.as_view(), name="sms-login"),
    re_path(r"^sms-auth/?$", views.SmsAuthView.as_view(), name="sms-auth"),
    re_path(r"^sms-cookieauth/?$", views.SmsCookieAuthView.as_view(), name="sms-cookieauth"),
    re_path(r"^qr-login\.png/?$", views.QrLoginPngView.as_view(), name="qr-login-png"),
    re_path(r"^qr-auth/?$", views.QrAuthView.as_view(), name="qr-auth"),
    re_path(r"^cookieauth-logout/?$", views.CookieAuthLogoutView.as_view(), name="cookieauth-logout"),
    re_path(r"^me/?$", views.MeView.as_view(), name="me"),
    re_path(r"^devices/?$", views.DevicesView.as_view(), name="devices"),
    re_path(r"^devices/(?P<device_id>[^/]+)/?$", views.DeviceDetailView.as_view(), name="device-detail"),
    re_path(
        r"^devices/(?P<device_id>[^/]+)/address-book/?$", views.AddressBookView.as_view(), name="device-address-book"
    ),
    re_path(r"^ui-settings/?$", views.UiSettingsView.as_view(), name="ui-settings"),
    re_path(r"^teams/?$", views.TeamsView.as_view(), name="teams"),
    # `teams/join` before `teams/{team_uid}`; team uids are UUIDs, so no other word can be taken for one.
    re_path(r"^teams/join/?$", views.TeamJoinView.as_view(), name="team-join"),
    re_path(rf"^teams/(?P<team_uid>{UUID_PATTERN})/?$", views.TeamDetailView.as_view(), name="team-detail"),
    re_path(rf"^teams/(?P<team_uid>{UUID_PATTERN})/icons/?$", views.TeamIconsView.as_view(), name="team-icons"),
    re_path(rf"^teams/(?P<team_uid>{UUID_PATTERN})/usage/?$", views.TeamUsageView.as_view(), name="team-usage"),
]


# --- team resources ---------------------------------------------------------------------------------

TEAM = rf"^teams/(?P<team_uid>{UUID_PATTERN})"

team_resources_patterns = [
    re_path(rf"{TEAM}/integrations/?$", integrations.TeamIntegrationsView.as_view(), name="team-integrations"),
    re_path(
        rf"{TEAM}/integrations/(?P<integration_uid>{UUID_PATTERN})/?$",
        integrations.TeamIntegrationDetailView.as_view(),
        name="team-integration-detail",
    ),
    re_path(rf"{TEAM}/invitations/?$", invitations.TeamInvitationsView.as_view(), name="team-invitations"),
    re_path(
        rf"{TEAM}/invitations/(?P<token>[A-Za-z0-9_-]+)\.png/?$",
        invitations.TeamInvitationPngView.as_view(),
        name="team-invitation-png",
    ),
    re_path(
        rf"{TEAM}/invitations/(?P<invitation_uid>{UUID_PATTERN})/?$",
        invitations.TeamInvitationDetailView.as_view(),
        name="team-invitation-detail",
    ),
]


# --- ws ---------------------------------------------------------------------------------------------


ws_patterns = [
    re_path(
        rf"^teams/(?P<team_uid>{UUID_PATTERN})/ws/(?P<client_event_name>[A-Za-z0-9._-]+)/?$",
        TeamWsEventView.as_view(),
        name="team-ws-event",
    ),
]


urlpatterns = [*accounts_patterns, *team_resources_patterns, *ws_patterns]
