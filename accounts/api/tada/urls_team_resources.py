"""Tada (/api/v3/) routes of a team's integrations and invitations; trailing slash optional (the document's prose
uses both). `team_uid` must be a UUID so these never shadow other `teams/...` routes."""

from django.urls import re_path

from accounts.api.tada import integrations, invitations

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
TEAM = rf"^teams/(?P<team_uid>{UUID})"

urlpatterns = [
    re_path(rf"{TEAM}/integrations/?$", integrations.TeamIntegrationsView.as_view(), name="team-integrations"),
    re_path(
        rf"{TEAM}/integrations/(?P<integration_uid>{UUID})/?$",
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
        rf"{TEAM}/invitations/(?P<invitation_uid>{UUID})/?$",
        invitations.TeamInvitationDetailView.as_view(),
        name="team-invitation-detail",
    ),
]
