"""Tommy (/api/v1/) invitation routes; trailing slash optional. "invitation-detail" (kwarg `token`) is the link
accounts.services.invitations.invitation_link() puts in every invitation SMS or email."""

from django.urls import re_path

from accounts.api.tommy import invitations

TOKEN = r"(?P<token>[A-Za-z0-9_-]+)"

urlpatterns = [
    re_path(r"^invitations/?$", invitations.InvitationsView.as_view(), name="invitations"),
    re_path(rf"^invitations/{TOKEN}/accept/?$", invitations.InvitationAcceptView.as_view(), name="invitation-accept"),
    re_path(
        rf"^invitations/{TOKEN}/decline/?$", invitations.InvitationDeclineView.as_view(), name="invitation-decline"
    ),
    re_path(rf"^invitations/{TOKEN}/?$", invitations.InvitationDetailView.as_view(), name="invitation-detail"),
]
