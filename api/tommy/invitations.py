"""Tommy /invitations: list (sent and received), create (and send), get by token, accept and decline.

Accept and decline are GETs with side effects, as documented: their answers (and every invitation answer) carry
`Cache-Control: no-store` so no cache or prefetcher ever replays or pre-fires them.
"""

from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.models import Team
from accounts.selectors import TEAM, current_account_of
from accounts.services import invitations as services
from api import people
from api.tommy.base import TommyAPIView
from api.tommy.serializers.invitations import (
    InvitationInputSerializer,
    InvitationSerializer,
    invitations_data,
)


class InvitationsBase(TommyAPIView):
    serializer_class = InvitationSerializer  # for the OpenAPI schema

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def one(self, invitation, **kwargs) -> Response:
        return Response(invitations_data([invitation], request=self.request)[0], **kwargs)

    def visible(self, token: str):
        return services.invitation_get_visible(user=self.request.user, token=token, team_ids=self.caller_team_ids())

    def inviting_team(self) -> Team | None:
        """The team the caller invites for: an API key's team, or a Team current account; else the user alone."""
        if self.api_key() is not None:
            return self.current_team()
        account = current_account_of(user=self.request.user, team_ids=self.caller_team_ids())
        return Team.objects.get(pk=account.team_id) if account.type == TEAM else None


class InvitationsView(InvitationsBase):
    @extend_schema(operation_id="invitations_list", responses=InvitationSerializer(many=True))
    def get(self, request):
        queryset = services.invitations_visible_to(user=request.user, team_ids=self.caller_team_ids())
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(invitations_data(page, request=request))

    @extend_schema(request=InvitationInputSerializer, responses={201: InvitationSerializer})
    def post(self, request):
        serializer = InvitationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_invite(
            inviter=request.user, team=self.inviting_team(), viewer=people.viewer(request), **serializer.validated_data
        )
        return self.one(invitation, status=status.HTTP_201_CREATED)


class InvitationDetailView(InvitationsBase):
    def get(self, request, token: str):
        return self.one(self.visible(token))


class InvitationAcceptView(InvitationsBase):
    @extend_schema(operation_id="invitation_accept")
    def get(self, request, token: str):
        invitation = services.invitation_accept(invitation=self.visible(token), user=request.user)
        return self.one(invitation)


class InvitationDeclineView(InvitationsBase):
    @extend_schema(operation_id="invitation_decline")
    def get(self, request, token: str):
        invitation = services.invitation_decline(invitation=self.visible(token), user=request.user)
        return self.one(invitation)
