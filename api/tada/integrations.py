"""Tada /teams/{team_uid}/integrations: list (with the kinds catalogue), create, get, modify, delete.

Owners and admins only (accounts.permissions `can_manage_integrations`); another team's uid is a 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.services import integrations as services
from api.tada.base import TadaAPIView
from api.tada.serializers import team_resources as s


class TeamIntegrationsBase(TadaAPIView):
    def integrations_team(self, team_uid):
        return self.managed_team(team_uid, permission="can_manage_integrations")

    def host(self) -> str:
        return self.request.build_absolute_uri("/").rstrip("/")

    def write_data(self, *, creating: bool) -> dict:
        serializer = s.IntegrationWriteSerializer(data=self.request.data, creating=creating, partial=not creating)
        serializer.is_valid(raise_exception=True)
        return serializer.to_service_kwargs()


class TeamIntegrationsView(TeamIntegrationsBase):
    @extend_schema(operation_id="team_integrations_list", responses=s.IntegrationListSerializer)
    def get(self, request, team_uid):
        team = self.integrations_team(team_uid)
        host = self.host()
        integrations = [s.integration_data(i, host=host) for i in services.integrations_of(team=team)]
        return Response({"integrations": integrations, "kinds": s.integration_kinds()})

    @extend_schema(request=s.IntegrationWriteSerializer, responses=s.IntegrationSerializer)
    def post(self, request, team_uid):
        team = self.integrations_team(team_uid)
        integration = services.integration_create(team=team, by=request.user, **self.write_data(creating=True))
        return Response(s.integration_data(integration, host=self.host()))


class TeamIntegrationDetailView(TeamIntegrationsBase):
    serializer_class = s.IntegrationSerializer  # for the OpenAPI schema

    def get(self, request, team_uid, integration_uid):
        integration = services.integration_get(team=self.integrations_team(team_uid), uid=integration_uid)
        return Response(s.integration_data(integration, host=self.host()))

    @extend_schema(request=s.IntegrationWriteSerializer, responses=s.IntegrationSerializer)
    def put(self, request, team_uid, integration_uid):
        integration = services.integration_get(team=self.integrations_team(team_uid), uid=integration_uid)
        integration = services.integration_update(integration=integration, **self.write_data(creating=False))
        return Response(s.integration_data(integration, host=self.host()))

    @extend_schema(responses={200: None})
    def delete(self, request, team_uid, integration_uid):
        integration = services.integration_get(team=self.integrations_team(team_uid), uid=integration_uid)
        services.integration_delete(integration=integration)
        return Response(None)
