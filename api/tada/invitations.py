"""Tada /teams/{team_uid}/invitations: the team's reusable join links (create, list, get, delete = revoke) and
their QR image `invitations/{token}.png` encoding `otv://qr-join/{host}/{token}`.

Owners and admins only (accounts.permissions `can_add_to_team`); another team's uid is a 404. The PNG reads no
credentials: its URL already carries the token it shows, so it reveals nothing to whoever can fetch it.
"""

from urllib.parse import quote

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.services.invitations import (
    invitation_create_link,
    invitation_link_get,
    invitation_links_of,
    invitation_revoke,
)
from api.tada.base import ImageEndpointMixin, TadaAPIView
from api.tada.serializers.team_resources import TeamInvitationSerializer
from core.api.base import PublicEndpointMixin
from core.qr import qr_png_response


class TeamInvitationsBase(TadaAPIView):
    serializer_class = TeamInvitationSerializer  # for the OpenAPI schema

    def output(self, team, invitations, **kwargs):
        return TeamInvitationSerializer(invitations, context={"request": self.request, "team": team}, **kwargs).data


class TeamInvitationsView(TeamInvitationsBase):
    @extend_schema(operation_id="team_invitations_list", responses=TeamInvitationSerializer(many=True))
    def get(self, request, team_uid):
        team = self.managed_team(team_uid, permission="can_add_to_team")
        return Response(self.output(team, invitation_links_of(team=team), many=True))

    @extend_schema(request=None, responses=TeamInvitationSerializer)
    def post(self, request, team_uid):
        request.data  # noqa: B018 - a malformed body is a 400 even though the document sends `{}`
        team = self.managed_team(team_uid, permission="can_add_to_team")
        invitation = invitation_create_link(team=team, inviter=request.user)
        return Response(self.output(team, invitation))


class TeamInvitationDetailView(TeamInvitationsBase):
    def get(self, request, team_uid, invitation_uid):
        team = self.managed_team(team_uid, permission="can_add_to_team")
        return Response(self.output(team, invitation_link_get(team=team, uid=invitation_uid)))

    @extend_schema(responses={200: None})
    def delete(self, request, team_uid, invitation_uid):
        team = self.managed_team(team_uid, permission="can_add_to_team")
        invitation_revoke(invitation=invitation_link_get(team=team, uid=invitation_uid))
        return Response(None)


def qr_join_value(host: str, token: str) -> str:
    return f"otv://qr-join/{quote(host, safe='')}/{quote(token, safe='')}"


class TeamInvitationPngView(PublicEndpointMixin, ImageEndpointMixin, TadaAPIView):
    """The QR image of a live join link; a revoked or unknown one is a 404 in the envelope."""

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request, team_uid, token):
        invitation = invitation_link_get(team_uid=team_uid, token=token)
        return qr_png_response(qr_join_value(request.get_host(), invitation.token))
